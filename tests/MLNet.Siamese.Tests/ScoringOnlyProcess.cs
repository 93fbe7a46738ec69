using System.Diagnostics;
using System.Globalization;
using MLNet.Siamese.Trainers;

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

    /// <summary>
    /// Scores the pairs listed in <paramref name="csv"/> with the model zip in the scorer process and checks that each
    /// output line (<c>score distance label</c>) equals the in-process prediction.
    /// </summary>
    public static void AssertScoresPairs(string zip, string csv, IReadOnlyList<PairPrediction> expected, float scoreTolerance = 1e-5f)
    {
        var (exit, output, error) = Run($"\"{zip}\" \"{csv}\"");
        Assert.AreEqual(0, exit, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(expected.Count, lines);
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Trim().Split(' ');
            Assert.AreEqual(expected[i].Score, float.Parse(parts[0], CultureInfo.InvariantCulture), scoreTolerance, $"score of pair {i}");
            Assert.AreEqual(expected[i].Distance, float.Parse(parts[1], CultureInfo.InvariantCulture), 1e-5f, $"distance of pair {i}");
            Assert.AreEqual(expected[i].PredictedLabel, bool.Parse(parts[2]), $"label of pair {i}");
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
