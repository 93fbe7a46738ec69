return MLNet.Siamese.Cli.SiameseCli.Run(args, Console.Out, Console.Error);
