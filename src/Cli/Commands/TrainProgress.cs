using System.Globalization;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>Training with progress: a live bar on a terminal, plain lines when output is redirected or JSON is asked for.</summary>
internal static class TrainProgress
{
    public static SiameseModel Train(CliIO io, MLContext ml, SiameseTrainerOptions options, IDataView data)
    {
        int batch = options.BatchSize;
        if (!io.Live)
        {
            TextWriter lines = io.Json ? io.Error : io.Out;
            options.Progress = new SyncProgress(p => lines.WriteLine(ProgressLine(p, batch)));
            return ml.Siamese().Train(options).Fit(data);
        }
        SiameseModel? model = null;
        io.Console.Progress()
            .AutoClear(false)
            .Columns(new Spectre.Console.TaskDescriptionColumn(), new Spectre.Console.ProgressBarColumn(), new Spectre.Console.PercentageColumn(),
                new Spectre.Console.ElapsedTimeColumn(), new Spectre.Console.RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: options.Iterations);
                options.Progress = new SyncProgress(p =>
                {
                    task.Value = p.Iteration;
                    task.Description = Spectre.Console.Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"it {p.Iteration}/{p.TotalIterations} loss {p.Loss:F4} {p.PairsPerSecond:F0} pairs/s ETA {Eta(p, batch):hh\\:mm\\:ss}"));
                });
                model = ml.Siamese().Train(options).Fit(data);
                task.Value = options.Iterations;
            });
        return model!;
    }

    internal static string ProgressLine(TrainingProgress p, int batch)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"iteration {p.Iteration}/{p.TotalIterations}  loss {p.Loss:F4}  {p.PairsPerSecond:F0} pairs/s  elapsed {p.Elapsed:hh\\:mm\\:ss}  ETA {Eta(p, batch):hh\\:mm\\:ss}");
        if (p.ValidationAccuracy is not { } v) return line;
        return line + (p.ValidationMetric == "MAP@R"
            ? string.Create(CultureInfo.InvariantCulture, $"  validation MAP@R {v:F4}")
            : string.Create(CultureInfo.InvariantCulture, $"  validation {v:P1}"));
    }

    private static TimeSpan Eta(TrainingProgress p, int batch)
    {
        int remaining = Math.Max(0, p.TotalIterations - p.Iteration);
        if (remaining == 0 || p.PairsPerSecond <= 0 || !double.IsFinite(p.PairsPerSecond))
            return TimeSpan.Zero;
        return TimeSpan.FromSeconds(Math.Min(remaining * (double)batch / p.PairsPerSecond, TimeSpan.FromDays(9).TotalSeconds));
    }

    /// <summary>Reports on the training thread (System.Progress would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
