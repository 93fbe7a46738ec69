using Microsoft.ML;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Trainers;

// Usage:
//   write-loop --path FILE --mb M
//       Saves a checkpoint of M MiB to FILE over and over (printing "saved I" after each), so that a kill lands mid-write.
//   model-files --root DIR --then exit|wait
//       Makes a model's temporary folder under DIR (as a trained SiameseModel does), writes a file in it, prints
//       "folder PATH", and then exits without disposing it, or waits to be killed.
// (The kill-and-resume tests of training itself run the real `siamese train` CLI; see CliKillAndResumeTests.)
return args.FirstOrDefault() switch
{
    "write-loop" => WriteLoop(args),
    "model-files" => ModelFiles(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: write-loop --path FILE --mb M | model-files --root DIR --then exit|wait");
    return 2;
}

static int ModelFiles(string[] args)
{
    var files = new ModelTempFiles(new MLContext(seed: 1) { TempFilePath = Arg(args, "--root") });
    string graph = files.Write("embedder.onnx", new byte[1 << 20]);
    Console.WriteLine($"folder {Path.GetDirectoryName(graph)}");
    if (Arg(args, "--then") == "wait")
        Thread.Sleep(Timeout.Infinite);
    return 0;   // files is never disposed: the exit handler deletes the folder
}

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
