using MLNet.Siamese.Losses;

namespace MLNet.Siamese.Trainers;

/// <summary>What happened during training: the loss of every iteration, validations, calibration and checkpoints.</summary>
public sealed class TrainingSummary
{
    /// <summary>Iterations completed (fewer than configured after an early stop).</summary>
    public int Iterations { get; init; }

    /// <summary>The seed the run used.</summary>
    public int Seed { get; init; }

    /// <summary>The training objective.</summary>
    public SiameseLoss Loss { get; init; }

    /// <summary>Training loss of every iteration.</summary>
    public IReadOnlyList<float> LossHistory { get; init; } = Array.Empty<float>();

    /// <summary>Validation pair accuracy (best threshold) by iteration.</summary>
    public IReadOnlyList<KeyValuePair<int, double>> ValidationHistory { get; init; } = Array.Empty<KeyValuePair<int, double>>();

    /// <summary>Pair accuracy at the calibrated threshold on the calibration pairs.</summary>
    public double CalibrationAccuracy { get; init; }

    /// <summary>True when the threshold was calibrated on validation data, false when on training pairs.</summary>
    public bool CalibratedOnValidation { get; init; }

    /// <summary>The last checkpoint written, if any.</summary>
    public string? LastCheckpoint { get; init; }
}
