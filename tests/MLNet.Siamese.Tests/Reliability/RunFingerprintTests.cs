using System.Text.Json;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// The run fingerprint in checkpoints: it round-trips, a resume that differs is refused naming every difference unless
/// accepted, and checkpoints written before the fingerprint existed still read and resume.
/// </summary>
[TestClass]
public sealed class RunFingerprintTests
{
    private static readonly Dictionary<string, string> Saved = new() { ["data"] = "10 items, SHA-256 aaaa", ["learning rate"] = "0.001", ["margin"] = "1" };

    [TestMethod]
    public void TheFingerprintRoundTripsThroughACheckpointFile()
    {
        using var folder = new TempFolder();
        string path = folder.Combine(TrainingCheckpoint.FileName(2));
        new TrainingCheckpoint { Header = new CheckpointHeader { Iteration = 2, RunFingerprint = Saved }, NetworkState = [1], HeadState = [], OptimizerState = [2] }.Save(path);
        CollectionAssert.AreEquivalent(Saved, TrainingCheckpoint.Load(path).Header.RunFingerprint!);
        Assert.HasCount(1, Directory.GetFiles(folder.Path), "no temporary file is left next to the checkpoint");
    }

    [TestMethod]
    public void TheDataHash_IsTheSameInSlices_AsTheWholeArrayHashedAtOnce()
    {
        // Photos' pixels pass the 2 GB a span of bytes holds (30,000 Fashion-MNIST images at 112 px overflowed): the
        // features are hashed in slices, which must give the hash of every checkpoint written before.
        var features = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i)).ToArray();
        int[] labels = Enumerable.Range(0, 10).Select(i => i % 3).ToArray();
        var options = new MLNet.Siamese.Trainers.SiameseTrainerOptions();
        string whole = RunFingerprint.Compute(options, features, 10, labels, [])["data"];
        Assert.AreEqual(whole, RunFingerprint.Compute(options, features, 10, labels, [], hashSlice: 7)["data"]);
        var bytes = BitConverter.GetBytes(10).Concat(features.SelectMany(BitConverter.GetBytes)).Concat(labels.SelectMany(BitConverter.GetBytes)).ToArray();
        Assert.AreEqual($"10 items, SHA-256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16]}", whole);
        Assert.AreNotEqual(whole, RunFingerprint.Compute(options, features.Reverse().ToArray(), 10, labels, [], hashSlice: 7)["data"]);
    }

    [TestMethod]
    public void AResumeThatDiffersIsRefusedNamingEachDifference()
    {
        var current = new Dictionary<string, string>(Saved) { ["data"] = "11 items, SHA-256 bbbb", ["learning rate"] = "0.01" };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            RunFingerprint.CheckResume(new CheckpointHeader { RunFingerprint = Saved }, current, "c.mlnsckpt", acceptChanges: false));
        StringAssert.Contains(error.Message, "data: 10 items, SHA-256 aaaa then, 11 items, SHA-256 bbbb now");
        StringAssert.Contains(error.Message, "learning rate: 0.001 then, 0.01 now");
        Assert.DoesNotContain("margin", error.Message, "equal options are not listed");
        RunFingerprint.CheckResume(new CheckpointHeader { RunFingerprint = Saved }, current, "c.mlnsckpt", acceptChanges: true);
        RunFingerprint.CheckResume(new CheckpointHeader { RunFingerprint = Saved }, new Dictionary<string, string>(Saved), "c.mlnsckpt", acceptChanges: false);
    }

    [TestMethod]
    public void ACheckpointHeaderWrittenBeforeTheFingerprintStillReadsAndResumes()
    {
        // The JSON header of a version-2 checkpoint written before RunFingerprint existed.
        var header = JsonSerializer.Deserialize<CheckpointHeader>(
            """{"Iteration":4,"TotalIterations":8,"RandomState":[1,2],"LossHistory":[0.5],"NetworkJson":"","Loss":"Contrastive","Seed":3,"Validation":[],"WeightAveragingDecay":0}""")!;
        Assert.IsNull(header.RunFingerprint);
        RunFingerprint.CheckResume(header, Saved, "old.mlnsckpt", acceptChanges: false);
    }
}
