using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Losses;

/// <summary>Contrastive loss (Hadsell, Chopra, LeCun 2006), as in the digits seed.</summary>
public static class ContrastiveLoss
{
    /// <summary>Mean over the batch of 0.5 y d^2 + 0.5 (1 - y) max(margin - d, 0)^2.</summary>
    /// <param name="left">Left embeddings (N, D).</param>
    /// <param name="right">Right embeddings (N, D).</param>
    /// <param name="similar">1 for same-class pairs, 0 otherwise (N).</param>
    /// <param name="margin">Distance beyond which dissimilar pairs cost nothing.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor Compute(Tensor left, Tensor right, Tensor similar, double margin)
    {
        using Scalar two = 2, one = 1, half = 0.5, marginScalar = margin;
        var d = PairDistance.Euclidean(left, right);
        var positive = similar * d.pow(two);
        var negative = one.Minus(similar) * nn.functional.relu(marginScalar.Minus(d)).pow(two);
        return (half * positive.Plus(negative)).mean();
    }
}
