using System.Diagnostics;
using Microsoft.ML;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Times the library's trainer without its one-time work (reading the data view, calibration, ONNX export): a
/// synchronous progress sink stamps the clock at every report, and steps/s is taken between consecutive reports, the
/// first interval (warm-up) discarded. Progress and checkpoints are otherwise off. An optional action runs inside
/// every report (the minimal loop's interval, so both are measured interleaved); the clock for the trainer's next
/// interval starts after it.
/// </summary>
internal static class TrainerTiming
{
    public sealed record Run(List<double> StepsPerSecond, double FitSeconds, double TrainSeconds, SiameseModel Model, List<Report> Reports);

    public sealed record Report(int Iteration, long Timestamp, long ResumeTimestamp, double RssMiB, double PeakMiB, long LiveTensors);

    public static Run Measure(MLContext ml, IDataView data, NetworkSpec spec, int batch, int stepsPerInterval, int intervals,
        Func<long>? liveTensors = null, int calibrationPairs = 200, Action? betweenReports = null)
    {
        var sink = new Sink(liveTensors, betweenReports);
        var options = new SiameseTrainerOptions
        {
            Loss = Losses.SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            FeatureColumnName = "Features",
            LabelColumnName = "Label",
            Network = spec,
            BatchSize = batch,
            Iterations = stepsPerInterval * (intervals + 1),
            ProgressInterval = stepsPerInterval,
            Progress = sink,
            LearningRate = 1e-3f,
            Beta1 = 0.9f,
            Beta2 = 0.99f,
            Seed = 1,
            Device = SiameseDevice.Cpu,
            CalibrationPairs = calibrationPairs,
        };
        long t0 = Stopwatch.GetTimestamp();
        var model = ml.Siamese().Train(options).Fit(data);
        double fit = Stats.Seconds(t0, Stopwatch.GetTimestamp());
        var r = sink.Reports;
        var rates = new List<double>();
        for (int i = 1; i < r.Count; i++)
            rates.Add((r[i].Iteration - r[i - 1].Iteration) / Stats.Seconds(r[i - 1].ResumeTimestamp, r[i].Timestamp));
        double train = r.Count > 1 ? Stats.Seconds(r[0].Timestamp, r[^1].Timestamp) : double.NaN;
        return new Run(rates, fit, train, model, r);
    }

    private sealed class Sink(Func<long>? liveTensors, Action? between) : IProgress<TrainingProgress>
    {
        public List<Report> Reports { get; } = new();

        public void Report(TrainingProgress value)
        {
            long now = Stopwatch.GetTimestamp();
            var (rss, peak) = ProcessMemory.Read();
            long live = liveTensors?.Invoke() ?? -1;
            between?.Invoke();
            Reports.Add(new Report(value.Iteration, now, Stopwatch.GetTimestamp(), rss, peak, live));
        }
    }
}
