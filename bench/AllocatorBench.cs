using System.Diagnostics;
using System.Globalization;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Runtime;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Compact-net step time with glibc's allocator defaults against the library's mallopt settings. mallopt is
/// process-wide and cannot be undone, so each case runs in a child process (this program with
/// <c>--child-step-time default|tuned</c>); the child runs the minimal loop and prints its median step time.
/// </summary>
internal static class AllocatorBench
{
    public const int Pairs = 128;
    private const string Marker = "CHILD_STEP_MS=";

    /// <summary>Child entry point: applies the tuning or not, times the minimal compact loop, prints the median ms/step.</summary>
    public static int RunChild(string mode)
    {
        bool tuned = mode switch
        {
            "tuned" => true,
            "default" => false,
            _ => throw new ArgumentException($"--child-step-time takes 'default' or 'tuned', not '{mode}'."),
        };
        bool applied = tuned && NativeMemoryTuning.Apply();
        if (tuned && !applied) Console.Error.WriteLine("mallopt tuning was not applied (not glibc, or MALLOC_MMAP_MAX_ set).");
        var spec = NetworkPresets.Compact(28, 64);
        const int items = 2720;
        using var loop = new MinimalLoop(spec, SyntheticData.Random(items, spec.InputSize, 3), items, Pairs);
        var rates = loop.StepsPerSecond(warmup: 1, intervals: 3, stepsPerInterval: 1);
        double ms = 1000.0 / Stats.Median(rates);
        Console.WriteLine(Marker + ms.ToString("R", CultureInfo.InvariantCulture) + (tuned ? $" applied={applied}" : ""));
        return 0;
    }

    /// <summary>Launches one child and returns its median step time in ms.</summary>
    public static double LaunchChild(string mode)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's path to start a child process.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(AllocatorBench).Assembly.Location);
        start.ArgumentList.Add("--child-step-time");
        start.ArgumentList.Add(mode);
        start.Environment.Remove("MALLOC_MMAP_MAX_");
        start.Environment.Remove("MALLOC_TRIM_THRESHOLD_");
        start.Environment.Remove("LD_PRELOAD");
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        var stderr = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"Child '--child-step-time {mode}' failed (exit {child.ExitCode}): {output} {stderr.Result}");
        return double.Parse(line[Marker.Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
