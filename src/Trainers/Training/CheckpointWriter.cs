using MLNet.Siamese.Checkpoints;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Writes a run's checkpoints into <see cref="SiameseTrainerOptions.CheckpointDirectory"/> (named by
/// <see cref="CheckpointFileName"/>), keeps the two newest, and sets aside a checkpoint whose weights turned out to diverge.
/// </summary>
internal sealed class CheckpointWriter
{
    private readonly string? _directory;
    private readonly int _interval;
    private int _writtenIteration = -1;  // iteration of the newest checkpoint this run wrote, -1 if none

    public CheckpointWriter(SiameseTrainerOptions options)
    {
        _directory = options.CheckpointDirectory;
        _interval = options.CheckpointInterval;
    }

    /// <summary>The newest checkpoint written or resumed from, or null.</summary>
    public string? Last { get; set; }

    /// <summary>True when a checkpoint is due after <paramref name="iteration"/> of <paramref name="total"/>.</summary>
    public bool DueAfter(int iteration, int total) => _directory is not null && _interval > 0 && (iteration % _interval == 0 || iteration == total);

    /// <summary>Writes the run's state at its current iteration.</summary>
    public void Write(TrainingRun run)
    {
        string path = Path.Combine(_directory!, CheckpointFileName.Of(run.Iteration));
        run.ToCheckpoint().Save(path);
        Last = path;
        _writtenIteration = run.Iteration;
        // Keep the two newest checkpoints: the previous one stays until a newer one is safely on disk.
        foreach (var old in CheckpointFileName.NewestFirst(_directory!).Skip(2))
            File.Delete(old);
    }

    /// <summary>
    /// When the newest checkpoint this run wrote holds the very weights whose loss just turned non-finite (it was written
    /// after the update of the previous step, which was never evaluated), renames it to "*.diverged" so that
    /// <see cref="TrainingCheckpoint.FindLatestValid"/> skips it, and returns the checkpoint that is really good, if any.
    /// </summary>
    public string? SetAsideCheckpointOf(int iteration, bool lossWasFinite)
    {
        if (lossWasFinite || _writtenIteration != iteration || Last is null || !File.Exists(Last))
            return Last;
        File.Move(Last, Last + ".diverged", overwrite: true);
        Last = TrainingCheckpoint.FindLatestValid(_directory!);
        return Last;
    }
}
