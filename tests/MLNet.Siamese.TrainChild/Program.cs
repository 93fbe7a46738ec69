using System.Text.Json;
using MLNet.Siamese;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage:
//   train --dir CKPT --out RESULT.json --iterations N --interval K [--resume] [--seed S]
//       Trains the compact net on fixed synthetic data with checkpoints every K iterations, printing "iteration I" after
//       every step. With --resume it continues from TrainingCheckpoint.FindLatestValid(CKPT). Writes the loss history
//       and the embeddings of a few fixed inputs (as float bits) to RESULT.json.
//   write-loop --path FILE --mb M
//       Saves a checkpoint of M MiB to FILE over and over (printing "saved I" after each), so a kill lands mid-write.
return args.Length > 0 && args[0] == "write-loop" ? WriteLoop(args) : Train(args);

static string Arg(string[] args, string name, string? fallback = null)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
}

static int Train(string[] args)
{
    string dir = Arg(args, "--dir");
    string output = Arg(args, "--out");
    int iterations = int.Parse(Arg(args, "--iterations"), System.Globalization.CultureInfo.InvariantCulture);
    int interval = int.Parse(Arg(args, "--interval"), System.Globalization.CultureInfo.InvariantCulture);
    int seed = int.Parse(Arg(args, "--seed", "5"), System.Globalization.CultureInfo.InvariantCulture);
    string? resume = null;
    if (args.Contains("--resume"))
    {
        resume = TrainingCheckpoint.FindLatestValid(dir);
        Console.WriteLine($"resume {resume ?? "(none)"}");
    }

    var ml = new MLContext(seed: 1);
    var items = Glyphs.Make(classes: 6, perClass: 5, seed: 11);
    var options = new SiameseTrainerOptions
    {
        Network = NetworkPresets.Compact(28, 8),
        Iterations = iterations,
        BatchSize = 16,
        LearningRate = 1e-3f,
        Seed = seed,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 50,
        CheckpointDirectory = dir,
        CheckpointInterval = interval,
        ResumeFrom = resume,
        ProgressInterval = 1,
        Progress = new LineProgress(),
    };
    var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(items));

    var probes = Glyphs.Make(classes: 2, perClass: 2, seed: 99);
    var embeddings = ml.Data.CreateEnumerable<EmbeddingPrediction>(model.Transform(ml.Data.LoadFromEnumerable(probes)), reuseRowObject: false)
        .Select(e => e.Embedding.Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray();
    var result = new ChildResult
    {
        ResumedFrom = resume,
        LossBits = model.Summary.LossHistory.Select(BitConverter.SingleToInt32Bits).ToArray(),
        EmbeddingBits = embeddings,
        Threshold = BitConverter.SingleToInt32Bits(model.Threshold),
    };
    string temp = output + ".tmp";
    File.WriteAllText(temp, JsonSerializer.Serialize(result));
    File.Move(temp, output, overwrite: true);
    Console.WriteLine("done");
    return 0;
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

/// <summary>What the child writes at the end of a run.</summary>
internal sealed class ChildResult
{
    public string? ResumedFrom { get; set; }
    public int[] LossBits { get; set; } = [];
    public int[][] EmbeddingBits { get; set; } = [];
    public int Threshold { get; set; }
}

/// <summary>Prints "iteration I" synchronously after every step, so the parent knows how far training got.</summary>
internal sealed class LineProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        Console.Out.WriteLine($"iteration {value.Iteration}");
        Console.Out.Flush();
    }
}

/// <summary>One training row: 28x28 pixels in 0..1 and a class.</summary>
internal sealed class GlyphRow
{
    [VectorType(784)]
    public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

/// <summary>Deterministic synthetic classes: a few strokes per class, shifted and noised per item.</summary>
internal static class Glyphs
{
    public static List<GlyphRow> Make(int classes, int perClass, int seed)
    {
        var random = new Random(seed);
        var rows = new List<GlyphRow>();
        for (int c = 0; c < classes; c++)
        {
            var strokes = Enumerable.Range(0, 3).Select(_ => (random.Next(4, 24), random.Next(4, 24), random.Next(4, 24), random.Next(4, 24))).ToArray();
            for (int k = 0; k < perClass; k++)
            {
                var image = new float[784];
                int dx = random.Next(-2, 3), dy = random.Next(-2, 3);
                foreach (var (x0, y0, x1, y1) in strokes)
                {
                    int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) + 1;
                    for (int s = 0; s <= steps; s++)
                    {
                        int x = x0 + dx + (x1 - x0) * s / steps, y = y0 + dy + (y1 - y0) * s / steps;
                        if (x is >= 0 and < 28 && y is >= 0 and < 28) image[y * 28 + x] = 1f;
                    }
                }
                for (int i = 0; i < image.Length; i++)
                    image[i] = Math.Clamp(image[i] + (float)(random.NextDouble() * 0.1), 0f, 1f);
                rows.Add(new GlyphRow { Features = image, Label = $"c{c}" });
            }
        }
        return rows;
    }
}
