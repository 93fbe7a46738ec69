using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Losses;

/// <summary>Triplet margin loss, plain or with batch-hard mining (Hermans, Beyer, Leibe 2017).</summary>
internal static class TripletLoss
{
    /// <summary>Mean of max(d(a,p) - d(a,n) + margin, 0) over given triplets.</summary>
    /// <param name="anchor">Anchor embeddings (N, D).</param>
    /// <param name="positive">Positive embeddings (N, D).</param>
    /// <param name="negative">Negative embeddings (N, D).</param>
    /// <param name="margin">The margin.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor Compute(Tensor anchor, Tensor positive, Tensor negative, double margin)
    {
        using Scalar marginScalar = margin;
        return nn.functional.relu((PairDistance.Euclidean(anchor, positive) - PairDistance.Euclidean(anchor, negative)).Plus(marginScalar)).mean();
    }

    /// <summary>
    /// Batch-hard triplet loss over a batch of embeddings with class labels: for each anchor, its farthest
    /// same-class item and its nearest other-class item.
    /// </summary>
    /// <param name="embeddings">Embeddings (N, D).</param>
    /// <param name="labels">Class of each row (N), int64.</param>
    /// <param name="margin">The margin.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor BatchHard(Tensor embeddings, Tensor labels, double margin)
    {
        using Scalar tiny = 1e-12, zero = 0, largest = float.MaxValue, marginScalar = margin;
        var d = PairDistance.SquaredMatrix(embeddings, embeddings).Plus(tiny).sqrt();
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var identity = eye(labels.shape[0], dtype: ScalarType.Bool, device: embeddings.device);
        var positiveMask = same.logical_and(identity.logical_not());
        var hardestPositive = d.masked_fill(positiveMask.logical_not(), zero).max(1).values;
        var hardestNegative = d.masked_fill(same, largest).min(1).values;
        return nn.functional.relu((hardestPositive - hardestNegative).Plus(marginScalar)).mean();
    }
}
