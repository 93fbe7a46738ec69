using System.Globalization;
using MLNet.Siamese.Losses;

namespace MLNet.Siamese.Examples.Omniglot;

/// <summary>Command-line settings of the example; every one has the default the README's command runs with.</summary>
internal sealed record ExampleSettings
{
    public int Iterations { get; init; } = 3000;
    public int BatchSize { get; init; } = 128;
    public string Network { get; init; } = "compact";
    public int ImageSize { get; init; } = 28;
    public int EmbeddingDimension { get; init; } = 64;
    public SiameseLoss Loss { get; init; } = SiameseLoss.Prototypical;
    public float Margin { get; init; } = 1.0f;
    public float LearningRate { get; init; } = 1e-3f;
    public int Ways { get; init; } = 20;
    public int Queries { get; init; } = 5;
    public bool WithinGroup { get; init; } = true;
    public bool RotatedClasses { get; init; } = true;
    public bool Augment { get; init; } = true;
    public int Seed { get; init; } = 1;
    public int EvaluationPairs { get; init; } = 2000;
    public int Episodes { get; init; } = 1000;
    public string OutputDirectory { get; init; } = "omniglot-output";

    public static ExampleSettings Parse(string[] args)
    {
        var s = new ExampleSettings();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            float Float() => float.Parse(Next(), CultureInfo.InvariantCulture);
            s = args[i] switch
            {
                "--iterations" => s with { Iterations = Int() },
                "--batch" => s with { BatchSize = Int() },
                "--network" => s with { Network = Next() },
                "--image-size" => s with { ImageSize = Int() },
                "--embedding-dim" => s with { EmbeddingDimension = Int() },
                "--loss" => s with { Loss = Enum.Parse<SiameseLoss>(Next(), ignoreCase: true) },
                "--margin" => s with { Margin = Float() },
                "--learning-rate" => s with { LearningRate = Float() },
                "--ways" => s with { Ways = Int() },
                "--queries" => s with { Queries = Int() },
                "--any-group" => s with { WithinGroup = false },
                "--no-rotations" => s with { RotatedClasses = false },
                "--no-augment" => s with { Augment = false },
                "--seed" => s with { Seed = Int() },
                "--pairs" => s with { EvaluationPairs = Int() },
                "--episodes" => s with { Episodes = Int() },
                "--out" => s with { OutputDirectory = Next() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Known: --iterations --batch --network --image-size --embedding-dim --loss --margin --learning-rate --ways --queries --any-group --no-rotations --no-augment --seed --pairs --episodes --out"),
            };
        }
        return s;
    }
}
