using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using TorchSharp;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Resident memory and live TorchSharp tensors over a long seed-MLP run (batch 180, like the seed), sampled at every
/// progress report (every 100 iterations) on the training thread. The full bench runs up to 3,000 iterations within a
/// time budget; <c>--long-memory</c> runs <see cref="LongRunIterations"/> and never shortens.
/// </summary>
internal static class MemoryBench
{
    public const int Iterations = 3000;

    /// <summary>The long run of issue 4 ("the seed MLP for 5,000 iterations with RSS sampled").</summary>
    public const int LongRunIterations = 5000;

    /// <summary>The run is shortened (never below 1,000 iterations) when the measured step rate would make it exceed this.</summary>
    public const double BudgetSeconds = 180;

    /// <summary>Iterations that fit the budget at <paramref name="stepsPerSecond"/>, in hundreds, between 1,000 and 3,000.</summary>
    public static int PlannedIterations(double stepsPerSecond) => Math.Clamp((int)(BudgetSeconds * stepsPerSecond / 100) * 100, 1000, Iterations);

    /// <summary>Live tensors on this thread as TorchSharp 0.107 counts them (created minus disposed).</summary>
    public static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>The embedded Omniglot small1 set, 28x28 inverted (what the full bench decodes in its data section).</summary>
    public static (float[] Features, string[] Labels, int Count) DecodeSmall1(MLContext ml, string scratch)
    {
        string folder = SafeZipExtractor.Extract(EmbeddedOmniglot.FindSmall1(), Path.Combine(scratch, "folder-cache"));
        var entries = ImageFolder.Scan(folder, new ImageFolderOptions { LabelDepth = 2 });
        var features = ImagePreprocessing.DecodeToArray(ml, entries.Select(e => e.ImagePath).ToList(), new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true });
        return (features, entries.Select(e => e.Label).ToArray(), entries.Count);
    }

    public static void Run(MLContext ml, Results results, float[] features, string[] labels, int iterations, bool longRun = false)
    {
        var spec = NetworkPresets.SeedMlp(28, 2);
        var data = SyntheticData.ToDataView(ml, features, spec.InputSize, labels);
        var run = TrainerTiming.Measure(ml, data, spec, batch: 180, stepsPerInterval: 100, intervals: iterations / 100 - 1, LiveTensors);
        var at300 = run.Reports.First(r => r.Iteration == 300);
        var end = run.Reports[^1];
        double peak = run.Reports.Max(r => r.PeakMiB);
        var afterWarmup = run.Reports.Where(r => r.Iteration >= 300).ToList();
        results.Add(new Figure("memory", $"mlp b180: RSS at iteration {end.Iteration} vs 300", end.RssMiB, "MiB", at300.RssMiB, "RSS@300", 1.10,
            $"peak (VmHWM) {peak:F0} MiB; RSS min/max after 300: {afterWarmup.Min(r => r.RssMiB):F0}/{afterWarmup.Max(r => r.RssMiB):F0} MiB; {1000 / Stats.Median(run.StepsPerSecond):F0} ms/step" + (!longRun && iterations < Iterations ? $"; shortened from {Iterations} to fit the {BudgetSeconds:F0} s budget at the measured step rate" : ""), AtMost: true));
        results.Add(new Figure("memory", $"mlp b180: live tensors at iteration {end.Iteration} vs 300", end.LiveTensors, "tensors", at300.LiveTensors, "live@300", 1.0,
            $"DisposeScopeManager.Statistics.ThreadTotalLiveCount, min/max over reports {run.Reports.Min(r => r.LiveTensors)}/{run.Reports.Max(r => r.LiveTensors)}", AtMost: true));
        if (!longRun)
            return;
        // Not only the end point: the largest RSS of any sample after warm-up, and the whole series.
        results.Add(new Figure("memory", $"mlp b180: largest RSS after iteration 300 (of {end.Iteration}) vs 300", afterWarmup.Max(r => r.RssMiB), "MiB", at300.RssMiB, "RSS@300", 1.10,
            $"{afterWarmup.Count} samples, one per 100 iterations; end RSS {end.RssMiB:F0} MiB; fit {run.FitSeconds:F0} s", AtMost: true));
        results.Environment["rss_mib_every_500_iterations"] = string.Join(", ", run.Reports.Where(r => r.Iteration % 500 == 0 || r.Iteration == 100)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Iteration}:{r.RssMiB:F0}")));
        results.Methods.Add("Long memory run: one Fit of the seed MLP (784-1024-1024-2, batch 180, contrastive, Adam 1e-3) on Omniglot small1 28x28, no checkpoints; VmRSS, VmHWM and live tensors read inside every progress report (every 100 iterations) on the training thread.");
    }
}
