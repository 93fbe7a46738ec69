using System.IO.Compression;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Issue 18's findings through the command line, in process: every scoring command checks image files before ML.NET
/// decodes them, outputs never write through a planted link nor over an input, one-shot runs stay in their folder,
/// models with ONNX external data are refused, and resuming a different run is refused naming what differs. Each
/// refusal is exit code 2 with one line on stderr naming the file or field.
/// </summary>
[TestClass]
public sealed class HostileCliInputTests
{
    private static TempFolder _temp = null!;
    private static string _data = null!;
    private static string _model = null!;
    private static List<string[]> _characters = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _temp = new TempFolder();
        _data = _temp.Combine("images");
        (_, _characters) = CliData.WriteImageFolder(_data);
        _model = _temp.Combine("model.zip");
        CliRunner.Run("train", "--data", _data, "--label-depth", "2", "--iterations", "4", "--batch", "8", "--embedding-dim", "8",
            "--image-size", "28", "--seed", "3", "--out", _model).AssertSuccess();
    }

    [ClassCleanup]
    public static void Cleanup() => _temp?.Dispose();

    /// <summary>A copy of the data with one image replaced by a hostile one; returns the folder and that image.</summary>
    private static (string Folder, string Hostile) HostileData(string kind)
    {
        string folder = _temp.Combine("hostile-" + kind + "-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (string file in Directory.GetFiles(_data, "*.png", SearchOption.AllDirectories))
        {
            string target = Path.Combine(folder, Path.GetRelativePath(_data, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        string hostile = Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ElementAt(7);
        byte[] good = File.ReadAllBytes(hostile);
        File.WriteAllBytes(hostile, kind switch
        {
            "huge" => HostilePng.WithClaimedSize(100_000, 100_000, rows: 4),
            "large" => HostilePng.WithClaimedSize(16_000, 16_000, rows: 16),
            "truncated" => good[..(good.Length / 2)],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
        return (folder, hostile);
    }

    [TestMethod]
    [DataRow("embed", "huge")]
    [DataRow("embed", "large")]
    [DataRow("embed", "truncated")]
    [DataRow("evaluate", "huge")]
    [DataRow("evaluate", "truncated")]
    [DataRow("search", "huge")]
    [DataRow("search", "truncated")]
    [DataRow("oneshot", "huge")]
    [DataRow("oneshot", "truncated")]
    public void ScoringCommandsRefuseAHostileImageByName(string command, string kind)
    {
        var (folder, hostile) = HostileData(kind);
        string[] args = command switch
        {
            "embed" => ["embed", "--model", _model, "--data", folder, "--label-depth", "2", "--out", _temp.Combine(Guid.NewGuid().ToString("N") + ".csv")],
            "evaluate" => ["evaluate", "--model", _model, "--data", folder, "--label-depth", "2", "--pairs", "40"],
            "search" => ["search", "--model", _model, "--gallery", _data, "--label-depth", "2", "--query", hostile],
            "oneshot" => ["oneshot", "--model", _model, "--data", folder, "--label-depth", "2", "--ways", "3", "--episodes", "3"],
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        CliRunner.Run(args).AssertUsageError(hostile);
    }

    [TestMethod]
    public void EmbedReplacesAPlantedLinkInsteadOfWritingThroughIt()
    {
        string folder = _temp.Combine("links-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string victim = Path.Combine(folder, "victim.txt");
        File.WriteAllText(victim, "precious");
        string output = Path.Combine(folder, "embeddings.csv");
        File.CreateSymbolicLink(output + ".tmp", victim);
        File.CreateSymbolicLink(output, victim);

        CliRunner.Run("embed", "--model", _model, "--data", _data, "--label-depth", "2", "--out", output).AssertSuccess();

        Assert.AreEqual("precious", File.ReadAllText(victim), "the link's target was not written");
        Assert.IsNull(new FileInfo(output).LinkTarget, "the output is a new regular file, not the planted link");
        StringAssert.StartsWith(File.ReadAllText(output), "path,label,e0");
        Assert.IsEmpty(Directory.GetFiles(folder, ".embeddings.csv.*.tmp"), "no temporary file is left");
    }

    [TestMethod]
    public void EmbedRefusesToWriteOverItsModel()
    {
        string copy = _temp.Combine("model-copy-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        File.Copy(_model, copy);
        byte[] before = File.ReadAllBytes(copy);
        CliRunner.Run("embed", "--model", copy, "--data", _data, "--label-depth", "2", "--out", copy).AssertUsageError("--model");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(copy));
    }

    [TestMethod]
    public void EmbedToAHardLinkOfItsModelLeavesTheModelIntact()
    {
        string copy = _temp.Combine("model-linked-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        File.Copy(_model, copy);
        string link = copy + ".link";
        using (var ln = OperatingSystem.IsWindows()
            ? System.Diagnostics.Process.Start("cmd", ["/c", "mklink", "/H", link, copy])
            : System.Diagnostics.Process.Start("ln", [copy, link]))
        {
            ln.WaitForExit();
            Assert.AreEqual(0, ln.ExitCode, "making the hard link failed");
        }
        byte[] before = File.ReadAllBytes(copy);
        // Another name for the same file is not refused (it is not the input's path), but the output is written to a new
        // file that is renamed over that name: the model's own name keeps the model.
        CliRunner.Run("embed", "--model", copy, "--data", _data, "--label-depth", "2", "--out", link).AssertSuccess();
        CollectionAssert.AreEqual(before, File.ReadAllBytes(copy), "the model behind the other link is unchanged");
        StringAssert.StartsWith(File.ReadAllText(link), "path,label,e0");
    }

    [TestMethod]
    public void TrainRefusesToWriteOverItsDataZip()
    {
        string zip = _temp.Combine("data-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        ZipFile.CreateFromDirectory(_data, zip);
        byte[] before = File.ReadAllBytes(zip);
        CliRunner.Run("train", "--data", zip, "--label-depth", "2", "--iterations", "2", "--batch", "8", "--image-size", "28", "--out", zip)
            .AssertUsageError("--data");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(zip));
    }

    [TestMethod]
    [DataRow("dotdot")]
    [DataRow("absolute")]
    public void OneShotRefusesAnswersOutsideTheRunsFolder(string kind)
    {
        string runs = _temp.Combine("runs-" + kind);
        CliData.WriteRuns(runs, _characters, runs: 1, ways: 3);
        string outside = _characters[5][0];
        string labels = Path.Combine(runs, "run01", "class_labels.txt");
        var lines = File.ReadAllLines(labels);
        string escape = kind == "absolute" ? outside : Path.GetRelativePath(runs, outside);
        lines[0] = lines[0].Split(' ')[0] + " " + escape;
        File.WriteAllLines(labels, lines);

        CliRunner.Run("oneshot", "--model", _model, "--runs", runs).AssertUsageError(labels);
    }

    [TestMethod]
    public void AModelWithOnnxExternalDataIsRefused()
    {
        string hostile = _temp.Combine("external-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        OnnxExternalDataModel.Write(_model, hostile, "secret.bin");
        CliRunner.Run("evaluate", "--model", hostile, "--data", _data, "--label-depth", "2", "--pairs", "20").AssertUsageError("ONNX tensor 'stolen'");
    }

    [TestMethod]
    public void ResumingADifferentRunIsRefusedNamingWhatDiffers()
    {
        string checkpoints = _temp.Combine("checkpoints-" + Guid.NewGuid().ToString("N")[..8]);
        string[] Train(string data, string learningRate, int iterations, params string[] extra) =>
            ["train", "--data", data, "--label-depth", "2", "--iterations", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--batch", "8", "--embedding-dim", "8", "--image-size", "28", "--seed", "3", "--learning-rate", learningRate,
             "--checkpoint", checkpoints, "--checkpoint-interval", "2", "--out", _temp.Combine(Guid.NewGuid().ToString("N") + ".zip"), .. extra];
        CliRunner.Run(Train(_data, "0.0001", 2)).AssertSuccess();

        CliRunner.Run(Train(_data, "0.001", 4, "--resume", checkpoints)).AssertUsageError("learning rate: 0.0001 then, 0.001 now");

        var (otherData, _) = HostileData("truncated");
        foreach (string file in Directory.GetFiles(otherData, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Skip(7).Take(1))
            File.Delete(file);
        CliRunner.Run(Train(otherData, "0.0001", 4, "--resume", checkpoints)).AssertUsageError("data: ");

        CliRunner.Run(Train(_data, "0.001", 4, "--resume", checkpoints, "--resume-changed")).AssertSuccess();
    }
}
