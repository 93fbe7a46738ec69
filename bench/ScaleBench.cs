using Microsoft.ML;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Bench;

/// <summary>
/// How trainer throughput changes with the batch size (compact net, Omniglot 28x28) and how the one-time cost of Fit
/// and the step rate change with the data set size (seed MLP, synthetic items).
/// </summary>
internal static class ScaleBench
{
    public static void BatchSweep(MLContext ml, Results results, float[] features, string[] labels, double matmulGflops)
    {
        var spec = NetworkPresets.Compact(28, 64);
        var data = SyntheticData.ToDataView(ml, features, spec.InputSize, labels);
        foreach (int batch in new[] { 32, 64, 128, 256, 512 })
        {
            int k = Math.Max(1, 128 / batch);
            var run = TrainerTiming.Measure(ml, data, spec, batch, k, intervals: 2);
            double sps = Stats.Median(run.StepsPerSecond);
            double gflops = sps * Flops.TrainingStep(spec, batch) / 1e9;
            results.Add(new Figure("scale", $"compact: trainer pairs/s at batch {batch}", sps * batch, "pairs/s",
                Note: $"{1000 / sps:F0} ms/step, {gflops:F1} GFLOP/s = {gflops / matmulGflops:P0} of matmul"));
        }
    }

    public static void DataSizeSweep(MLContext ml, Results results)
    {
        var spec = NetworkPresets.SeedMlp(28, 2);
        foreach (int n in new[] { 1_000, 10_000, 60_000 })
        {
            var features = SyntheticData.Random(n, spec.InputSize, n);
            var data = SyntheticData.ToDataView(ml, features, spec.InputSize, SyntheticData.Labels(n, Math.Max(10, n / 20)));
            var run = TrainerTiming.Measure(ml, data, spec, batch: 180, stepsPerInterval: 5, intervals: 2);
            double sps = Stats.Median(run.StepsPerSecond);
            double once = run.FitSeconds - 15 / sps; // 15 = all iterations at the measured rate
            results.Add(new Figure("scale", $"mlp b180: trainer steps/s with {n} items", sps, "steps/s",
                Note: $"Fit outside the timed steps {once:F2} s ({once / n * 1e6:F0} us/item: data view read, calibration, ONNX export; the steps themselves subtracted)"));
            GC.Collect();
        }
    }
}
