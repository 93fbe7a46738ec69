namespace MLNet.Siamese.Trainers;

/// <summary>
/// Early stopping on validation accuracy (<see cref="SiameseTrainerOptions.EarlyStoppingPatience"/>): remembers the
/// weights of the best validation and tells the loop to stop after that many validations without improvement.
/// With patience 0 it only tracks the best value.
/// </summary>
internal sealed class EarlyStopping : IDisposable
{
    private readonly int _patience;
    private double _best = double.NegativeInfinity;
    private int _bad;
    private WeightSnapshot? _bestNetwork, _bestHead;

    public EarlyStopping(int patience) => _patience = patience;

    /// <summary>Validations in a row without improvement.</summary>
    public int BadValidations => _bad;

    /// <summary>Records a validation of the run's current weights; true when training should stop.</summary>
    public bool ShouldStop(double accuracy, TrainingRun run)
    {
        if (accuracy > _best)
        {
            _best = accuracy;
            _bad = 0;
            if (_patience > 0)
            {
                Keep(ref _bestNetwork, run.Network);
                if (run.Head is not null) Keep(ref _bestHead, run.Head);
            }
            return false;
        }
        return _patience > 0 && ++_bad >= _patience;
    }

    /// <summary>Puts the best weights back into the run, if any were kept.</summary>
    public void RestoreBest(TrainingRun run)
    {
        if (_bestNetwork is null) return;
        _bestNetwork.Restore();
        _bestHead?.Restore();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _bestNetwork?.Dispose();
        _bestHead?.Dispose();
    }

    /// <summary>The first time, copies the module's weights; afterwards copies them over the same tensors.</summary>
    private static void Keep(ref WeightSnapshot? snapshot, TorchSharp.torch.nn.Module module)
    {
        if (snapshot is null) snapshot = new WeightSnapshot(module);
        else snapshot.Capture();
    }
}
