using System.Diagnostics;

namespace MLNet.Siamese.Tests;

/// <summary>
/// The TorchSharp-free scorer (<c>tests/MLNet.Siamese.ScoringOnly</c>) run as its own process: the tests that check a
/// saved zip scores with ML.NET and ONNX Runtime alone share this one way to find and run it.
/// </summary>
internal static class ScoringOnlyProcess
{
    /// <summary>The scorer's dll, built beside this test assembly's configuration and framework.</summary>
    public static string Path
    {
        get
        {
            // tests/MLNet.Siamese.Tests/bin/<Configuration>/net10.0 -> tests/MLNet.Siamese.ScoringOnly/bin/<Configuration>/net10.0
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(bin.FullName, "..", "..", "..", "..", "MLNet.Siamese.ScoringOnly", "bin", bin.Parent!.Name, bin.Name, "MLNet.Siamese.ScoringOnly.dll"));
            Assert.IsTrue(File.Exists(path), $"scoring-only program not built at {path}");
            Assert.DoesNotContain("TorchSharp", File.ReadAllText(System.IO.Path.ChangeExtension(path, ".deps.json")), "the scoring process must not reference TorchSharp");
            return path;
        }
    }

    /// <summary>Runs the scorer with <paramref name="arguments"/> (already quoted) and waits for it.</summary>
    /// <returns>Exit code, standard output and standard error.</returns>
    public static (int Exit, string Output, string Error) Run(string arguments, int timeoutSeconds = 300)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{Path}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the scoring process did not finish in {timeoutSeconds} s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
