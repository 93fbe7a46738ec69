using MLNet.Siamese.Networks;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The network's weights before training and their validation score, so that a run whose every validation is worse than
/// its start (a head on pretrained features that training only harms on unseen classes) ends where it began: zero steps.
/// </summary>
internal sealed class StartingPoint : IDisposable
{
    private readonly WeightSnapshot _weights;

    private StartingPoint(WeightSnapshot weights, double score)
    {
        _weights = weights;
        Score = score;
    }

    /// <summary>Validation score of the untrained network.</summary>
    public double Score { get; }

    /// <summary>Copies the network's weights and validates them.</summary>
    public static StartingPoint Capture(EmbeddingNetwork network, Func<double> validate) => Capture(network, validate());

    /// <summary>Copies the network's weights, whose validation score is already known.</summary>
    public static StartingPoint Capture(EmbeddingNetwork network, double score) => new(new WeightSnapshot(network), score);

    /// <summary>Puts the starting weights back into the network.</summary>
    public void Restore() => _weights.Restore();

    /// <summary>
    /// Puts the starting weights back into the network (holding the best validated weights when early stopping kept
    /// them) when no validation of the run scored more than <paramref name="minimumGain"/> above
    /// the start (ties keep the start: it is the simpler model). Returns true when it did.
    /// </summary>
    /// <param name="validations">The run's validation scores.</param>
    /// <param name="keptBest">True when the network holds the best-validated weights, false when the last ones.</param>
    /// <param name="minimumGain">How much the trained weights must score above the start to be kept.</param>
    public bool RestoreIfNotBeaten(IReadOnlyList<KeyValuePair<int, double>> validations, bool keptBest, double minimumGain)
    {
        if (validations.Count > 0)
        {
            double trained = keptBest ? validations.Max(v => v.Value) : validations[^1].Value;
            if (trained > Score + minimumGain) return false;
        }
        Restore();
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _weights.Dispose();
}
