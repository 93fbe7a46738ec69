using MLNet.Siamese.Runtime;
using TorchSharp;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// Supervised contrastive loss (Khosla et al. 2020), on P x K batches, as pytorch-metric-learning's
/// <c>SupConLoss(temperature)</c> with cosine similarity S on L2-normalized embeddings: for every anchor i with
/// positives P(i) (same class, not i) and A(i) all other items,
/// -1/|P(i)| sum_{p in P(i)} log( exp(S_ip / T) / sum_{a in A(i)} exp(S_ia / T) ),
/// averaged over the anchors whose loss is above 0.
/// </summary>
internal sealed class SupervisedContrastiveObjective : ITrainingObjective
{
    /// <summary>Creates the objective from the trainer's options: <see cref="SiameseTrainerOptions.Temperature"/> and the batch options.</summary>
    /// <param name="options">The trainer options.</param>
    public SupervisedContrastiveObjective(SiameseTrainerOptions options)
        : this(options.Temperature, CosineLossSimilarity.Instance, ClassBatches.Shape(options))
    {
    }

    /// <summary>Creates the objective.</summary>
    /// <param name="temperature">The temperature T (0.1 in pytorch-metric-learning), positive.</param>
    /// <param name="distance">The distance (cosine similarity in the paper; a distance d is used as -d).</param>
    /// <param name="batch">The P x K batch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is not a positive number.</exception>
    public SupervisedContrastiveObjective(double temperature, ILossDistance distance, BatchShape batch)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Supervised contrastive loss: Temperature must be a positive number.");
        ArgumentNullException.ThrowIfNull(distance);
        ArgumentNullException.ThrowIfNull(batch);
        (Temperature, Distance, Batch) = (temperature, distance, batch);
    }

    // torch.finfo(float32).tiny, pytorch-metric-learning's small_val: keeps 0 / 0 at 0 for an anchor without positives.
    private const double SmallestNormalFloat = 1.17549435e-38;

    /// <summary>The temperature.</summary>
    public double Temperature { get; }

    /// <summary>The distance.</summary>
    public ILossDistance Distance { get; }

    /// <inheritdoc />
    public string Name => TrainingObjectives.SupervisedContrastiveName;

    /// <inheritdoc />
    public BatchShape Batch { get; }

    /// <inheritdoc />
    public bool LearnsPairHead => false;

    /// <inheritdoc />
    public bool NeedsUnitEmbeddings => Distance.IsSimilarity;

    /// <inheritdoc />
    public Tensor Loss(ObjectiveInput input)
    {
        var labels = tensor(input.Batch.Labels!, device: input.Device);
        return Compute(input.Embeddings, labels);
    }

    /// <summary>The loss of a labelled batch of embeddings.</summary>
    /// <param name="embeddings">Embeddings (N, D).</param>
    /// <param name="labels">Class of every row (N), int64.</param>
    /// <returns>The scalar loss.</returns>
    public Tensor Compute(Tensor embeddings, Tensor labels)
    {
        var (positive, negative) = PairIndices.Masks(labels);
        var mat = Distance.Matrix(embeddings, embeddings);
        if (!Distance.IsSimilarity) mat = -mat;
        using Scalar temperature = Temperature, smallest = SmallestNormalFloat, zero = 0, one = 1;
        mat = mat / temperature;
        mat = mat - mat.max(1, keepdim: true).values.detach();   // for numerical stability; cancels in log_prob
        var denominator = MaskedLogSumExp.Rows(mat, positive.logical_or(negative), addOne: false).unsqueeze(1);
        var logProbability = mat - denominator;
        var positiveFloat = positive.to_type(embeddings.dtype);
        var meanLogProbabilityOfPositives = (positiveFloat * logProbability).sum(1) / positiveFloat.sum(1).Plus(smallest);
        var losses = -meanLogProbabilityOfPositives;
        // Average over anchors with a loss above 0 (pytorch-metric-learning's AvgNonZeroReducer); 0 when there are none.
        var counted = losses.gt(zero).to_type(losses.dtype);
        return (losses * counted).sum() / counted.sum().clamp_min(one);
    }
}
