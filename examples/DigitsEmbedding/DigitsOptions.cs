using System.Globalization;

namespace DigitsEmbedding;

/// <summary>Command-line options of the example (all optional).</summary>
internal sealed class DigitsOptions
{
    public string? ImagesPath { get; private set; }
    public string? LabelsPath { get; private set; }
    public string? TestImagesPath { get; private set; }
    public string? TestLabelsPath { get; private set; }
    public int Iterations { get; private set; } = 1200;
    public int Stages { get; private set; } = 4;
    public int BatchSize { get; private set; } = 180;
    public int PlotPoints { get; private set; } = 2000;
    public int QueryIndex { get; private set; }
    public int Seed { get; private set; } = 1;
    public string OutputDirectory { get; private set; } = "digits-output";
    public bool Bench { get; private set; }
    public bool Composition { get; private set; } = true;
    public int CompositionIterations { get; private set; } = 600;
    public int CompositionDimension { get; private set; } = 16;
    public int[] HeldOutClasses { get; private set; } = [5, 6, 7, 8, 9];

    public const string Usage = """
        DigitsEmbedding: the digits seed reproduced (contrastive Siamese MLP, 2-D embedding) on 28x28 IDX images.

          dotnet run -c Release --project examples/DigitsEmbedding -- [options]

          --data IMAGES_IDX --labels LABELS_IDX   training images/labels (IDX, raw or .gz); default: Fashion-MNIST from
                                                  the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)
          --test-data IMAGES --test-labels LABELS test split; default: Fashion-MNIST t10k, or the last 1/6 of --data
          --iterations N        total training iterations (default 1200)
          --stages N            training stages; a plot is drawn after each (default 4)
          --batch N             pairs per iteration (default 180, as the seed)
          --plot-points N       test images in each scatter plot (default 2000)
          --query I             test image to search the nine most similar of (default 0)
          --seed N              random seed (default 1)
          --out DIR             output folder for PNGs, checkpoints and the index (default digits-output)
          --no-composition      skip the few-shot composition section
          --composition-iterations N  iterations of the composition network (default 600)
          --composition-dim N   embedding size of the composition network (default 16)
          --held-out 5,6,7,8,9  classes kept out of the composition network's training (default 5,6,7,8,9)
          --bench               only time SimilarityIndex (10k/100k items x 64/128 dims) and print the table
        """;

    public static DigitsOptions Parse(string[] args)
    {
        var o = new DigitsOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {name} needs a value.");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min
                ? v : throw new ArgumentException($"Option {name} needs an integer >= {min}, not '{args[i]}'.");
            switch (name)
            {
                case "--data": o.ImagesPath = Value(); break;
                case "--labels": o.LabelsPath = Value(); break;
                case "--test-data": o.TestImagesPath = Value(); break;
                case "--test-labels": o.TestLabelsPath = Value(); break;
                case "--iterations": o.Iterations = Int(1); break;
                case "--stages": o.Stages = Int(1); break;
                case "--batch": o.BatchSize = Int(1); break;
                case "--plot-points": o.PlotPoints = Int(1); break;
                case "--query": o.QueryIndex = Int(0); break;
                case "--seed": o.Seed = Int(0); break;
                case "--out": o.OutputDirectory = Value(); break;
                case "--bench": o.Bench = true; break;
                case "--no-composition": o.Composition = false; break;
                case "--composition-iterations": o.CompositionIterations = Int(1); break;
                case "--composition-dim": o.CompositionDimension = Int(1); break;
                case "--held-out":
                    o.HeldOutClasses = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) ? c
                            : throw new ArgumentException($"--held-out takes class numbers separated by commas, not '{s}'."))
                        .ToArray();
                    break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        if ((o.ImagesPath is null) != (o.LabelsPath is null))
            throw new ArgumentException("--data and --labels go together.");
        if ((o.TestImagesPath is null) != (o.TestLabelsPath is null))
            throw new ArgumentException("--test-data and --test-labels go together.");
        if (o.Stages > o.Iterations)
            throw new ArgumentException($"--stages ({o.Stages}) cannot exceed --iterations ({o.Iterations}).");
        return o;
    }
}

/// <summary>Thrown by <see cref="DigitsOptions.Parse"/> for --help.</summary>
internal sealed class HelpRequestedException : Exception;
