using Microsoft.ML;
using MLNet.Siamese.Networks;
using TorchSharp;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Resident memory and live TorchSharp tensors over a long seed-MLP run (batch 180, like the seed), sampled at every
/// progress report (every 100 iterations) on the training thread.
/// </summary>
internal static class MemoryBench
{
    public const int Iterations = 3000;

    /// <summary>The run is shortened (never below 1,000 iterations) when the measured step rate would make it exceed this.</summary>
    public const double BudgetSeconds = 180;

    /// <summary>Iterations that fit the budget at <paramref name="stepsPerSecond"/>, in hundreds, between 1,000 and 3,000.</summary>
    public static int PlannedIterations(double stepsPerSecond) => Math.Clamp((int)(BudgetSeconds * stepsPerSecond / 100) * 100, 1000, Iterations);

    /// <summary>Live tensors on this thread as TorchSharp 0.107 counts them (created minus disposed).</summary>
    public static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    public static void Run(MLContext ml, Results results, float[] features, string[] labels, int iterations)
    {
        var spec = NetworkPresets.SeedMlp(28, 2);
        var data = SyntheticData.ToDataView(ml, features, spec.InputSize, labels);
        var run = TrainerTiming.Measure(ml, data, spec, batch: 180, stepsPerInterval: 100, intervals: iterations / 100 - 1, LiveTensors);
        var at300 = run.Reports.First(r => r.Iteration == 300);
        var end = run.Reports[^1];
        double peak = run.Reports.Max(r => r.PeakMiB);
        var afterWarmup = run.Reports.Where(r => r.Iteration >= 300).ToList();
        results.Add(new Figure("memory", $"mlp b180: RSS at iteration {end.Iteration} vs 300", end.RssMiB, "MiB", at300.RssMiB, "RSS@300", 1.10,
            $"peak (VmHWM) {peak:F0} MiB; RSS min/max after 300: {afterWarmup.Min(r => r.RssMiB):F0}/{afterWarmup.Max(r => r.RssMiB):F0} MiB; {1000 / Stats.Median(run.StepsPerSecond):F0} ms/step" + (iterations < Iterations ? $"; shortened from {Iterations} to fit the {BudgetSeconds:F0} s budget at the measured step rate" : ""), AtMost: true));
        results.Add(new Figure("memory", $"mlp b180: live tensors at iteration {end.Iteration} vs 300", end.LiveTensors, "tensors", at300.LiveTensors, "live@300", 1.0,
            $"DisposeScopeManager.Statistics.ThreadTotalLiveCount, min/max over reports {run.Reports.Min(r => r.LiveTensors)}/{run.Reports.Max(r => r.LiveTensors)}", AtMost: true));
    }
}
