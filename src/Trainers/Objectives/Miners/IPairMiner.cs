using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// Picks the informative pairs of a labelled batch, as pytorch-metric-learning's miners do; the objective's loss then
/// runs over these pairs only. Miners run without gradient.
/// </summary>
public interface IPairMiner
{
    /// <summary>The pairs to train on.</summary>
    /// <param name="embeddings">Embeddings (N, D).</param>
    /// <param name="labels">Class of every row (N), int64.</param>
    /// <param name="distance">The objective's distance.</param>
    /// <returns>The mined pairs.</returns>
    PairIndices Mine(Tensor embeddings, Tensor labels, ILossDistance distance);
}
