using MLNet.Siamese.Losses;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.Index;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Tests.Composition;

/// <summary>
/// The Siamese embedder as an ordinary ML.NET pipeline stage: its embeddings feed a standard multiclass trainer
/// (LbfgsMaximumEntropy) on a few-shot split of an alphabet the network never saw, compared with the same trainer on
/// the raw pixels; and they feed the nearest-neighbour stage in a PredictionEngine.
/// </summary>
[TestClass]
public sealed class FewShotCompositionTests
{
    private const string HeldOutAlphabet = "Greek";

    public TestContext TestContext { get; set; } = null!;

    private sealed class Item
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public string Group { get; set; } = "";
    }

    private sealed class HeldOutRow
    {
        public float[] Features { get; set; } = [];
        public float[] Embedding { get; set; } = [];
        public string Label { get; set; } = "";
    }

    private static readonly Lazy<List<Item>> Items = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Siamese().LoadImageFolder(EmbeddedOmniglot.FindSmall1(), labelDepth: 2);
        return ml.Data.CreateEnumerable<Item>(data, reuseRowObject: false).ToList();
    });

    private static IDataView HeldOut(MLContext ml) => ml.Data.LoadFromEnumerable(Items.Value.Where(i => i.Group == HeldOutAlphabet));

    private static SiameseModel TrainOnOtherAlphabets(MLContext ml, int seed, int iterations) =>
        ml.Siamese().Train(new SiameseTrainerOptions
        {
            WeightAveragingDecay = 0,
            Augmentation = null,
            ImageColumnName = "ImagePath",
            Preprocessing = new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true },
            LabelColumnName = "Label",
            Network = NetworkPresets.Compact(28, 32),
            Loss = Losses.SiameseLoss.Contrastive,
            Margin = 1.0f,
            LearningRate = 1e-3f,
            Iterations = iterations,
            BatchSize = 32,
            Seed = seed,
            Device = SiameseDevice.Cpu,
            CalibrationPairs = 200,
        }).Fit(ml.Data.LoadFromEnumerable(Items.Value.Where(i => i.Group != HeldOutAlphabet)));

    /// <summary>Mean accuracy of LbfgsMaximumEntropy over support draws of K per class, on the raw Features and on the Embedding.</summary>
    private static (double Pixels, double Embedding) FewShot(MLContext ml, IDataView embedded, int k, int draws, int seed)
    {
        // The embedder's output holds both the decoded pixels (Features) and the Embedding of every held-out image.
        var rows = ml.Data.CreateEnumerable<HeldOutRow>(embedded, reuseRowObject: false).ToList();
        var schema = SchemaDefinition.Create(typeof(HeldOutRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
        schema["Embedding"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Embedding.Length);
        var byClass = rows.GroupBy(r => r.Label).ToList();
        double pixels = 0, embedding = 0;
        for (int d = 0; d < draws; d++)
        {
            var random = new Random(seed * 100 + d);
            var support = new List<HeldOutRow>();
            var query = new List<HeldOutRow>();
            foreach (var members in byClass)
            {
                var shuffled = members.OrderBy(_ => random.Next()).ToList();
                support.AddRange(shuffled.Take(k));
                query.AddRange(shuffled.Skip(k));
            }
            var supportView = ml.Data.LoadFromEnumerable(support, schema);
            var queryView = ml.Data.LoadFromEnumerable(query, schema);
            pixels += Accuracy(ml, supportView, queryView, "Features");
            embedding += Accuracy(ml, supportView, queryView, "Embedding");
        }
        return (pixels / draws, embedding / draws);
    }

    private static double Accuracy(MLContext ml, IDataView support, IDataView query, string featureColumn)
    {
        // The defaults (L1 = L2 = 1) drive every weight of a 24..120-example problem to zero (a constant prediction);
        // the same light L2-only regularisation is used for pixels and embeddings.
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: "Label", featureColumnName: featureColumn,
                l1Regularization: 0f, l2Regularization: 1e-2f));
        return ml.MulticlassClassification.Evaluate(pipeline.Fit(support).Transform(query), labelColumnName: "Label").MicroAccuracy;
    }

    /// <remarks>
    /// Measured (24-way, 3 support draws, 150 iterations), seeds 1 / 2 / 3: K=1 raw pixels 18.9 / 19.0 / 18.6 %, embedding
    /// 24.7 / 23.2 / 26.8 %; K=5 raw pixels 32.5 / 33.3 / 30.1 %, embedding 41.0 / 38.5 / 39.2 %. The smallest gain was 4.2
    /// points, so the test asks for 3 points with seed 1 (deterministic on CPU).
    /// </remarks>
    [TestMethod]
    [DataRow(1)]
    public void EmbeddingsBeatRawPixelsFewShotOnAnUnseenAlphabet(int seed)
    {
        var ml = new MLContext(seed: seed);
        var model = TrainOnOtherAlphabets(ml, seed, iterations: 150);
        var embedded = model.Transform(HeldOut(ml));
        foreach (int k in new[] { 1, 5 })
        {
            var (pixels, embedding) = FewShot(ml, embedded, k, draws: 3, seed);
            TestContext.WriteLine($"seed {seed} K={k}: raw pixels {pixels:P1}, embedding {embedding:P1}");
            Assert.IsGreaterThan(pixels + 0.03, embedding, $"K={k}: embedding {embedding:P1} vs raw pixels {pixels:P1}");
        }
    }

    [TestMethod]
    public void EmbedderAndNearestNeighboursComposeInAPredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainOnOtherAlphabets(ml, 1, iterations: 10);
        var held = Items.Value.Where(i => i.Group == HeldOutAlphabet).ToList();
        var embedded = model.Transform(ml.Data.LoadFromEnumerable(held));
        float[][] embeddings = embedded.GetColumn<float[]>("Embedding").ToArray();
        var index = new SimilarityIndex(model.EmbeddingDimension);
        index.AddRange(held.Select((item, i) => (item.ImagePath, item.Label, embeddings[i])));

        var nearest = ml.Siamese().NearestNeighbors(index, 3).Fit(embedded);
        var engine = ml.Model.CreatePredictionEngine<ImageItem, NearestNeighborsPrediction>(model.Embedder.Append(nearest));
        for (int i = 0; i < held.Count; i += 97)
        {
            var p = engine.Predict(new ImageItem { ImagePath = held[i].ImagePath });
            var expected = index.Search(embeddings[i], 3);
            CollectionAssert.AreEqual(expected.Select(m => m.Id).ToArray(), p.NeighborIds, $"item {i}");
            Assert.AreEqual(held[i].ImagePath, p.NeighborIds[0], "an image is its own nearest neighbour");
            Assert.AreEqual(0f, p.NeighborDistances[0], 1e-4f);
            CollectionAssert.AreEqual(expected.Select(m => m.Label).ToArray(), p.NeighborLabels);
        }
    }
}
