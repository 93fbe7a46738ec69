using System.Diagnostics;
using System.Text.Json;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Packaging;

/// <summary>
/// The scoring-only tool package as a user gets it: the test build packs src/Cli.Scoring into tool-packages/ of the
/// test output (target PackScoringToolForTests); this installs it from that folder, and only that folder, into a temp
/// tool path with <c>dotnet tool install</c>, then runs the installed <c>siamese --help</c> and <c>siamese evaluate</c> on a
/// model zip trained in process. The full tool (with libtorch) is checked by build/check-tool-packages.sh: packing
/// ~525 MB of libtorch takes minutes here, too long for the suite.
/// </summary>
[TestClass]
public sealed class ToolPackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void TheScoringToolInstallsFromAFolderAndScoresAModelZip()
    {
        string packages = Path.Combine(AppContext.BaseDirectory, "tool-packages");
        string pointer = Directory.GetFiles(packages, "MLNet.Siamese.Cli.Scoring.*.nupkg")
            .Single(p => !Path.GetFileName(p).Contains(".linux-x64.", StringComparison.Ordinal));
        string version = Path.GetFileNameWithoutExtension(pointer)["MLNet.Siamese.Cli.Scoring.".Length..];
        using var temp = new TempFolder();
        string config = temp.Combine("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
            """);
        string tools = temp.Combine("tools");

        var install = Run("dotnet", "tool", "install", "MLNet.Siamese.Cli.Scoring", "--version", version, "--tool-path", tools, "--configfile", config);
        Assert.AreEqual(0, install.Code, install.Output);

        string siamese = Path.Combine(tools, OperatingSystem.IsWindows() ? "siamese.exe" : "siamese");
        var help = Run(siamese, "--help");
        Assert.AreEqual(0, help.Code, help.Output);
        foreach (string command in new[] { "evaluate", "oneshot", "embed", "search", "info", "enroll", "identify", "evaluate-identification" })
            StringAssert.Contains(help.Output, command);
        Assert.DoesNotContain("  train ", help.Output, "the scoring-only tool has no train command");
        string store = Path.Combine(tools, ".store");
        Assert.IsEmpty(Directory.GetFiles(store, "libtorch*", SearchOption.AllDirectories), "no libtorch in the scoring-only tool");
        Assert.IsEmpty(Directory.GetFiles(store, "TorchSharp.dll", SearchOption.AllDirectories), "no TorchSharp in the scoring-only tool");

        string data = temp.Combine("images");
        CliData.WriteImageFolder(data);
        string model = temp.Combine("model.zip");
        CliRunner.Run("train", "--data", data, "--label-depth", "2", "--iterations", "10", "--batch", "16", "--embedding-dim", "8",
            "--image-size", "28", "--seed", "3", "--test-time-views", "none", "--out", model).AssertSuccess();
        var evaluate = Run(siamese, "evaluate", "--model", model, "--data", data, "--label-depth", "2", "--pairs", "40", "--json");
        Assert.AreEqual(0, evaluate.Code, evaluate.Output);
        using var json = JsonDocument.Parse(evaluate.StandardOutput);
        Assert.AreEqual(40, json.RootElement.GetProperty("pairs").GetInt32());
        Assert.IsTrue(json.RootElement.GetProperty("auc").GetDouble() is >= 0 and <= 1);
        var inProcess = CliRunner.Run("evaluate", "--model", model, "--data", data, "--label-depth", "2", "--pairs", "40", "--json");
        inProcess.AssertSuccess();
        Assert.AreEqual(inProcess.Out.Trim(), evaluate.StandardOutput.Trim(), "the installed tool scores exactly like the library");

        // Identification without libtorch: enrol with the installed tool, identify with it and with the full tool.
        string identifier = temp.Combine("identifier.zip");
        var enroll = Run(siamese, "enroll", "--model", model, "--gallery", data, "--label-depth", "2", "--out", identifier);
        Assert.AreEqual(0, enroll.Code, enroll.Output);
        string query = Directory.GetFiles(data, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var identify = Run(siamese, "identify", "--model", identifier, "--query", query, "--json");
        Assert.AreEqual(0, identify.Code, identify.Output);
        var identifyInProcess = CliRunner.Run("identify", "--model", identifier, "--query", query, "--json");
        identifyInProcess.AssertSuccess();
        Assert.AreEqual(identifyInProcess.Out.Trim(), identify.StandardOutput.Trim(), "the installed tool identifies exactly like the library");
        TestContext.WriteLine($"installed {Path.GetFileName(pointer)}: {DirectorySizeMegabytes(tools):F0} MB in the tool path");
    }

    private static double DirectorySizeMegabytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6;

    private static (int Code, string StandardOutput, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }
        string output = stdout.Result;
        return (process.ExitCode, output, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{output}\n{stderr.Result}");
    }
}
