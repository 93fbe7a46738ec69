using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Examples.Shared;

namespace DigitsEmbedding;

/// <summary>The training and test splits (columns Features: 784 floats in 0..1, Label: text), and how to name a class.</summary>
internal sealed class DigitsData
{
    public required IDataView Train { get; init; }
    public required IDataView Test { get; init; }
    public required string Source { get; init; }
    public required bool IsFashionMnist { get; init; }

    /// <summary>The display name of a label ("7" is "Sneaker" in Fashion-MNIST).</summary>
    public string ClassName(string label) =>
        IsFashionMnist && int.TryParse(label, out int c) && c >= 0 && c < FashionMnist.ClassNames.Count ? FashionMnist.ClassNames[c] : label;

    /// <summary>Loads --data/--labels (and --test-data/--test-labels), or Fashion-MNIST; null (after printing how to install it) when none is available.</summary>
    public static DigitsData? Load(MLContext ml, DigitsOptions options)
    {
        if (options.ImagesPath is not null)
        {
            var all = ml.Siamese().LoadIdx(options.ImagesPath, options.LabelsPath!);
            if (options.TestImagesPath is not null)
            {
                return new DigitsData
                {
                    Train = all,
                    Test = ml.Siamese().LoadIdx(options.TestImagesPath, options.TestLabelsPath!),
                    Source = $"{options.ImagesPath} (test: {options.TestImagesPath})",
                    IsFashionMnist = false,
                };
            }
            long count = all.GetRowCount() ?? all.GetColumn<string>("Label").LongCount();
            int testCount = (int)Math.Max(1, count / 6);
            // IDX files are usually grouped or ordered; a seeded shuffle before the split keeps every class in both parts.
            var shuffled = ml.Data.ShuffleRows(all, seed: options.Seed);
            var cached = ml.Data.Cache(shuffled);
            return new DigitsData
            {
                Train = ml.Data.SkipRows(cached, testCount),
                Test = ml.Data.TakeRows(cached, testCount),
                Source = $"{options.ImagesPath} (last {testCount} of a shuffled copy held out as test)",
                IsFashionMnist = false,
            };
        }
        if (!FashionMnist.IsAvailable())
        {
            Console.Error.WriteLine($"""
                Fashion-MNIST was not found in {FashionMnist.DefaultDirectory}.
                Install it with:   sudo apt-get install dataset-fashion-mnist
                or give any IDX pair:   --data IMAGES_IDX --labels LABELS_IDX [--test-data IMAGES_IDX --test-labels LABELS_IDX]
                """);
            return null;
        }
        return new DigitsData
        {
            Train = FashionMnist.Load(ml, train: true),
            Test = FashionMnist.Load(ml, train: false),
            Source = $"Fashion-MNIST ({FashionMnist.DefaultDirectory})",
            IsFashionMnist = true,
        };
    }
}
