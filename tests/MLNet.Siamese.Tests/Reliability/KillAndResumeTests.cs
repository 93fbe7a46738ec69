using System.Globalization;
using MLNet.Siamese.Checkpoints;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// A training run killed with SIGKILL loses at most the work since its last checkpoint, and resuming from
/// <see cref="TrainingCheckpoint.FindLatestValid"/> gives exactly the run that was never interrupted.
/// </summary>
[TestClass]
public sealed class KillAndResumeTests
{
    private const int Iterations = 40;
    private const int Interval = 5;

    public TestContext TestContext { get; set; } = null!;

    private static string[] TrainArgs(string dir, string output, bool resume) =>
        ["train", "--dir", dir, "--out", output, "--iterations", Iterations.ToString(CultureInfo.InvariantCulture),
         "--interval", Interval.ToString(CultureInfo.InvariantCulture), "--seed", "5", .. resume ? new[] { "--resume" } : []];

    /// <summary>Every checkpoint file in the folder reads back intact, and FindLatestValid picks the newest of them.</summary>
    private static string CheckFolderAfterKill(string dir)
    {
        var files = Directory.GetFiles(dir, "*.mlnsckpt").Order(StringComparer.Ordinal).ToArray();
        Assert.IsNotEmpty(files, "a checkpoint had been written before the kill");
        foreach (var file in files)
            Assert.AreEqual(int.Parse(Path.GetFileName(file)[11..17], CultureInfo.InvariantCulture), TrainingCheckpoint.Load(file).Header.Iteration, file);
        string latest = TrainingCheckpoint.FindLatestValid(dir)!;
        Assert.AreEqual(files[^1], latest);
        return latest;
    }

    [TestMethod]
    public void KilledAfterTheFirstCheckpointAndAgainMidWay_TheResumedRunEqualsAnUninterruptedOne()
    {
        using var folder = new ReliabilityFolder();
        string referenceOut = folder.Combine("reference.json");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var reference = TrainChildProcess.Start(TrainArgs(folder.Combine("reference"), referenceOut, resume: false)))
            reference.WaitForSuccess();
        TestContext.WriteLine($"reference run {clock.ElapsedMilliseconds} ms");
        var expected = TrainChildProcess.ReadResult(referenceOut);
        Assert.HasCount(Iterations, expected.LossBits);

        string dir = folder.Combine("killed");
        string output = folder.Combine("killed.json");
        int killedAt;
        using (var first = TrainChildProcess.Start(TrainArgs(dir, output, resume: false)))
        {
            first.WaitUntil(() => Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.mlnsckpt").Any(), "the first checkpoint appears");
            first.Kill();
            killedAt = first.Last("iteration");
        }
        string latest = CheckFolderAfterKill(dir);
        TestContext.WriteLine($"first kill after iteration {killedAt}; latest valid checkpoint {Path.GetFileName(latest)}");

        int resumedAt = TrainingCheckpoint.Load(latest).Header.Iteration;
        using (var second = TrainChildProcess.Start(TrainArgs(dir, output, resume: true)))
        {
            second.WaitUntil(() => second.Last("iteration") >= Iterations / 2, "the resumed run reaches the middle");
            second.Kill();
            killedAt = second.Last("iteration");
            StringAssert.Contains(second.Lines.First(), Path.GetFileName(latest), "the second run resumed from the latest valid checkpoint");
        }
        latest = CheckFolderAfterKill(dir);
        resumedAt = TrainingCheckpoint.Load(latest).Header.Iteration;
        TestContext.WriteLine($"second kill after iteration {killedAt}; latest valid checkpoint {Path.GetFileName(latest)}");
        // At most the work since the last checkpoint is lost (the kill may land while the checkpoint of the last
        // reported iteration is being written, so that one may be missing).
        Assert.IsGreaterThanOrEqualTo((killedAt - 1) / Interval * Interval, resumedAt);
        Assert.IsLessThan(Iterations, resumedAt, "the kill landed before the end");

        using (var third = TrainChildProcess.Start(TrainArgs(dir, output, resume: true)))
            third.WaitForSuccess();
        var actual = TrainChildProcess.ReadResult(output);
        Assert.AreEqual(latest, actual.ResumedFrom);
        CollectionAssert.AreEqual(expected.LossBits, actual.LossBits, "loss history, bit for bit");
        Assert.HasCount(expected.EmbeddingBits.Length, actual.EmbeddingBits);
        for (int i = 0; i < expected.EmbeddingBits.Length; i++)
            CollectionAssert.AreEqual(expected.EmbeddingBits[i], actual.EmbeddingBits[i], $"embedding of probe {i}, bit for bit");
        Assert.AreEqual(expected.Threshold, actual.Threshold, "calibrated threshold");
    }

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
        otherVersion[8] = 2;
        File.WriteAllBytes(folder.Combine(TrainingCheckpoint.FileName(60)), otherVersion);

        Assert.AreEqual(goodPath, TrainingCheckpoint.FindLatestValid(folder.Path));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Load(folder.Combine(TrainingCheckpoint.FileName(60)))).Message, "format version 2");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Load(folder.Combine(TrainingCheckpoint.FileName(40)))).Message, TrainingCheckpoint.FileName(40));
    }
}
