using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>Row-wise log-sum-exp over the entries a mask keeps, as pytorch-metric-learning's <c>loss_and_miner_utils.logsumexp</c>.</summary>
internal static class MaskedLogSumExp
{
    // Left-out entries get a large finite negative instead of -inf: exp() of it is 0, and a row with no entry left still
    // has a finite gradient (which is then multiplied by 0), where -inf would give 0 * NaN.
    private const double LeftOut = -1e30;

    /// <summary>log(sum over kept j of exp(x[i, j]) (+ 1 when <paramref name="addOne"/>)) for every row i; 0 for a row with no kept entry.</summary>
    /// <param name="x">Values (N, M).</param>
    /// <param name="keep">Boolean mask (N, M).</param>
    /// <param name="addOne">Add a 0 entry to every row (log(1 + sum)).</param>
    /// <returns>Values (N).</returns>
    public static Tensor Rows(Tensor x, Tensor keep, bool addOne)
    {
        using Scalar leftOut = LeftOut, zero = 0;
        var kept = x.masked_fill(keep.logical_not(), leftOut);
        if (addOne)
            kept = cat([kept, zeros(x.shape[0], 1, dtype: x.dtype, device: x.device)], 1);
        var result = kept.logsumexp(1);
        return result.masked_fill(keep.any(1).logical_not(), zero);
    }
}
