using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Losses;

/// <summary>
/// The training-time (tensor) form of <see cref="VectorDistance.Euclidean"/>, with a small epsilon so the gradient of the
/// square root stays finite at 0; the cosine form is <see cref="Objectives.CosineLossSimilarity"/>, whose zero-vector
/// behaviour (similarity 0, distance 1) is <see cref="VectorDistance"/>'s rule.
/// </summary>
internal static class PairDistance
{
    /// <summary>Row-wise Euclidean distance sqrt(sum((a - b)^2) + 1e-12).</summary>
    /// <param name="a">Embeddings (N, D).</param>
    /// <param name="b">Embeddings (N, D).</param>
    /// <returns>Distances (N).</returns>
    public static Tensor Euclidean(Tensor a, Tensor b)
    {
        using Scalar two = 2, tiny = 1e-12;
        return (a - b).pow(two).sum(1).Plus(tiny).sqrt();
    }

    /// <summary>All squared Euclidean distances between the rows of <paramref name="a"/> and of <paramref name="b"/>.</summary>
    /// <param name="a">Embeddings (N, D).</param>
    /// <param name="b">Embeddings (M, D).</param>
    /// <returns>Squared distances (N, M), clamped at 0.</returns>
    public static Tensor SquaredMatrix(Tensor a, Tensor b)
    {
        using Scalar two = 2, zero = 0;
        var aa = a.pow(two).sum(1, keepdim: true);
        var bb = b.pow(two).sum(1, keepdim: true).t();
        return (aa.Plus(bb) - two * a.matmul(b.t())).clamp_min(zero);
    }
}
