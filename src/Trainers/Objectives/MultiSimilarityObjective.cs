using MLNet.Siamese.Runtime;
using TorchSharp;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// Multi-similarity loss (Wang, Han, Huang, Dong, Scott 2019) with its miner, on P x K batches, as
/// pytorch-metric-learning's <c>MultiSimilarityLoss(alpha, beta, base)</c> with <c>MultiSimilarityMiner(epsilon)</c> and
/// cosine similarity S on L2-normalized embeddings: for every anchor i, over its mined positives P_i and negatives N_i,
/// (1 / alpha) log(1 + sum_P exp(-alpha (S_ip - base))) + (1 / beta) log(1 + sum_N exp(beta (S_in - base))), averaged
/// over all anchors of the batch (0 for an anchor without mined pairs).
/// </summary>
internal sealed class MultiSimilarityObjective : ITrainingObjective
{
    /// <summary>Creates the objective from the trainer's options: <see cref="SiameseTrainerOptions.MultiSimilarity"/> and the batch options.</summary>
    /// <param name="options">The trainer options.</param>
    public MultiSimilarityObjective(SiameseTrainerOptions options)
        : this(options.MultiSimilarity.Alpha, options.MultiSimilarity.Beta, options.MultiSimilarity.Base,
            new MultiSimilarityMiner(options.MultiSimilarity.Epsilon),
            CosineLossSimilarity.Instance, ClassBatches.Shape(options))
    {
    }

    /// <summary>Creates the objective.</summary>
    /// <param name="alpha">Weight of positive pairs (2 in the paper), positive.</param>
    /// <param name="beta">Weight of negative pairs (50), positive.</param>
    /// <param name="base">The similarity margin lambda (0.5), finite.</param>
    /// <param name="miner">The pair miner, or null to use every pair.</param>
    /// <param name="distance">The distance (cosine similarity in the paper).</param>
    /// <param name="batch">The P x K batch.</param>
    /// <exception cref="ArgumentOutOfRangeException">alpha or beta is not positive, or base is not finite.</exception>
    public MultiSimilarityObjective(double alpha, double beta, double @base, IPairMiner? miner, ILossDistance distance, BatchShape batch)
    {
        if (!(alpha > 0) || !double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Multi-similarity loss: Alpha must be a positive number.");
        if (!(beta > 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Multi-similarity loss: Beta must be a positive number.");
        if (!double.IsFinite(@base))
            throw new ArgumentOutOfRangeException(nameof(@base), @base, "Multi-similarity loss: Base must be a finite number.");
        ArgumentNullException.ThrowIfNull(distance);
        ArgumentNullException.ThrowIfNull(batch);
        (Alpha, Beta, Base, Miner, Distance, Batch) = (alpha, beta, @base, miner, distance, batch);
    }

    /// <summary>Weight of positive pairs.</summary>
    public double Alpha { get; }

    /// <summary>Weight of negative pairs.</summary>
    public double Beta { get; }

    /// <summary>The similarity margin (lambda).</summary>
    public double Base { get; }

    /// <summary>The miner, null for all pairs.</summary>
    public IPairMiner? Miner { get; }

    /// <summary>The distance.</summary>
    public ILossDistance Distance { get; }

    /// <inheritdoc />
    public string Name => TrainingObjectives.MultiSimilarityName;

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
        var pairs = Miner is null ? PairIndices.All(labels) : Miner.Mine(embeddings, labels, Distance);
        var (positive, negative) = pairs.ToMasks(labels.shape[0], embeddings.device);
        var mat = Distance.Matrix(embeddings, embeddings);
        var closeness = Distance.Closeness(mat, Base);   // S - base for a similarity
        using Scalar minusAlpha = -Alpha, alpha = Alpha, beta = Beta;
        var positiveLoss = MaskedLogSumExp.Rows(minusAlpha * closeness, positive, addOne: true) / alpha;
        var negativeLoss = MaskedLogSumExp.Rows(beta * closeness, negative, addOne: true) / beta;
        return positiveLoss.Plus(negativeLoss).mean();
    }
}
