using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// The multi-similarity miner (Wang et al. 2019; pytorch-metric-learning's <c>MultiSimilarityMiner</c>): keeps a
/// negative pair when it is closer than the anchor's farthest positive by less than epsilon, and a positive pair when it
/// is farther than the anchor's closest negative by less than epsilon. With a similarity S: negative (a, n) when
/// S(a, n) + epsilon &gt; min over positives S(a, p); positive (a, p) when S(a, p) - epsilon &lt; max over negatives S(a, n).
/// </summary>
public sealed class MultiSimilarityMiner : IPairMiner
{
    /// <summary>A miner with margin <paramref name="epsilon"/>.</summary>
    /// <param name="epsilon">The mining margin (pytorch-metric-learning's default 0.1); at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative or not finite.</exception>
    public MultiSimilarityMiner(double epsilon = 0.1)
    {
        if (!(epsilon >= 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The multi-similarity miner's epsilon must be a finite number >= 0.");
        Epsilon = epsilon;
    }

    /// <summary>The mining margin.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public PairIndices Mine(Tensor embeddings, Tensor labels, ILossDistance distance)
    {
        using var noGrad = no_grad();
        var mat = distance.Matrix(embeddings, embeddings);
        var (positive, negative) = PairIndices.Masks(labels);
        // In "closeness" terms (similarity, or minus a distance) the rule is the same for both kinds of distance.
        var close = distance.IsSimilarity ? mat : -mat;
        using Scalar infinity = double.PositiveInfinity, minusInfinity = double.NegativeInfinity, epsilon = Epsilon;
        var farthestPositive = close.masked_fill(positive.logical_not(), infinity).min(1).values.unsqueeze(1);
        var closestNegative = close.masked_fill(negative.logical_not(), minusInfinity).max(1).values.unsqueeze(1);
        var hardNegative = negative.logical_and(close.Plus(epsilon).gt(farthestPositive));
        var hardPositive = positive.logical_and((close - epsilon).lt(closestNegative));
        return PairIndices.FromMasks(hardPositive, hardNegative);
    }
}
