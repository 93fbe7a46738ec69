using MLNet.Siamese.Checkpoints;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Checkpoint files under kills: a kill that lands while a checkpoint is being written never replaces the last good
/// one, and <see cref="TrainingCheckpoint.FindLatestValid"/> skips what such kills and bad copies leave. (The whole
/// kill-and-resume cycle of <c>siamese train</c> is <see cref="CliKillAndResumeTests"/>.)
/// </summary>
[TestClass]
public sealed class CheckpointKillTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AKillWhileACheckpointIsBeingWrittenNeverReplacesTheLastGoodOne()
    {
        using var folder = new ReliabilityFolder();
        string target = folder.Combine(TrainingCheckpoint.FileName(1));
        var random = new Random(12);
        int midWrite = 0, rounds = 0;
        while (rounds < 3 || (midWrite < 2 && rounds < 10))
        {
            rounds++;
            int lastSaved;
            using (var child = TrainChildProcess.Start("write-loop", "--path", target, "--mb", "24"))
            {
                child.WaitUntil(() => child.Last("saved") >= 1, "two checkpoints are saved");
                Thread.Sleep(random.Next(0, 60));
                child.Kill();
                lastSaved = child.Last("saved");
            }
            var temps = Directory.GetFiles(folder.Path, "*.tmp");
            if (temps.Length > 0) midWrite++;
            var checkpoint = TrainingCheckpoint.Load(target);
            Assert.IsGreaterThanOrEqualTo(lastSaved, checkpoint.Header.Iteration, "a save that reported success is on disk");
            Assert.IsTrue(checkpoint.NetworkState.AsSpan().IndexOfAnyExcept((byte)checkpoint.Header.Iteration) < 0, "the content is one whole save");
            Assert.AreEqual(target, TrainingCheckpoint.FindLatestValid(folder.Path), "leftover temporary files are ignored");
            TestContext.WriteLine($"round {rounds}: killed after save {lastSaved}, file holds save {checkpoint.Header.Iteration}, {temps.Length} partial temp file(s) left");
        }
        Assert.IsGreaterThanOrEqualTo(1, midWrite, "at least one kill landed while a checkpoint was being written");
    }

    [TestMethod]
    public void FindLatestValid_SkipsPartialTempFilesAndBrokenNewerCheckpoints()
    {
        using var folder = new ReliabilityFolder();
        var good = new TrainingCheckpoint
        {
            Header = new CheckpointHeader { Iteration = 10, Loss = "Contrastive" },
            NetworkState = [1, 2, 3],
            HeadState = [],
            OptimizerState = [4],
        };
        string goodPath = folder.Combine(TrainingCheckpoint.FileName(10));
        good.Save(goodPath);
        byte[] bytes = File.ReadAllBytes(goodPath);
        // What a killed writer leaves: a partial temp file of a newer checkpoint.
        File.WriteAllBytes(folder.Combine(TrainingCheckpoint.FileName(20) + ".4242.tmp"), bytes[..(bytes.Length / 2)]);
        // What a non-atomic copy or a bad disk leaves: newer checkpoints that are cut, empty or flipped.
        File.WriteAllBytes(folder.Combine(TrainingCheckpoint.FileName(30)), bytes[..^1]);
        File.WriteAllBytes(folder.Combine(TrainingCheckpoint.FileName(40)), []);
        var flipped = bytes.ToArray();
        flipped[20] ^= 1;
        File.WriteAllBytes(folder.Combine(TrainingCheckpoint.FileName(50)), flipped);
        var otherVersion = bytes.ToArray();
        otherVersion[8] = TrainingCheckpoint.FormatVersion + 1;
        File.WriteAllBytes(folder.Combine(TrainingCheckpoint.FileName(60)), otherVersion);

        Assert.AreEqual(goodPath, TrainingCheckpoint.FindLatestValid(folder.Path));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Load(folder.Combine(TrainingCheckpoint.FileName(60)))).Message, $"format version {TrainingCheckpoint.FormatVersion + 1}");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Load(folder.Combine(TrainingCheckpoint.FileName(40)))).Message, TrainingCheckpoint.FileName(40));
    }
}
