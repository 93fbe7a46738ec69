using MLNet.Siamese.Checkpoints;

// Usage:
//   write-loop --path FILE --mb M
//       Saves a checkpoint of M MiB to FILE over and over (printing "saved I" after each), so that a kill lands mid-write.
// (The kill-and-resume tests of training itself run the real `siamese train` CLI; see CliKillAndResumeTests.)
if (args.Length == 0 || args[0] != "write-loop")
{
    Console.Error.WriteLine("usage: write-loop --path FILE --mb M");
    return 2;
}
return WriteLoop(args);

static string Arg(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"missing {name}");
}

static int WriteLoop(string[] args)
{
    string path = Arg(args, "--path");
    int mb = int.Parse(Arg(args, "--mb"), System.Globalization.CultureInfo.InvariantCulture);
    var weights = new byte[mb << 20];
    for (int i = 0; ; i++)
    {
        Array.Fill(weights, (byte)i);
        new TrainingCheckpoint
        {
            Header = new CheckpointHeader { Iteration = i, TotalIterations = int.MaxValue, Loss = "Contrastive" },
            NetworkState = weights,
            HeadState = [],
            OptimizerState = [(byte)i],
        }.Save(path);
        Console.WriteLine($"saved {i}");
    }
}
