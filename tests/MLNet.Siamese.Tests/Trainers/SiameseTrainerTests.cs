using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Tests.Trainers;

[TestClass]
public sealed class SiameseTrainerTests
{
    private static readonly List<GlyphItem> Train = SyntheticGlyphs.Make(30, 10, seed: 1, prefix: "train", groups: 3);
    private static readonly List<GlyphItem> Unseen = SyntheticGlyphs.Make(10, 10, seed: 2, prefix: "unseen");
    private static readonly List<GlyphItem> Validation = SyntheticGlyphs.Make(10, 10, seed: 4, prefix: "validation");

    public TestContext TestContext { get; set; } = null!;

    private static SiameseTrainerOptions Small(int iterations = 20) => new()
    {
        Loss = SiameseLoss.Contrastive,
        WeightAveragingDecay = 0,
        Augmentation = null,
        Network = NetworkPresets.Compact(28, 16),
        Iterations = iterations,
        BatchSize = 32,
        LearningRate = 1e-3f,
        Seed = 7,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 200,
    };

    private static double PairAccuracy(MLContext ml, SiameseModel model, IReadOnlyList<GlyphItem> items, int seed)
    {
        var pairs = SyntheticGlyphs.Pairs(items, 200, seed);
        var scored = model.PairScorer.Transform(ml.Data.LoadFromEnumerable(pairs.Select(p => p.Pair)));
        var predicted = ml.Data.CreateEnumerable<PairPrediction>(scored, reuseRowObject: false).ToList();
        return predicted.Zip(pairs).Count(z => z.First.PredictedLabel == z.Second.Same) / (double)pairs.Count;
    }

    [TestMethod]
    public void ContrastiveTrainingLowersTheLossAndSeparatesUnseenClasses()
    {
        var ml = new MLContext(seed: 1);
        var options = Small(100);
        options.Margin = 1.0f;
        options.ValidationData = SyntheticGlyphs.Load(ml, Validation);
        options.ValidationInterval = 50;
        options.ValidationPairs = 400;
        var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
        var loss = model.Summary.LossHistory;
        Assert.AreEqual(100, loss.Count);
        double first = loss.Take(20).Average(), last = loss.Skip(80).Average();
        Assert.IsLessThan(first * 0.7, last, $"loss {first:F4} -> {last:F4}");
        double accuracy = PairAccuracy(ml, model, Unseen, 3);
        TestContext.WriteLine($"unseen-class pair accuracy {accuracy:P1}, loss {first:F4} -> {last:F4}");
        Assert.IsGreaterThan(0.75, accuracy);
    }

    [TestMethod]
    [DataRow(SiameseLoss.BinaryCrossEntropy)]
    [DataRow(SiameseLoss.Triplet)]
    [DataRow(SiameseLoss.Prototypical)]
    public void EveryLossTrainsAndScoresPairs(SiameseLoss lossKind)
    {
        var ml = new MLContext(seed: 1);
        var options = Small(40);
        options.Loss = lossKind;
        options.Ways = 5;
        options.Shots = 1;
        options.Queries = 3;
        options.Margin = 0.5f;
        var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
        Assert.AreEqual(40, model.Summary.LossHistory.Count);
        Assert.IsTrue(model.Summary.LossHistory.All(float.IsFinite));
        var engine = ml.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(model.PairScorer);
        var p = engine.Predict(new GlyphPair { LeftFeatures = Unseen[0].Features, RightFeatures = Unseen[1].Features });
        Assert.IsTrue(p.Score is >= 0 and <= 1, $"score {p.Score}");
        Assert.AreEqual(p.Score >= model.Threshold, p.PredictedLabel);
    }

    [TestMethod]
    public void TripletWithoutMiningAndWithinGroupPairsTrain()
    {
        var ml = new MLContext(seed: 1);
        var options = Small(10);
        options.Loss = SiameseLoss.Triplet;
        options.BatchHardMining = false;
        options.GroupColumnName = "Group";
        options.WithinGroup = true;
        var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
        Assert.AreEqual(10, model.Summary.Iterations);
    }

