using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Tests.Cli;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// The built <c>siamese train</c>, started as a child process with checkpoints on and killed with SIGKILL at several
/// points, loses at most the work since its last checkpoint, never leaves a broken checkpoint as the newest one, and
/// resumed with <c>--resume FOLDER</c> ends with exactly the model of a run that was never interrupted.
/// </summary>
[TestClass]
public sealed class CliKillAndResumeTests
{
    private const int Iterations = 40;
    private const int Interval = 5;

    /// <summary>
    /// One libtorch thread per child. Results are reproducible for a given thread count (a two-thread run is too, but
    /// differs from a one-thread one in the last bits), and with the suite's other classes training in parallel on two
    /// cores, two OpenMP threads per child made steps erratic, from 10 ms to 2 s.
    /// </summary>
    private static readonly Dictionary<string, string> OneThread = new() { ["OMP_NUM_THREADS"] = "1" };

    public TestContext TestContext { get; set; } = null!;

    private static string[] TrainArgs(string data, string checkpoints, string model, bool resume) =>
    [
        "train", "--data", data, "--network", "compact", "--embedding-dim", "8", "--loss", "contrastive", "--batch", "16",
        "--iterations", Iterations.ToString(CultureInfo.InvariantCulture), "--seed", "5",
        "--checkpoint", checkpoints, "--checkpoint-interval", Interval.ToString(CultureInfo.InvariantCulture),
        "--json", "--out", model, .. resume ? new[] { "--resume", checkpoints } : [],
    ];

    private static string[] CheckpointFiles(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "checkpoint-*.mlnsckpt").Order(StringComparer.Ordinal).ToArray() : [];

    private static int IterationOf(string checkpointFile) =>
        int.Parse(Path.GetFileName(checkpointFile)["checkpoint-".Length..^".mlnsckpt".Length], CultureInfo.InvariantCulture);

    /// <summary>
    /// After a kill: every checkpoint file left reads back intact and holds the iteration its name says; the newest of
    /// them is what <see cref="TrainingCheckpoint.FindLatestValid"/> (and so <c>--resume FOLDER</c>) picks; it is no
    /// older than the last checkpoint due before the last iteration the child reported, and no newer than that iteration.
    /// </summary>
    /// <returns>The newest checkpoint.</returns>
    private string CheckFolderAfterKill(string folder, int killedAfter)
    {
        var files = CheckpointFiles(folder);
        Assert.IsNotEmpty(files, "a checkpoint had been written before the kill");
        foreach (var file in files)
            Assert.AreEqual(IterationOf(file), TrainingCheckpoint.Load(file).Header.Iteration, file);
        string latest = TrainingCheckpoint.FindLatestValid(folder)!;
        Assert.AreEqual(files[^1], latest, "the newest checkpoint file is intact and is the one resumed from");
        int kept = IterationOf(latest);
        // Progress of iteration I is printed before I's checkpoint is written, and the checkpoint of I - 1 was finished
        // before iteration I ran: so after a kill the newest checkpoint lies in this range.
        Assert.IsGreaterThanOrEqualTo((killedAfter - 1) / Interval * Interval, kept, $"killed after iteration {killedAfter}: at most the work since the last checkpoint is lost");
        Assert.IsLessThanOrEqualTo(killedAfter, kept);
        var temps = Directory.GetFiles(folder, "*.tmp");
        TestContext.WriteLine($"killed after iteration {killedAfter}: {string.Join(", ", files.Select(Path.GetFileName))}"
            + $"{(temps.Length > 0 ? $", {temps.Length} partial temp file(s)" : "")}; resuming from {Path.GetFileName(latest)}");
        return latest;
    }

    /// <summary>Resumes from <paramref name="folder"/> and kills the child once it has reported <paramref name="killAt"/>.</summary>
    private string ResumeAndKill(string data, string folder, string model, string resumeFrom, int killAt)
    {
        int killedAfter;
        using (var child = TrainChildProcess.StartCli(OneThread, TrainArgs(data, folder, model, resume: true)))
        {
            child.WaitUntil(() => child.LastCliIteration() >= killAt, $"the resumed run reaches iteration {killAt}");
            child.Kill();
            killedAfter = child.LastCliIteration();
            CollectionAssert.Contains(child.Errors.ToList(), $"Resuming from {resumeFrom}.", "the run resumed from the newest intact checkpoint");
            Assert.AreEqual(IterationOf(resumeFrom) + 1, child.CliIterations().Min(), "the resumed run starts after the checkpoint's iteration");
        }
        return CheckFolderAfterKill(folder, killedAfter);
    }

