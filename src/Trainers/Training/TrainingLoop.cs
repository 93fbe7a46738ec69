using System.Diagnostics;
using Microsoft.ML.Runtime;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The training loop: steps a <see cref="TrainingRun"/> until the configured iteration count, an early stop or
/// cancellation; stops on divergence, validates, reports progress and writes checkpoints on schedule; at the end puts the
/// best (early stopping) or averaged (weight averaging) weights into the network.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly TrainingRun _run;
    private readonly SiameseTrainerOptions _options;
    private readonly IChannel? _log;

    public TrainingLoop(TrainingRun run, CheckpointWriter checkpoints, IChannel? log)
    {
        _run = run;
        _options = run.Options;
        _log = log;
        Checkpoints = checkpoints;
    }

    public CheckpointWriter Checkpoints { get; }

    /// <summary>Runs the loop; <paramref name="validate"/> (optional) returns the validation score of the current weights (pair accuracy, or MAP@R with a backbone).</summary>
    public void Train(Func<double>? validate)
    {
        var clock = Stopwatch.StartNew();
        double lossSinceReport = 0;
        int stepsSinceReport = 0;
        var reportClock = Stopwatch.StartNew();
        double? lastValidation = null;
        string metric = _options.ValidationMetricName();
        using var earlyStopping = new EarlyStopping(_options.EarlyStoppingPatience);
        _run.Network.train();
        _run.Head?.train();
        while (_run.Iteration < _options.Iterations)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            float loss = _run.Step();
            CheckFinite(loss);
            _run.Iteration++;
            int iteration = _run.Iteration;
            _run.LossHistory.Add(loss);
            lossSinceReport += loss;
            stepsSinceReport++;

            if (validate is not null && _options.ValidationInterval > 0 && (iteration % _options.ValidationInterval == 0 || iteration == _options.Iterations))
            {
                lastValidation = validate();
                _run.Validation.Add(new(iteration, lastValidation.Value));
                Log(metric == "MAP@R" ? $"Iteration {iteration}: validation MAP@R {lastValidation.Value:F4}" : $"Iteration {iteration}: validation {metric} {lastValidation.Value:P2}");
                if (earlyStopping.ShouldStop(lastValidation.Value, _run))
                {
                    Log($"Early stopping at iteration {iteration}: no improvement in {earlyStopping.BadValidations} validations.");
                    break;
                }
            }

            if (iteration % Math.Max(1, _options.ProgressInterval) == 0 || iteration == _options.Iterations)
            {
                double seconds = Math.Max(reportClock.Elapsed.TotalSeconds, 1e-9);
                var progress = new TrainingProgress(iteration, _options.Iterations, lossSinceReport / stepsSinceReport,
                    stepsSinceReport * (double)_run.ExamplesPerStep / seconds, clock.Elapsed, lastValidation) { ValidationMetric = metric };
                _options.Progress?.Report(progress);
                Log($"Iteration {progress.Iteration}/{progress.TotalIterations}: loss {progress.Loss:F4}, {progress.PairsPerSecond:F0} examples/s");
                lossSinceReport = 0;
                stepsSinceReport = 0;
                reportClock.Restart();
            }

            if (Checkpoints.DueAfter(iteration, _options.Iterations))
                Checkpoints.Write(_run);
        }
        earlyStopping.RestoreBest(_run);
        // The trained model gets the averaged weights; its batch-norm statistics stay the live network's.
        _run.Averaging?.CopyIntoLive();
        _run.Network.eval();
        _run.Head?.eval();
    }

    /// <summary>Throws when the step's loss, or the weights about to leave the loop, are not finite.</summary>
    private void CheckFinite(float loss)
    {
        // A finite loss can still come with an update that blows the weights up; such weights must never reach a
        // checkpoint, or the "last good checkpoint" would diverge at once when resumed.
        // Checked only where weights leave the loop (a checkpoint, the end of training): a non-finite weight gives a
        // non-finite loss at the next step anyway, so a per-step scan of every parameter would only cost time.
        int next = _run.Iteration + 1;
        bool weightsLeave = next == _options.Iterations || Checkpoints.DueAfter(next, int.MaxValue);
        if (float.IsFinite(loss) && (!weightsLeave || _run.ParametersFinite()))
            return;
        string? good = Checkpoints.SetAsideCheckpointOf(_run.Iteration, float.IsFinite(loss));
        string kept = good is null ? "No checkpoint of weights that gave a finite loss had been written." : $"The last good checkpoint, '{good}', is kept.";
        string what = float.IsFinite(loss) ? $"the weights became non-finite in the update of iteration {next} (its loss was {loss})" : $"the loss became {loss} at iteration {next}";
        throw new InvalidOperationException($"Training diverged: {what}. {kept} "
            + $"Lower the learning rate (now {_options.LearningRate}) or check the inputs." + CpuKernelHint.For(_run.Spec, _run.Device));
    }

    private void Log(string message) => _log?.Info(MessageSensitivity.None, message.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
}
