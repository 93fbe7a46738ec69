using static TorchSharp.torch;

namespace MLNet.Siamese.Losses;

/// <summary>Prototypical networks loss (Snell, Swersky, Zemel 2017).</summary>
internal static class PrototypicalLoss
{
    /// <summary>
    /// Prototypes are the mean support embedding of each class; each query is classified by a softmax over its
    /// negative squared distances to the prototypes, and the loss is the cross-entropy on its true class.
    /// </summary>
    /// <param name="support">Support embeddings (ways * shots, D), class-major.</param>
    /// <param name="query">Query embeddings (Q, D).</param>
    /// <param name="queryTarget">Class 0..ways-1 of each query (Q), int64.</param>
    /// <param name="ways">Number of classes.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor Compute(Tensor support, Tensor query, Tensor queryTarget, int ways)
    {
        var prototypes = support.view(ways, -1, support.shape[1]).mean(new long[] { 1 });
        var logits = -PairDistance.SquaredMatrix(query, prototypes);
        return nn.functional.cross_entropy(logits, queryTarget);
    }
}