    private static JsonElement ReadJson(TrainChildProcess child)
    {
        using var document = JsonDocument.Parse(string.Join('\n', child.Lines));
        return document.RootElement.Clone();
    }

    private static SortedDictionary<string, byte[]> ZipEntries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            entries[entry.FullName] = memory.ToArray();
        }
        return entries;
    }

    [TestMethod]
    public void SiameseTrainKilledAtSeveralPointsAndResumed_EndsWithTheModelOfAnUninterruptedRun()
    {
        using var folder = new ReliabilityFolder();
        string data = SyntheticIdx.Write(folder.Combine("data"));
        var clock = Stopwatch.StartNew();

        string referenceFolder = folder.Combine("reference");
        string referenceModel = folder.Combine("reference.zip");
        JsonElement expected;
        using (var reference = TrainChildProcess.StartCli(OneThread, TrainArgs(data, referenceFolder, referenceModel, resume: false)))
        {
            reference.WaitForSuccess();
            expected = ReadJson(reference);
        }
        Assert.AreEqual(JsonValueKind.Null, expected.GetProperty("resumedFrom").ValueKind);
        TestContext.WriteLine($"uninterrupted run: {clock.ElapsedMilliseconds} ms");

        string checkpoints = folder.Combine("killed");
        string model = folder.Combine("killed.zip");
        clock.Restart();
        // Kill 1: as soon as the first checkpoint is on disk.
        int killedAfter;
        using (var first = TrainChildProcess.StartCli(OneThread, TrainArgs(data, checkpoints, model, resume: false)))
        {
            first.WaitUntil(() => CheckpointFiles(checkpoints).Length > 0, "the first checkpoint appears");
            first.Kill();
            killedAfter = first.LastCliIteration();
        }
        string latest = CheckFolderAfterKill(checkpoints, killedAfter);
        // Kill 2: resumed, killed past the middle. Kill 3: resumed again, killed between two checkpoints near the end.
        latest = ResumeAndKill(data, checkpoints, model, latest, killAt: Iterations / 2);
        latest = ResumeAndKill(data, checkpoints, model, latest, killAt: Math.Min(Iterations - 2, Math.Max(33, IterationOf(latest) + 3)));
        Assert.IsLessThan(Iterations, IterationOf(latest), "the last kill landed before the end");
        Assert.IsFalse(File.Exists(model), "no killed run got as far as writing the model");

        JsonElement actual;
        using (var last = TrainChildProcess.StartCli(OneThread, TrainArgs(data, checkpoints, model, resume: true)))
        {
            last.WaitForSuccess();
            actual = ReadJson(last);
        }
        TestContext.WriteLine($"killed three times and resumed: {clock.ElapsedMilliseconds} ms");

        Assert.AreEqual(latest, actual.GetProperty("resumedFrom").GetString());
        Assert.AreEqual(Iterations, actual.GetProperty("iterations").GetInt32());
        foreach (string name in new[] { "finalLoss", "threshold", "calibrationAccuracy" })
            Assert.AreEqual(expected.GetProperty(name).GetRawText(), actual.GetProperty(name).GetRawText(), name);

        // The final checkpoints hold the loss of every iteration, the weights, Adam's state and the sampler's state.
        string finalName = TrainingCheckpoint.FileName(Iterations);
        var expectedCheckpoint = TrainingCheckpoint.Load(Path.Combine(referenceFolder, finalName));
        var actualCheckpoint = TrainingCheckpoint.Load(Path.Combine(checkpoints, finalName));
        Assert.HasCount(Iterations, expectedCheckpoint.Header.LossHistory);
        CollectionAssert.AreEqual(expectedCheckpoint.Header.LossHistory.Select(BitConverter.SingleToInt32Bits).ToArray(),
            actualCheckpoint.Header.LossHistory.Select(BitConverter.SingleToInt32Bits).ToArray(), "loss of every iteration, bit for bit");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(referenceFolder, finalName)), File.ReadAllBytes(Path.Combine(checkpoints, finalName)),
            "the final checkpoints, byte for byte");

        // The model zips: the same entries (ONNX network, transformer chain, schema), byte for byte.
        var expectedZip = ZipEntries(referenceModel);
        var actualZip = ZipEntries(model);
        CollectionAssert.AreEqual(expectedZip.Keys.ToArray(), actualZip.Keys.ToArray());
        Assert.IsTrue(expectedZip.Keys.Any(k => k.Contains("Onnx", StringComparison.OrdinalIgnoreCase)), string.Join(", ", expectedZip.Keys));
        foreach (var (name, bytes) in expectedZip)
            CollectionAssert.AreEqual(bytes, actualZip[name], $"model zip entry {name}");
    }
}
