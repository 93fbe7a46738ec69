using MLNet.Siamese.Runtime;
using TorchSharp;
using MLNet.Siamese.Losses;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>Euclidean distance sqrt(|a - b|^2 + 1e-12): the epsilon keeps the square root's gradient finite at 0.</summary>
public sealed class EuclideanLossDistance : ILossDistance
{
    /// <summary>The shared instance.</summary>
    public static EuclideanLossDistance Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "euclidean";

    /// <inheritdoc />
    public bool IsSimilarity => false;

    /// <inheritdoc />
    public Tensor Matrix(Tensor a, Tensor b)
    {
        using Scalar tiny = 1e-12;
        return PairDistance.SquaredMatrix(a, b).Plus(tiny).sqrt();
    }
}
