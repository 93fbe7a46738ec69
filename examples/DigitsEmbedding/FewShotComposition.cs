using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace DigitsEmbedding;

/// <summary>
/// The embedder as an ordinary pipeline stage: a Siamese network trained on some classes produces embeddings that a
/// standard ML.NET multiclass trainer (L-BFGS maximum entropy, L2 = 0.01, no L1) learns from, on classes the network never saw, with
/// K = 1..5 examples per class. The same trainer on raw pixels is the baseline.
/// </summary>
internal static class FewShotComposition
{
    private const int Repeats = 10;

    private sealed class FewShotRow
    {
        public float[] Features { get; set; } = [];
        public float[] Embedding { get; set; } = [];
        public string Label { get; set; } = "";
    }

    public static void Run(MLContext ml, List<ImageRow> trainRows, List<ImageRow> testRows, DigitsOptions o, Func<string, string> className)
    {
        var held = o.HeldOutClasses.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var seenTrain = trainRows.Where(r => !held.Contains(r.Label)).ToList();
        var heldTest = testRows.Where(r => held.Contains(r.Label)).ToList();
        if (seenTrain.Select(r => r.Label).Distinct().Count() < 2 || heldTest.Select(r => r.Label).Distinct().Count() < 2)
        {
            Console.WriteLine($"Composition skipped: --held-out {string.Join(",", o.HeldOutClasses)} leaves fewer than two classes on one side.");
            return;
        }
        Console.WriteLine();
        Console.WriteLine($"== Composition: embeddings feeding ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy ==");
        Console.WriteLine($"Siamese MLP (784-1024-1024-{o.CompositionDimension}, contrastive, margin 1, Adam 1e-3) trained on {seenTrain.Count} training images of classes " +
                          $"{string.Join(", ", seenTrain.Select(r => r.Label).Distinct().Order().Select(className))}; " +
                          $"few-shot on the held-out classes {string.Join(", ", held.Order().Select(className))} ({heldTest.Count} test images).");
        var options = new SiameseTrainerOptions
        {
            WeightAveragingDecay = 0,
            Augmentation = null,
            Network = NetworkPresets.SeedMlp(28, o.CompositionDimension),
            Loss = SiameseLoss.Contrastive,
            Margin = 1.0f,
            LearningRate = 1e-3f,
            BatchSize = 128,
            Iterations = o.CompositionIterations,
            Seed = o.Seed,
            ProgressInterval = Math.Max(1, o.CompositionIterations / 3),
            Progress = new Progress<TrainingProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  iteration {p.Iteration}/{p.TotalIterations}  loss {p.Loss:F4}  {p.Elapsed:mm\\:ss}"))),
        };
        var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(seenTrain));
        float[][] embeddings = Embeddings.Embed(model, ml.Data.LoadFromEnumerable(heldTest));
        var rows = heldTest.Select((r, i) => new FewShotRow { Features = r.Features, Embedding = embeddings[i], Label = r.Label }).ToList();
        var schema = SchemaDefinition.Create(typeof(FewShotRow));
        schema[nameof(FewShotRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 28 * 28);
        schema[nameof(FewShotRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, o.CompositionDimension);

        Console.WriteLine($"Accuracy on the rest of the held-out test images, mean (min..max) over {Repeats} random support draws:");
        Console.WriteLine("| K per class | raw pixels (784) | Siamese embedding | gain |");
        Console.WriteLine("|---:|---:|---:|---:|");
        var byClass = rows.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.ToList());
        for (int k = 1; k <= 5; k++)
        {
            var pixels = new List<double>();
            var embedded = new List<double>();
            for (int repeat = 0; repeat < Repeats; repeat++)
            {
                var random = new Random(o.Seed * 1000 + k * 100 + repeat);
                var support = new List<FewShotRow>();
                var query = new List<FewShotRow>();
                foreach (var members in byClass.Values)
                {
                    var shuffled = members.OrderBy(_ => random.Next()).ToList();
                    support.AddRange(shuffled.Take(k));
                    query.AddRange(shuffled.Skip(k));
                }
                var supportView = ml.Data.LoadFromEnumerable(support, schema);
                var queryView = ml.Data.LoadFromEnumerable(query, schema);
                pixels.Add(Accuracy(ml, supportView, queryView, nameof(FewShotRow.Features)));
                embedded.Add(Accuracy(ml, supportView, queryView, nameof(FewShotRow.Embedding)));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {k} | {pixels.Average():P1} ({pixels.Min():P1}..{pixels.Max():P1}) | {embedded.Average():P1} ({embedded.Min():P1}..{embedded.Max():P1}) | {embedded.Average() - pixels.Average():+0.0%;-0.0%} |"));
        }
    }

    /// <summary>Fits MapValueToKey + LbfgsMaximumEntropy on <paramref name="support"/> and returns the micro accuracy on <paramref name="query"/>.</summary>
    public static double Accuracy(MLContext ml, IDataView support, IDataView query, string featureColumn)
    {
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: "Label", featureColumnName: featureColumn,
                // The defaults (L1 = L2 = 1) drive every weight of a 5..25-example problem to zero (a constant prediction);
                // the same light L2-only regularisation is used for pixels and embeddings.
                l1Regularization: 0f, l2Regularization: 1e-2f));
        var scored = pipeline.Fit(support).Transform(query);
        return ml.MulticlassClassification.Evaluate(scored, labelColumnName: "Label").MicroAccuracy;
    }
}
