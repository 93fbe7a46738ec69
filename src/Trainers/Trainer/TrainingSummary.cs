using MLNet.Siamese.Backbones;
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

    /// <summary>
    /// Validation score by iteration: pair accuracy (best threshold), or, with a
    /// <see cref="SiameseTrainerOptions.Backbone"/>, MAP@R of the validation classes (each item a query, Euclidean distance).
    /// </summary>
    public IReadOnlyList<KeyValuePair<int, double>> ValidationHistory { get; init; } = Array.Empty<KeyValuePair<int, double>>();

    /// <summary>What <see cref="ValidationHistory"/> measures: "pair accuracy", or "MAP@R" with a <see cref="SiameseTrainerOptions.Backbone"/>.</summary>
    public string ValidationMetric { get; init; } = "pair accuracy";

    /// <summary>Pair accuracy at the calibrated threshold on the calibration pairs.</summary>
    public double CalibrationAccuracy { get; init; }

    /// <summary>True when the threshold was calibrated on validation data, false when on training pairs.</summary>
    public bool CalibratedOnValidation { get; init; }

    /// <summary>
    /// Distances between items of different classes, measured on the validation items (the held-out classes) or else the
    /// calibration items; saved in the model's metadata, an identifier's reject threshold can be read from them
    /// (<see cref="Identification.ThresholdCalibration"/>). Null for a model trained on no classes.
    /// </summary>
    public Identification.ImpostorDistanceProfile? Impostors { get; internal init; }

    /// <summary>
    /// With a <see cref="SiameseTrainerOptions.Backbone"/> and early stopping: the validation score of the untrained head,
    /// measured before the first step; null otherwise.
    /// </summary>
    public double? StartValidation { get; init; }

    /// <summary>
    /// With a <see cref="SiameseTrainerOptions.Backbone"/> and early stopping: the validation score of the identity head
    /// (the backbone's features as they are), measured before the first step and before any whitened start was tried;
    /// equal to <see cref="StartValidation"/> unless a whitened start replaced it. Null otherwise.
    /// </summary>
    public double? IdentityValidation { get; init; }

    /// <summary>True when no trained weights beat the untrained head on validation and the model is the untrained head.</summary>
    public bool KeptStart { get; init; }

    /// <summary>The gain over the start a trained (or whitened) head needed on validation to replace it (<see cref="SiameseTrainerOptions.ValidationMinimumGain"/>).</summary>
    public double ValidationMinimumGain { get; init; }

    /// <summary>Time spent computing the backbone's features of the training (and validation) images; zero without a backbone.</summary>
    public TimeSpan FeaturizationTime { get; init; }

    /// <summary>
    /// With <see cref="SiameseTrainerOptions.SelectBackboneFeatures"/>: the backbone's features measured on the training
    /// classes before training, and the one chosen; null when no choice was made.
    /// </summary>
    public BackboneSelection? BackboneSelection { get; init; }

    /// <summary>
    /// With <see cref="SiameseTrainerOptions.HeadWhiteningPowers"/> or
    /// <see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>: each whitening tried and the held-out MAP@R of
    /// the head started from it (before training), in the order tried; empty otherwise.
    /// </summary>
    public IReadOnlyList<KeyValuePair<WhitenedStart, double>> WhiteningValidation { get; init; } = Array.Empty<KeyValuePair<WhitenedStart, double>>();

    /// <summary>
    /// With <see cref="SiameseTrainerOptions.WhiteningCrossValidationFolds"/>: for each whitening tried, its MAP@R gain
    /// over the unwhitened features on each fold of the training part's classes (NaN where it could not be fitted), in the
    /// order of <see cref="WhiteningValidation"/>; empty otherwise.
    /// </summary>
    public IReadOnlyList<KeyValuePair<WhitenedStart, IReadOnlyList<double>>> WhiteningFoldGains { get; init; } = Array.Empty<KeyValuePair<WhitenedStart, IReadOnlyList<double>>>();

    /// <summary>The whitening the head started from (and, when <see cref="KeptStart"/>, ended at); null when it started as the identity.</summary>
    public WhitenedStart? StartWhitening { get; init; }

    /// <summary>The last checkpoint written, if any.</summary>
    public string? LastCheckpoint { get; init; }

    /// <summary>
    /// How the held-out classes decided a run on a backbone, in one sentence: the identity head's score, the whitened
    /// starts', the best trained score, and which head the model is. For example: "Held-out MAP@R: identity head 0.6612;
    /// whitened starts power 0.25: 0.6972, power 0.5: 0.6903; training best 0.6810 (iteration 200 of 250); kept the
    /// whitened start (power 0.25): it gained more than 0.03 over the identity head and training did not gain 0.03
    /// over it."
    /// </summary>
    /// <returns>The sentence, or null when no held-out validation judged the start (no backbone, no validation data or classes, or no early stopping).</returns>
    public string? DescribeHeldOutChoice() => HeldOutChoice.Describe(this);
}
