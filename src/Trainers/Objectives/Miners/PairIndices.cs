using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// Mined pairs as pytorch-metric-learning's miners return them: positive pairs (<see cref="AnchorOfPositive"/>[i],
/// <see cref="Positive"/>[i]) and negative pairs (<see cref="AnchorOfNegative"/>[j], <see cref="Negative"/>[j]), by row
/// of the batch (int64 tensors).
/// </summary>
/// <param name="AnchorOfPositive">a1.</param>
/// <param name="Positive">p.</param>
/// <param name="AnchorOfNegative">a2.</param>
/// <param name="Negative">n.</param>
public sealed record PairIndices(Tensor AnchorOfPositive, Tensor Positive, Tensor AnchorOfNegative, Tensor Negative)
{
    /// <summary>All positive pairs (same label, not the item itself) and all negative pairs of a batch.</summary>
    /// <param name="labels">Class of every row (N), int64.</param>
    /// <returns>The pairs.</returns>
    public static PairIndices All(Tensor labels)
    {
        var (positive, negative) = Masks(labels);
        return FromMasks(positive, negative);
    }

    /// <summary>The boolean (N, N) masks of positive pairs (same label, off the diagonal) and negative pairs (other label).</summary>
    /// <param name="labels">Class of every row (N), int64.</param>
    /// <returns>The two masks.</returns>
    public static (Tensor Positive, Tensor Negative) Masks(Tensor labels)
    {
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var identity = eye(labels.shape[0], dtype: ScalarType.Bool, device: labels.device);
        return (same.logical_and(identity.logical_not()), same.logical_not());
    }

    /// <summary>The pairs marked in two boolean (N, N) masks.</summary>
    /// <param name="positive">Positive pairs.</param>
    /// <param name="negative">Negative pairs.</param>
    /// <returns>The pairs, row-major.</returns>
    public static PairIndices FromMasks(Tensor positive, Tensor negative)
    {
        var p = positive.nonzero();
        var n = negative.nonzero();
        return new PairIndices(p[.., 0], p[.., 1], n[.., 0], n[.., 1]);
    }

    /// <summary>These pairs as boolean (N, N) masks.</summary>
    /// <param name="rows">N, the batch size.</param>
    /// <param name="device">Where the masks live.</param>
    /// <returns>The positive and negative masks.</returns>
    public (Tensor Positive, Tensor Negative) ToMasks(long rows, Device device)
    {
        var positive = zeros(rows * rows, dtype: ScalarType.Bool, device: device);
        var negative = zeros(rows * rows, dtype: ScalarType.Bool, device: device);
        using Scalar rowsScalar = rows, yes = true;
        if (AnchorOfPositive.shape[0] > 0) positive.index_fill_(0, (AnchorOfPositive * rowsScalar).Plus(Positive), yes);
        if (AnchorOfNegative.shape[0] > 0) negative.index_fill_(0, (AnchorOfNegative * rowsScalar).Plus(Negative), yes);
        return (positive.view(rows, rows), negative.view(rows, rows));
    }
}
