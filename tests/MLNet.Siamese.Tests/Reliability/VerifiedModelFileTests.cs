using MLNet.Siamese.Losses;
using Microsoft.ML;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// SiameseModelFile closes the gap ML.NET leaves: damaged zips (entry CRC-32 mismatch) and zips that differ from a
/// published SHA-256 are refused with a message naming the file, instead of loading with different scores.
/// </summary>
[TestClass]
public sealed class VerifiedModelFileTests
{
    private static string _dir = string.Empty;
    private static string _zip = string.Empty;

    [ClassInitialize]
    public static void SaveOnce(TestContext context)
    {
        _dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        var ml = new MLContext(1);
        var model = ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            Network = NetworkPresets.Compact(28, 8),
            Iterations = 3,
            BatchSize = 16,
            LearningRate = 1e-3f,
            Seed = 2,
            Device = SiameseDevice.Cpu,
            CalibrationPairs = 50,
        }).Fit(SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(5, 4, seed: 3)));
        _zip = Path.Combine(_dir, "model.zip");
        model.SavePairScorer(_zip);
    }

    [ClassCleanup]
    public static void Cleanup() => Directory.Delete(_dir, true);

    [TestMethod]
    public void AnIntactZipLoadsWithAndWithoutItsHash()
    {
        var ml = new MLContext(1);
        Assert.IsNotNull(SiameseModelFile.Load(ml, _zip, out var schema));
        Assert.IsNotNull(schema.GetColumnOrNull("LeftFeatures"));
        Assert.IsNotNull(SiameseModelFile.Load(ml, _zip, out _, SiameseModelFile.ComputeSha256(_zip).ToUpperInvariant()));
    }

    [TestMethod]
    public void EveryDamagedStoredByteIsRefusedNamingTheFile()
    {
        // Flip one byte in the middle of the largest stored entry's data: ML.NET would load it; the CRC check refuses it.
        byte[] bytes = File.ReadAllBytes(_zip);
        int refused = 0;
        for (int k = 1; k <= 5; k++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bytes.Length * k / 8] ^= 0x55;
            string path = Path.Combine(_dir, $"damaged{k}.zip");
            File.WriteAllBytes(path, damaged);
            var ex = Assert.Throws<Exception>(() => SiameseModelFile.Verify(path));
            Assert.IsTrue(ex is InvalidDataException or IOException, ex.GetType().Name);
            StringAssert.Contains(ex.Message, path);
            refused++;
        }
        Assert.AreEqual(5, refused);
    }

    [TestMethod]
    public void AZipThatDiffersFromThePublishedHashIsRefused()
    {
        string other = Path.Combine(_dir, "other.zip");
        File.Copy(_zip, other, true);
        File.AppendAllText(other, " ");
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => SiameseModelFile.Verify(other, SiameseModelFile.ComputeSha256(_zip)));
        StringAssert.Contains(ex.Message, "SHA-256");
    }

    [TestMethod]
    public void AMissingOrNonZipFileIsRefused()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => SiameseModelFile.Verify(Path.Combine(_dir, "none.zip")));
        string text = Path.Combine(_dir, "text.zip");
        File.WriteAllText(text, "not a zip");
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => SiameseModelFile.Verify(text));
        StringAssert.Contains(ex.Message, "text.zip");
    }
}
