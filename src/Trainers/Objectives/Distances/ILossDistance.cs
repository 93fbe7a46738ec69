using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// How an objective compares embeddings, as pytorch-metric-learning's distances do: a matrix of all pairs, either a
/// distance (smaller is closer) or a similarity (larger is closer, <see cref="IsSimilarity"/>).
/// </summary>
public interface ILossDistance
{
    /// <summary>Name, e.g. "euclidean" or "cosine".</summary>
    string Name { get; }

    /// <summary>True when larger values mean closer (a similarity), false for a distance.</summary>
    bool IsSimilarity { get; }

    /// <summary>All pairs between the rows of <paramref name="a"/> and of <paramref name="b"/>.</summary>
    /// <param name="a">Embeddings (N, D).</param>
    /// <param name="b">Embeddings (M, D).</param>
    /// <returns>The (N, M) matrix.</returns>
    Tensor Matrix(Tensor a, Tensor b);

    /// <summary>How far <paramref name="value"/> is on the "closer" side of <paramref name="reference"/>: reference - value for a distance, value - reference for a similarity.</summary>
    /// <param name="value">Values of this distance.</param>
    /// <param name="reference">A reference value.</param>
    /// <returns>Positive where <paramref name="value"/> is closer than <paramref name="reference"/>.</returns>
    Tensor Closeness(Tensor value, double reference)
    {
        using Scalar referenceScalar = reference;
        return IsSimilarity ? value - referenceScalar : referenceScalar.Minus(value);
    }
}
