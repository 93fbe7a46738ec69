using System.Globalization;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// <c>siamese train --checkpoint-interval</c> and <c>--resume</c> (file or folder), in process: each mistake is a usage
/// error (exit code 2, one line naming the option and the file) caught before any data is read or training starts.
/// </summary>
[TestClass]
public sealed class CheckpointOptionTests
{
    private static TempFolder _temp = null!;
    private static string _data = null!;

    [ClassInitialize]
    public static void WriteData(TestContext context)
    {
        _temp = new TempFolder();
        _data = SyntheticIdx.Write(_temp.Combine("data"));
    }

    [ClassCleanup]
    public static void Cleanup() => _temp?.Dispose();

    private static (int Code, string Error) Train(params string[] extra) => Train(3, extra);

    private static (int Code, string Error) Train(int iterations, params string[] extra)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = SiameseCli.Run(["train", "--data", _data, "--iterations", iterations.ToString(CultureInfo.InvariantCulture), "--batch", "8", "--loss", "contrastive", "--embedding-dim", "8",
            "--out", _temp.Combine("out", Guid.NewGuid().ToString("N") + ".zip"), .. extra], stdout, stderr);
        return (code, stderr.ToString());
    }

    private static void AssertUsageError((int Code, string Error) result, params string[] mentions)
    {
        Assert.AreEqual(ExitCodes.UsageError, result.Code, result.Error);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.Error);
        foreach (string mention in mentions)
            StringAssert.Contains(lines[0], mention);
    }

    /// <summary>A checkpoint with the given seed; the weights are placeholders (these tests stop before training).</summary>
    private static string WriteCheckpoint(string folder, int iteration, int seed)
    {
        string path = Path.Combine(folder, TrainingCheckpoint.FileName(iteration));
        new TrainingCheckpoint
        {
            Header = new CheckpointHeader { Iteration = iteration, TotalIterations = 3, Loss = "Contrastive", Seed = seed },
            NetworkState = [1, 2, 3],
            HeadState = [],
            OptimizerState = [4],
        }.Save(path);
        return path;
    }

    [TestMethod]
    public void CheckpointIntervalBelowOneOrWithoutAFolder_IsAUsageError()
    {
        string folder = _temp.Combine("interval");
        AssertUsageError(Train("--checkpoint", folder, "--checkpoint-interval", "0"), "--checkpoint-interval must be a positive integer (got 0)");
        AssertUsageError(Train("--checkpoint", folder, "--checkpoint-interval", "-5"), "--checkpoint-interval must be a positive integer (got -5)");
        AssertUsageError(Train("--checkpoint-interval", "5"), "--checkpoint-interval needs --checkpoint");
        Assert.IsFalse(Directory.Exists(folder), "nothing was written");
    }

    [TestMethod]
    public void CheckpointIntervalSetsWhereCheckpointsAreWritten()
    {
        string folder = _temp.Combine("every-two");
        var (code, error) = Train(5, "--checkpoint", folder, "--checkpoint-interval", "2");
        Assert.AreEqual(ExitCodes.Success, code, error);
        // Checkpoints at 2, 4 and the end (5); the two newest are kept.
        CollectionAssert.AreEqual(new[] { TrainingCheckpoint.FileName(4), TrainingCheckpoint.FileName(5) },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
    }

    [TestMethod]
    public void ResumeFromAFolderWithoutAnIntactCheckpoint_IsAUsageError()
    {
        string folder = _temp.Combine("nothing-intact");
        Directory.CreateDirectory(folder);
        AssertUsageError(Train("--resume", folder), $"--resume '{folder}' holds no intact checkpoint");
        // What kills and bad copies leave is not a checkpoint to resume from.
        File.WriteAllBytes(Path.Combine(folder, TrainingCheckpoint.FileName(5)), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(folder, TrainingCheckpoint.FileName(10) + ".77.tmp"), [1, 2, 3]);
        AssertUsageError(Train("--resume", folder), $"--resume '{folder}' holds no intact checkpoint");
        AssertUsageError(Train("--resume", _temp.Combine("missing")), "--resume", "does not exist");
    }

    [TestMethod]
    public void ResumeFromAFolderTakesTheNewestIntactCheckpoint_AndItsSeedMustMatch()
    {
        string folder = _temp.Combine("newest-intact");
        string good = WriteCheckpoint(folder, iteration: 2, seed: 7);
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(Path.Combine(folder, TrainingCheckpoint.FileName(3)), bytes[..^1]);             // cut short
        File.WriteAllBytes(Path.Combine(folder, TrainingCheckpoint.FileName(3) + ".42.tmp"), bytes[..10]);  // a killed write
        // The seed check shows which checkpoint the folder resolved to, before any training.
        AssertUsageError(Train("--resume", folder, "--seed", "5"), $"--resume '{good}' was written by a run with --seed 7", "pass --seed 7");
        AssertUsageError(Train("--resume", good, "--seed", "5"), "--seed 7");
    }

    [TestMethod]
    public void ResumeFromACorruptFile_NamesTheFile()
    {
        string folder = _temp.Combine("corrupt");
        string path = WriteCheckpoint(folder, iteration: 2, seed: 1);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[20] ^= 1;
        File.WriteAllBytes(path, bytes);
        AssertUsageError(Train("--resume", path), path, "corrupt");
    }

    [TestMethod]
    public void AFreshRunIntoAFolderThatHoldsCheckpoints_IsRefused()
    {
        string folder = _temp.Combine("earlier-run");
        string earlier = WriteCheckpoint(folder, iteration: 2, seed: 1);
        byte[] before = File.ReadAllBytes(earlier);
        AssertUsageError(Train("--checkpoint", folder), "already holds checkpoints", TrainingCheckpoint.FileName(2), $"--resume '{folder}'");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(earlier), "the earlier run's checkpoint is untouched");
    }
}
