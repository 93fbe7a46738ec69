using System.Diagnostics;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Every command, run as its own process with a private <c>TMPDIR</c>, leaves that folder as it found it (empty): the
/// ONNX copies ML.NET writes (to load a model, or to build the trained model's transforms) go to a private folder that
/// is deleted at the end, zip archives are cached in the user cache folder instead, and ONNX Runtime's telemetry session
/// file (<c>.ses</c>) goes to a private native <c>TMPDIR</c> the program sets and deletes (<c>NativeTempFolder</c>).
/// </summary>
[TestClass]
public sealed class TempFolderHygieneTests
{
    private static string CliPath => Path.Combine(AppContext.BaseDirectory, "siamese.dll");

    private static (int Code, string Error) Run(string tmp, string cache, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(CliPath);
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment["TMPDIR"] = tmp;
        start.Environment["XDG_CACHE_HOME"] = cache;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.Result;
        return (process.ExitCode, error);
    }

    [TestMethod]
    public void NoCommandLeavesAFileInTmpdir()
    {
        using var folder = new TempFolder();
        string data = folder.Combine("images");
        var (_, characters) = CliData.WriteImageFolder(data);
        string zip = folder.Combine("images.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(data, zip);
        string tmp = folder.Combine("tmp");
        string cache = folder.Combine("cache");
        Directory.CreateDirectory(tmp);
        string model = folder.Combine("model.zip");
        string identifier = folder.Combine("identifier.zip");
        string[][] commands =
        [
            ["train", "--data", zip, "--label-depth", "2", "--iterations", "2", "--batch", "8", "--embedding-dim", "8", "--image-size", "28", "--out", model],
            ["embed", "--model", model, "--data", data, "--label-depth", "2", "--out", folder.Combine("e.csv")],
            ["evaluate", "--model", model, "--data", zip, "--label-depth", "2", "--pairs", "40"],
            ["search", "--model", model, "--gallery", data, "--label-depth", "2", "--query", characters[0][0], "--out", folder.Combine("s.png")],
            ["oneshot", "--model", model, "--data", data, "--label-depth", "2", "--ways", "3", "--episodes", "2"],
            ["info", "--model", model],
            ["enroll", "--model", model, "--gallery", data, "--label-depth", "2", "--out", identifier],
            ["identify", "--model", identifier, "--query", characters[0][0], "--out", folder.Combine("i.png")],
            ["enroll", "--model", identifier, "--remove", characters[0][0], "--out", folder.Combine("identifier2.zip")],
            ["evaluate-identification", "--model", model, "--data", data, "--label-depth", "2"],
        ];
        foreach (var args in commands)
        {
            var (code, error) = Run(tmp, cache, args);
            Assert.AreEqual(0, code, $"siamese {string.Join(' ', args)}: {error}");
            var left = Directory.GetFileSystemEntries(tmp, "*", SearchOption.AllDirectories);
            Assert.IsEmpty(left, $"'siamese {args[0]}' left {left.Length} file(s) in TMPDIR: {string.Join(", ", left.Take(5))}");
        }
    }
}
