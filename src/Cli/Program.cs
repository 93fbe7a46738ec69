using (MLNet.Siamese.Cli.NativeTempFolder.Start())
    return MLNet.Siamese.Cli.SiameseCli.Run(args, Console.Out, Console.Error);
