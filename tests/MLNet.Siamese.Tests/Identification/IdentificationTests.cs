using MLNet.Siamese.Losses;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Identification;
using MLNet.Siamese.Index;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Identification;

/// <summary>
/// The gallery inside the model zip: one small vector model trained once; its identifier must answer as the in-memory
/// index does on the same embeddings, survive save/load through ML.NET alone, update without retraining, and refuse bad input.
/// </summary>
[TestClass]
public sealed class IdentificationTests
{
    private static MLContext _ml = null!;
    private static SiameseModel _model = null!;
    private static List<GlyphItem> _items = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _ml = new MLContext(seed: 1);
        _model = Trainers.SavedModelTests.TrainVectorModel(_ml);
        _items = SyntheticGlyphs.Make(10, 4, 21, prefix: "g");
    }

    internal static IDataView Gallery(IEnumerable<GlyphItem> items, string prefix = "item")
        => _ml.Data.LoadFromEnumerable(items.Select((g, i) => new IdentifiedGlyph { Features = g.Features, Label = g.Label, Id = $"{prefix}{i}" }));

    private static float[][] Embed(IEnumerable<GlyphItem> items)
        => GalleryEmbedder.FromModel(_ml, _model).Embed(_ml.Data.LoadFromEnumerable(items));

    private static List<IdentificationPrediction> Predict(ITransformer identifier, IEnumerable<GlyphItem> queries)
    {
        var engine = _ml.Model.CreatePredictionEngine<GlyphItem, IdentificationPrediction>(identifier);
        return queries.Select(q => engine.Predict(q)).ToList();
    }

    [TestMethod]
    public void TopKEqualsTheInMemoryIndexOnTheSameEmbeddings()
    {
        var gallery = _items.Where((_, i) => i % 4 != 3).ToList();
        var queries = _items.Where((_, i) => i % 4 == 3).ToList();
        var identifier = _ml.Siamese().Enroll(_model, Gallery(gallery), new EnrollmentOptions { K = 5 });

        var index = new SimilarityIndex(_model.EmbeddingDimension);
        var embeddings = Embed(gallery);
        index.AddRange(embeddings.Select((e, i) => ($"item{i}", gallery[i].Label, e)));
        var predictions = Predict(identifier, queries);
        var queryEmbeddings = Embed(queries);
        for (int q = 0; q < queries.Count; q++)
        {
            var expected = index.Search(queryEmbeddings[q], 5);
            CollectionAssert.AreEqual(expected.Select(m => m.Id).ToArray(), predictions[q].NeighborIds, $"query {q}");
            CollectionAssert.AreEqual(expected.Select(m => m.Label).ToArray(), predictions[q].NeighborLabels, $"query {q}");
            for (int k = 0; k < 5; k++)
                Assert.AreEqual(expected[k].Distance, predictions[q].NeighborDistances[k], 2e-3f * Math.Max(1f, expected[k].Distance), $"query {q} neighbour {k}");
            Assert.AreEqual(predictions[q].NeighborDistances[0], predictions[q].Distance[0]);
            bool known = predictions[q].Distance[0] <= identifier.Threshold;
            Assert.AreEqual(known, predictions[q].IsKnown[0]);
            Assert.AreEqual(known ? expected[0].Label : identifier.UnknownLabel, predictions[q].PredictedLabel[0]);
            float far = identifier.ImpostorDistances.Count(d => d <= predictions[q].Distance[0]) / (float)identifier.ImpostorDistances.Count;
            Assert.AreEqual(1f - far, predictions[q].Confidence[0], 1e-6f);
        }
    }

    [TestMethod]
    public void PrototypesAnswerWithTheNearestClassMean()
    {
        var identifier = _ml.Siamese().Enroll(_model, Gallery(_items), new EnrollmentOptions { Mode = GalleryMode.Prototypes, K = 3, Threshold = float.PositiveInfinity });
        Assert.AreEqual(10, identifier.RowCount);
        var embeddings = Embed(_items);
        var labels = _items.Select(i => i.Label).Distinct().ToArray();
        var means = labels.Select(l => Enumerable.Range(0, 16).Select(j => (float)_items.Select((it, i) => (it, i)).Where(p => p.it.Label == l).Average(p => embeddings[p.i][j])).ToArray()).ToArray();
        var predictions = Predict(identifier, _items.Take(8));
        for (int q = 0; q < 8; q++)
        {
            int best = Enumerable.Range(0, labels.Length).OrderBy(c => System.Numerics.Tensors.TensorPrimitives.Distance(embeddings[q], means[c])).First();
            Assert.AreEqual(labels[best], predictions[q].PredictedLabel[0], $"query {q}");
            Assert.IsTrue(predictions[q].IsKnown[0], "an infinite threshold never rejects");
        }
    }

    [TestMethod]
    public void TheSavedZipLoadsWithMlNetAndScoresTheSame()
    {
        using var temp = new Data.TempFolder();
        var identifier = _ml.Siamese().Enroll(_model, Gallery(_items), new EnrollmentOptions { K = 4 });
        string zip = temp.Combine("id.zip");
        identifier.Save(zip);
        var loaded = _ml.Model.Load(zip, out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("Features"));
        var before = Predict(identifier, _items.Take(6));
        var after = Predict(loaded, _items.Take(6));
        for (int q = 0; q < 6; q++)
        {
            CollectionAssert.AreEqual(before[q].NeighborIds, after[q].NeighborIds);
            CollectionAssert.AreEqual(before[q].NeighborDistances, after[q].NeighborDistances);
            CollectionAssert.AreEqual(before[q].PredictedLabel, after[q].PredictedLabel);
        }

        var reloaded = _ml.Siamese().LoadIdentifier(zip);
        Assert.AreEqual(_items.Count, reloaded.Gallery.Count);
        Assert.AreEqual(identifier.Threshold, reloaded.Threshold);
        Assert.AreEqual(identifier.Gallery.EmbedderFingerprint, reloaded.Gallery.EmbedderFingerprint);
        CollectionAssert.AreEqual(identifier.Gallery.EmbeddingsCopy(), reloaded.Gallery.EmbeddingsCopy());
    }

    [TestMethod]
    public void TheZipScoresInAProcessThatHasNoTorchSharp()
    {
        using var temp = new Data.TempFolder();
        var identifier = _ml.Siamese().Enroll(_model, Gallery(_items.Where((_, i) => i % 4 != 0)), new EnrollmentOptions { K = 3 });
        string zip = temp.Combine("id.zip");
        identifier.Save(zip);
        var queries = _items.Where((_, i) => i % 4 == 0).ToList();
        string csv = temp.Combine("items.csv");
        File.WriteAllLines(csv, queries.Select(q => string.Join(",", q.Features.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));

        var (exit, output, error) = ScoringOnlyProcess.Run($"--identify \"{zip}\" \"{csv}\"", timeoutSeconds: 120);
        Assert.AreEqual(0, exit, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = Predict(identifier, queries);
        Assert.HasCount(queries.Count, lines);
        for (int q = 0; q < lines.Length; q++)
        {
            var parts = lines[q].Trim().Split(' ');
            Assert.AreEqual(expected[q].PredictedLabel[0], parts[0], $"query {q}");
            Assert.AreEqual(expected[q].Distance[0], float.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), 1e-5f, $"query {q}");
            Assert.AreEqual(string.Join(",", expected[q].NeighborIds), parts[2], $"query {q}");
        }
    }

    [TestMethod]
    public void ItemsAreAddedAndRemovedWithoutRetraining()
    {
        using var temp = new Data.TempFolder();
        var known = _items.Where(i => i.Label != "g009").ToList();
        var newcomer = _items.Where(i => i.Label == "g009").ToList();
        var identifier = _ml.Siamese().Enroll(_model, Gallery(known), new EnrollmentOptions { K = 3, Threshold = float.PositiveInfinity });
        string zip = temp.Combine("id.zip");
        identifier.Save(zip);

        var loaded = _ml.Siamese().LoadIdentifier(zip);
        var grown = loaded.WithItems(Gallery(newcomer.Take(3), prefix: "new"));
        Assert.AreEqual(known.Count + 3, grown.Gallery.Count);
        grown.Save(zip);
        var answer = Predict(_ml.Model.Load(zip, out _), newcomer.Take(1));
        Assert.AreEqual("new0", answer[0].NeighborIds[0], "an added item is its own nearest neighbour after re-enrolment");
        Assert.AreEqual("g009", answer[0].PredictedLabel[0]);

        var shrunk = _ml.Siamese().LoadIdentifier(zip).WithoutItems(["new0", "new1", "new2"]);
        Assert.AreEqual(known.Count, shrunk.Gallery.Count);
        Assert.IsFalse(Predict(shrunk, newcomer).Any(p => p.NeighborIds.Any(id => id.StartsWith("new", StringComparison.Ordinal))));
        Assert.IsEmpty(Directory.GetFiles(temp.Path, "*.tmp"), "the atomic save leaves no temporary file");
    }

    [TestMethod]
    public void TheModelsImpostorDistancesTravelThroughEveryZip_AndSetTheThresholdWhenAsked()
    {
        // The vector model has no validation data: its 48 training items of 8 classes are measured, every pair of
        // different classes, and being training classes they only set the threshold when asked.
        var profile = _model.Summary.Impostors;
        Assert.IsNotNull(profile);
        Assert.AreEqual(8, profile.Classes);
        Assert.IsFalse(profile.HeldOutClasses);
        Assert.AreEqual(48L * 47 / 2 - 8 * (6 * 5 / 2), profile.Pairs);
        StringAssert.Contains(_ml.Siamese().Enroll(_model, Gallery(_items)).Calibration, "leave-class-out impostor queries");

        var identifier = _ml.Siamese().Enroll(_model, Gallery(_items), new EnrollmentOptions { K = 3, Calibration = ThresholdCalibration.Model });
        double pairRate = ImpostorDistanceProfile.PairRate(0.01, _items.Count);
        Assert.AreEqual(MathF.BitDecrement(profile.Quantile(pairRate)), identifier.Threshold);
        StringAssert.Contains(identifier.Calibration, $"read from the model's {profile.Pairs} impostor pairs (8 training classes)");
        StringAssert.Contains(identifier.Calibration, "expect a higher rate");

        using var temp = new Data.TempFolder();
        foreach (var (name, save) in new (string, Action<string>)[] { ("pairs.zip", _model.SavePairScorer), ("embedder.zip", _model.SaveEmbedder), ("id.zip", identifier.Save) })
        {
            string zip = temp.Combine(name);
            save(zip);
            var read = GalleryEmbedder.FromFile(_ml, zip).Impostors;
            Assert.IsNotNull(read, name);
            CollectionAssert.AreEqual(profile.Distances.ToArray(), read.Distances.ToArray(), name);
        }
        // A loaded identifier recalibrates by the same rule for its new size.
        var grown = _ml.Siamese().LoadIdentifier(temp.Combine("id.zip")).WithItems(Gallery(_items.Take(5), prefix: "extra"));
        Assert.AreEqual(MathF.BitDecrement(profile.Quantile(ImpostorDistanceProfile.PairRate(0.01, _items.Count + 5))), grown.Threshold);
    }

    [TestMethod]
    public void AModelWithHeldOutClasses_MeasuresThem_AndItsIdentifiersCalibrateOnThemByDefault()
    {
        // 12 synthetic classes, a quarter held out: the distances are measured on the 3 held-out classes' 18 items.
        var held = _ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            Network = NetworkPresets.Compact(28, 16),
            Iterations = 10,
            BatchSize = 32,
            LearningRate = 1e-3f,
            Seed = 5,
            Device = SiameseDevice.Cpu,
            ValidationClassFraction = 0.25,
        }).Fit(SyntheticGlyphs.Load(_ml, SyntheticGlyphs.Make(12, 6, 8)));
        var profile = held.Summary.Impostors;
        Assert.IsNotNull(profile);
        Assert.IsTrue(profile.HeldOutClasses);
        Assert.AreEqual(3, profile.Classes);
        Assert.AreEqual(18L * 17 / 2 - 3 * (6 * 5 / 2), profile.Pairs);
        var identifier = _ml.Siamese().Enroll(held, Gallery(_items.Take(8)), new EnrollmentOptions { K = 3 });
        Assert.AreEqual(MathF.BitDecrement(profile.Quantile(ImpostorDistanceProfile.PairRate(0.01, 8))), identifier.Threshold);
        StringAssert.Contains(identifier.Calibration, "(3 classes held out of training): pair rate");
        Assert.DoesNotContain("expect a higher rate", identifier.Calibration);
        // Prototypes, or impostor images, go back to the gallery.
        StringAssert.Contains(_ml.Siamese().Enroll(held, Gallery(_items), new EnrollmentOptions { K = 3, Mode = GalleryMode.Prototypes }).Calibration, "leave-class-out");
        StringAssert.Contains(_ml.Siamese().Enroll(held, Gallery(_items.Take(8)), new EnrollmentOptions { K = 3, Impostors = Gallery(_items.Skip(30)) }).Calibration, "leave-class-out");
    }

    [TestMethod]
    public void AGalleryFromAnotherEmbedderIsRefused()
    {
        var other = _ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            LearningRate = 6e-5f,
            Network = NetworkPresets.Compact(28, 16),
            Iterations = 3,
            BatchSize = 16,
            Seed = 99,
            Device = SiameseDevice.Cpu,
            CalibrationPairs = 50,
        }).Fit(SyntheticGlyphs.Load(_ml, SyntheticGlyphs.Make(4, 4, 5)));
        var foreign = _ml.Siamese().Enroll(other, Gallery(_items)).Gallery;
        var mine = _ml.Siamese().Enroll(_model, Gallery(_items));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => mine.WithGallery(foreign));
        StringAssert.Contains(error.Message, "different embedder");
        Assert.ThrowsExactly<InvalidOperationException>(() => _ml.Siamese().Enroll(GalleryEmbedder.FromModel(_ml, _model), foreign));
    }

    [TestMethod]
    public void BadGalleriesGetClearErrors()
    {
        var empty = Assert.ThrowsExactly<ArgumentException>(() => _ml.Siamese().Enroll(_model, Gallery([])));
        StringAssert.Contains(empty.Message, "empty");

        var twice = _ml.Data.LoadFromEnumerable(_items.Take(3).Select(g => new IdentifiedGlyph { Features = g.Features, Label = g.Label, Id = "same" }));
        var duplicate = Assert.ThrowsExactly<ArgumentException>(() => _ml.Siamese().Enroll(_model, twice));
        StringAssert.Contains(duplicate.Message, "'same'");

        var tooMany = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Siamese().Enroll(_model, Gallery(_items.Take(4)), new EnrollmentOptions { K = 5 }));
        StringAssert.Contains(tooMany.Message, "larger than the gallery (4 items)");

        var noLabel = Assert.ThrowsExactly<ArgumentException>(() => _ml.Siamese().Enroll(_model, Gallery(_items), new EnrollmentOptions { LabelColumnName = "Class" }));
        StringAssert.Contains(noLabel.Message, "'Class'");
    }
}

/// <summary>A gallery row: features, label and id.</summary>
public sealed class IdentifiedGlyph
{
    /// <summary>The 28x28 image.</summary>
    [VectorType(784)]
    public float[] Features { get; set; } = [];

    /// <summary>The class.</summary>
    public string Label { get; set; } = "";

    /// <summary>The unique id.</summary>
    public string Id { get; set; } = "";
}