    [TestMethod]
    public void SameSeedGivesTheSameModel()
    {
        float[] Embed()
        {
            var ml = new MLContext(seed: 1);
            var options = Small(8);
            options.Augmentation = new Augmentation.AffineAugmentation();
            var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
            var engine = ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(model);
            return engine.Predict(Unseen[0]).Embedding;
        }
        CollectionAssert.AreEqual(Embed(), Embed());
    }

    [TestMethod]
    public void ResumingFromACheckpointGivesTheUninterruptedResult()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(seed: 1);
            var data = SyntheticGlyphs.Load(ml, Train);
            var full = Small(12);
            full.CheckpointDirectory = Path.Combine(dir, "full");
            full.CheckpointInterval = 6;
            full.Augmentation = new Augmentation.AffineAugmentation();
            var uninterrupted = ml.Siamese().Train(full).Fit(data);

            string halfway = Path.Combine(full.CheckpointDirectory, TrainingCheckpoint.FileName(6));
            Assert.IsTrue(File.Exists(halfway));
            var resumedOptions = Small(12);
            resumedOptions.Augmentation = new Augmentation.AffineAugmentation();
            resumedOptions.ResumeFrom = halfway;
            var resumed = ml.Siamese().Train(resumedOptions).Fit(data);

            CollectionAssert.AreEqual(uninterrupted.Summary.LossHistory.ToArray(), resumed.Summary.LossHistory.ToArray());
            var a = ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(uninterrupted).Predict(Unseen[3]).Embedding;
            var b = ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(resumed).Predict(Unseen[3]).Embedding;
            CollectionAssert.AreEqual(a, b);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void ExplicitPairsTrain()
    {
        var ml = new MLContext(seed: 1);
        var pairs = SyntheticGlyphs.Pairs(Train, 300, 5).Select(p => new LabelledPair { LeftFeatures = p.Pair.LeftFeatures, RightFeatures = p.Pair.RightFeatures, Label = p.Same });
        var options = Small(30);
        options.LeftFeatureColumnName = "LeftFeatures";
        options.RightFeatureColumnName = "RightFeatures";
        var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(pairs));
        Assert.AreEqual(30, model.Summary.Iterations);
        Assert.AreEqual("LeftFeatures", model.LeftFeatureColumnName);
    }

    [TestMethod]
    public void ProgressIsReportedEveryInterval()
    {
        var ml = new MLContext(seed: 1);
        var reports = new List<TrainingProgress>();
        var options = Small(10);
        options.ProgressInterval = 5;
        options.Progress = new SynchronousProgress<TrainingProgress>(reports.Add);
        ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
        CollectionAssert.AreEqual(new[] { 5, 10 }, reports.Select(r => r.Iteration).ToArray());
        Assert.IsTrue(reports.All(r => r.PairsPerSecond > 0 && double.IsFinite(r.Loss)));
    }

    [TestMethod]
    public void ValidationIsRecordedAndCalibratesTheThreshold()
    {
        var ml = new MLContext(seed: 1);
        var options = Small(20);
        options.ValidationData = SyntheticGlyphs.Load(ml, Unseen);
        options.ValidationInterval = 10;
        options.ValidationPairs = 100;
        var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
        Assert.AreEqual(2, model.Summary.ValidationHistory.Count);
        Assert.IsTrue(model.Summary.CalibratedOnValidation);
    }

    [TestMethod]
    public void CancellationStopsTraining()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var options = Small(1000);
        options.ProgressInterval = 2;
        options.Progress = new SynchronousProgress<TrainingProgress>(_ => cts.Cancel());
        options.CancellationToken = cts.Token;
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train)));
    }

    public sealed class LabelledPair
    {
        [VectorType(784)]
        public float[] LeftFeatures { get; set; } = Array.Empty<float>();

        [VectorType(784)]
        public float[] RightFeatures { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
