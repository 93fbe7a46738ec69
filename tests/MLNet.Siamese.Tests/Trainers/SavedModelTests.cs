using MLNet.Siamese.Losses;
using System.Diagnostics;
using System.Globalization;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Tests.Trainers;

[TestClass]
public sealed class SavedModelTests
{
    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A small feature-vector model (contrastive, compact 28x28, 16-d, 15 steps, seed 11) on synthetic glyphs.</summary>
    internal static SiameseModel TrainVectorModel(MLContext ml) => ml.Siamese().Train(new SiameseTrainerOptions
    {
        Loss = SiameseLoss.Contrastive,
        WeightAveragingDecay = 0,
        Augmentation = null,
        Network = NetworkPresets.Compact(28, 16),
        Iterations = 15,
        BatchSize = 32,
        LearningRate = 1e-3f,
        Seed = 11,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 200,
    }).Fit(SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(8, 6, 3)));

    [TestMethod]
    public void ASavedPairZipScoresTheSameInAFreshProcessThatHasNoTorchSharp()
    {
        string dir = TempDir();
        try
        {
            var ml = new MLContext(seed: 1);
            var model = TrainVectorModel(ml);
            string zip = Path.Combine(dir, "pairs.zip");
            model.SavePairScorer(zip);

            var pairs = SyntheticGlyphs.Pairs(SyntheticGlyphs.Make(5, 4, 9), 12, 4).Select(p => p.Pair).ToList();
            var engine = ml.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(model.PairScorer);
            var expected = pairs.Select(p => engine.Predict(p)).ToList();

            string csv = Path.Combine(dir, "pairs.csv");
            File.WriteAllLines(csv, pairs.Select(p => string.Join(",", p.LeftFeatures.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))
                + ";" + string.Join(",", p.RightFeatures.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

            string scorer = ScoringOnlyProcess.Path;
            string deps = File.ReadAllText(Path.ChangeExtension(scorer, ".deps.json"));
            Assert.DoesNotContain("TorchSharp", deps, "the scoring process must not reference TorchSharp");
            Assert.DoesNotContain("libtorch", deps);
            Assert.DoesNotContain("MLNet.Siamese.Trainers", deps);

            ScoringOnlyProcess.AssertScoresPairs(zip, csv, expected, scoreTolerance: 1e-6f);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void DisposingTheModelLeavesItsZipScoring()
    {
        string dir = TempDir();
        try
        {
            var ml = new MLContext(seed: 1) { TempFilePath = Path.Combine(dir, "ml-temp") };
            Directory.CreateDirectory(ml.TempFilePath);
            string zip = Path.Combine(dir, "pairs.zip");
            var pairs = SyntheticGlyphs.Pairs(SyntheticGlyphs.Make(5, 4, 9), 6, 4).Select(p => p.Pair).ToList();
            float[] before;
            using (var model = TrainVectorModel(ml))
            {
                model.SavePairScorer(zip);
                var engine = ml.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(model.PairScorer, new PredictionEngineOptions { OwnsTransformer = false });
                before = pairs.Select(p => engine.Predict(p).Score).ToArray();
            }
            var fresh = new MLContext(seed: 1);
            var loaded = fresh.Model.Load(zip, out _);
            var reloaded = fresh.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(loaded);
            CollectionAssert.AreEqual(before, pairs.Select(p => reloaded.Predict(p).Score).ToArray());
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void AnImageModelZipRoundTripsThroughSaveAndLoad()
    {
        string dir = TempDir();
        try
        {
            var ml = new MLContext(seed: 1);
            // Two alphabets' first six characters from the embedded Omniglot set: real images, decoded by ML.NET.
            var entries = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), new ImageFolderOptions { LabelDepth = 2 })
                .Where(e => e.Group is "Latin" or "Greek").GroupBy(e => e.Label).Take(12).SelectMany(g => g.Take(6)).ToList();
            var model = ml.Siamese().Train(new SiameseTrainerOptions
            {
                Loss = SiameseLoss.Contrastive,
                WeightAveragingDecay = 0,
                Augmentation = null,
                ImageColumnName = "ImagePath",
                Preprocessing = new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true },
                Network = NetworkPresets.Compact(28, 16),
                Iterations = 10,
                BatchSize = 16,
                LearningRate = 1e-3f,
                Seed = 5,
                CalibrationPairs = 100,
            }).Fit(ml.Data.LoadFromEnumerable(entries));
            string zip = Path.Combine(dir, "images.zip");
            model.SavePairScorer(zip);
            var loaded = ml.Model.Load(zip, out var schema);
            Assert.IsNotNull(schema.GetColumnOrNull("LeftImagePath"));

            var pair = new ImagePair { LeftImagePath = entries[0].ImagePath, RightImagePath = entries[7].ImagePath };
            var before = ml.Model.CreatePredictionEngine<ImagePair, PairPrediction>(model.PairScorer).Predict(pair);
            var after = ml.Model.CreatePredictionEngine<ImagePair, PairPrediction>(loaded).Predict(pair);
            Assert.AreEqual(before.Score, after.Score, 1e-6f);
            Assert.AreEqual(before.Distance, after.Distance, 1e-5f);
            Assert.AreEqual(before.Score >= model.Threshold, after.PredictedLabel);

            var embedding = ml.Model.CreatePredictionEngine<ImageItem, EmbeddingPrediction>(model.Embedder).Predict(new ImageItem { ImagePath = entries[0].ImagePath });
            Assert.HasCount(16, embedding.Embedding);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void ExportedOnnxFilesAreWrittenForBothViews()
    {
        string dir = TempDir();
        try
        {
            var ml = new MLContext(seed: 1);
            var model = TrainVectorModel(ml);
            model.ExportOnnx(Path.Combine(dir, "embedder.onnx"));
            model.ExportOnnx(Path.Combine(dir, "pairs.onnx"), SiameseModelView.PairScorer);
            CollectionAssert.AreEqual(model.EmbedderOnnx.ToArray(), File.ReadAllBytes(Path.Combine(dir, "embedder.onnx")));
            CollectionAssert.AreEqual(model.PairScorerOnnx.ToArray(), File.ReadAllBytes(Path.Combine(dir, "pairs.onnx")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
