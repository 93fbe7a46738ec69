using Microsoft.ML;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using TorchSharp;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Training overhead (trainer steps/s against the minimal loop, measured A-B-A-B in this process) and distance from
/// the hardware (achieved GFLOP/s of a trainer step against a 2048x2048 float32 matmul).
/// </summary>
internal static class TrainingBench
{
    public sealed record Preset(string Name, NetworkSpec Spec, int Pairs, int StepsPerInterval, int Intervals, float[] Features, string[] Labels);

    public static double MatmulGflops(Results results)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(2048, 2048);
        var b = torch.randn(2048, 2048);
        double seconds = Stats.MedianSeconds(() => { using var c = torch.matmul(a, b); }, warmup: 2, repeats: 7);
        double gflops = 2.0 * 2048 * 2048 * 2048 / seconds / 1e9;
        results.Add(new Figure("hardware", "torch.matmul 2048x2048 float32", gflops, "GFLOP/s", Note: $"median of 7, {torch.get_num_threads()} threads"));
        return gflops;
    }

    /// <summary>Measures one preset; returns the trained model and the trainer's steps/s.</summary>
    public static (SiameseModel Model, double StepsPerSecond) Run(MLContext ml, Results results, Preset p, double matmulGflops)
    {
        var data = SyntheticData.ToDataView(ml, p.Features, p.Spec.InputSize, p.Labels);
        int count = p.Labels.Length;
        var loopRates = new List<double>();
        var trainerRates = new List<double>();
        double fitOverhead;
        SiameseModel model;
        using (var loop = new MinimalLoop(p.Spec, p.Features, count, p.Pairs))
        {
            loop.StepsPerSecond(warmup: p.StepsPerInterval, 0, 0);
            // The loop's interval runs inside each trainer progress report: trainer and loop alternate interval by interval.
            var run = TrainerTiming.Measure(ml, data, p.Spec, p.Pairs, p.StepsPerInterval, p.Intervals,
                betweenReports: () => loopRates.AddRange(loop.StepsPerSecond(0, 1, p.StepsPerInterval)));
            model = run.Model;
            trainerRates.AddRange(run.StepsPerSecond);
            fitOverhead = run.FitSeconds - p.StepsPerInterval * (p.Intervals + 1) / Stats.Median(run.StepsPerSecond) - loopRates.Sum(r => p.StepsPerInterval / r);
        }
        double loopSps = Stats.Median(loopRates), trainerSps = Stats.Median(trainerRates);
        string batch = $"{p.Pairs} pairs";
        results.Add(new Figure("training", $"{p.Name}: trainer steps/s ({batch})", trainerSps, "steps/s", loopSps, "minimal loop", 0.95,
            $"{1000 / trainerSps:F0} ms/step vs {1000 / loopSps:F0}; trainer/loop intervals of {p.StepsPerInterval} steps alternated ({trainerRates.Count}/{loopRates.Count}), medians; Fit outside the timed steps {fitOverhead:F1} s"));
        double stepFlops = Flops.TrainingStep(p.Spec, p.Pairs);
        results.Add(new Figure("hardware", $"{p.Name}: trainer step GFLOP/s", trainerSps * stepFlops / 1e9, "GFLOP/s", matmulGflops, "matmul",
            Note: $"{stepFlops / 1e9:F2} GFLOP/step = 3 x forward ({Flops.ForwardPerItem(p.Spec) / 1e6:F2} MFLOP/item) x {2 * p.Pairs} items"));
        return (model, trainerSps);
    }
}
