using MLNet.Siamese.Losses;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>Each bad input gets a clear exception that names the column, row, file or setting; nothing written is lost.</summary>
[TestClass]
public sealed class SiameseTrainerBadInputTests
{
    private static SiameseTrainerOptions Small(int iterations = 3) => new()
    {
        Loss = SiameseLoss.Contrastive,
        WeightAveragingDecay = 0,
        Augmentation = null,
        Network = NetworkPresets.Compact(28, 8),
        Iterations = iterations,
        BatchSize = 16,
        LearningRate = 1e-3f,
        Seed = 3,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 50,
    };

    private sealed class ShortItem
    {
        [VectorType(100)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public string Label { get; set; } = string.Empty;
    }

    [TestMethod]
    public void FeatureVectorsOfTheWrongLengthAreRefusedNamingTheColumn()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new ShortItem { Features = new float[100], Label = (i % 2).ToString() }));
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(Small()).Fit(data));
        StringAssert.Contains(ex.Message, "'Features'");
        StringAssert.Contains(ex.Message, "784");
    }

    [TestMethod]
    public void NaNFeaturesAreRefusedNamingTheRow()
    {
        var ml = new MLContext(1);
        var items = SyntheticGlyphs.Make(3, 3, 1);
        items[4].Features[10] = float.NaN;
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Small()).Fit(SyntheticGlyphs.Load(ml, items)));
        StringAssert.Contains(ex.Message, "row 4");
    }

    [TestMethod]
    public void InfiniteFeaturesAreRefused()
    {
        var ml = new MLContext(1);
        var items = SyntheticGlyphs.Make(3, 3, 1);
        items[0].Features[0] = float.PositiveInfinity;
        Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Small()).Fit(SyntheticGlyphs.Load(ml, items)));
    }

    [TestMethod]
    public void ASingleClassIsRefused()
    {
        var ml = new MLContext(1);
        var items = SyntheticGlyphs.Make(1, 5, 1);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Small()).Fit(SyntheticGlyphs.Load(ml, items)));
        StringAssert.Contains(ex.Message, "single class");
    }

    [TestMethod]
    public void NoClassWithTwoItemsIsRefused()
    {
        var ml = new MLContext(1);
        var items = SyntheticGlyphs.Make(4, 1, 1);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Small()).Fit(SyntheticGlyphs.Load(ml, items)));
        StringAssert.Contains(ex.Message, "two items");
    }

    [TestMethod]
    public void EmptyDataIsRefused()
    {
        var ml = new MLContext(1);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Small()).Fit(SyntheticGlyphs.Load(ml, new List<GlyphItem>())));
        StringAssert.Contains(ex.Message, "no rows");
    }

    private sealed class VectorLabelItem
    {
        [VectorType(784)]
        public float[] Features { get; set; } = new float[784];

        [VectorType(2)]
        public float[] Label { get; set; } = [0f, 1f];
    }

    [TestMethod]
    public void ALabelColumnOfAWrongTypeIsRefusedNamingTheColumn()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(_ => new VectorLabelItem()));
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(Small()).Fit(data));
        StringAssert.Contains(ex.Message, "label column 'Label'");
        StringAssert.Contains(ex.Message, "Siamese trainer");
    }

    [TestMethod]
    public void AMissingColumnIsNamed()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.LabelColumnName = "Class";
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(2, 2, 1))));
        StringAssert.Contains(ex.Message, "'Class'");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-5)]
    public void ZeroOrNegativeIterationsAreRefused(int iterations)
    {
        var ml = new MLContext(1);
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(Small(iterations)).Fit(SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(2, 2, 1))));
        StringAssert.Contains(ex.Message, "Iterations");
    }

    [TestMethod]
    public void ABatchFarLargerThanTheDataIsRefused()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.BatchSize = 100_000;
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(2, 2, 1))));
        StringAssert.Contains(ex.Message, "BatchSize");
    }

    [TestMethod]
    public void ALossThatTurnsNaNStopsNamingTheIterationAndKeepsTheLastCheckpoint()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(1);
            var options = Small(200);
            options.Network = NetworkPresets.SeedMlp(28, 8);
            options.LearningRate = 1e12f;
            options.CheckpointDirectory = dir;
            options.CheckpointInterval = 1;
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(5, 4, 1))));
            StringAssert.Contains(ex.Message, "at iteration 2");
            // The checkpoint of iteration 1 holds the weights whose loss at iteration 2 was NaN: it is set aside, not offered.
            StringAssert.Contains(ex.Message, "No checkpoint of weights that gave a finite loss");
            Assert.IsTrue(File.Exists(Path.Combine(dir, TrainingCheckpoint.FileName(1) + ".diverged")));
            Assert.IsNull(TrainingCheckpoint.FindLatestValid(dir));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void ATruncatedOrTamperedCheckpointIsRefusedOnResume()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(1);
            var data = SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(4, 4, 1));
            var options = Small(4);
            options.CheckpointDirectory = dir;
            options.CheckpointInterval = 2;
            ml.Siamese().Train(options).Fit(data);
            string file = Path.Combine(dir, TrainingCheckpoint.FileName(4));
            var bytes = File.ReadAllBytes(file);

            string truncated = Path.Combine(dir, "truncated.mlnsckpt");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            var resume = Small(6);
            resume.ResumeFrom = truncated;
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => ml.Siamese().Train(resume).Fit(data));
            StringAssert.Contains(ex.Message, "truncated.mlnsckpt");

            string tampered = Path.Combine(dir, "tampered.mlnsckpt");
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(tampered, bytes);
            resume.ResumeFrom = tampered;
            ex = Assert.ThrowsExactly<InvalidDataException>(() => ml.Siamese().Train(resume).Fit(data));
            StringAssert.Contains(ex.Message, "corrupt");
            Assert.IsTrue(File.Exists(file), "the good checkpoint is untouched");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void ACheckpointOfAnotherNetworkIsRefused()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(1);
            var data = SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(4, 4, 1));
            var options = Small(2);
            options.CheckpointDirectory = dir;
            options.CheckpointInterval = 2;
            ml.Siamese().Train(options).Fit(data);
            var other = Small(4);
            other.Network = NetworkPresets.SeedMlp(28, 8);
            other.ResumeFrom = Path.Combine(dir, TrainingCheckpoint.FileName(2));
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(other).Fit(data));
            StringAssert.Contains(ex.Message, "network");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
