using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// Cosine similarity: the rows are L2-normalized (norm clamped at 1e-12, as torch's F.normalize does, so a zero
/// embedding has similarity 0 to everything) and multiplied. Pytorch-metric-learning's <c>CosineSimilarity</c>.
/// </summary>
public sealed class CosineLossSimilarity : ILossDistance
{
    /// <summary>The shared instance.</summary>
    public static CosineLossSimilarity Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "cosine";

    /// <inheritdoc />
    public bool IsSimilarity => true;

    /// <inheritdoc />
    public Tensor Matrix(Tensor a, Tensor b)
    {
        var na = nn.functional.normalize(a, p: 2, dim: 1, eps: 1e-12);
        var nb = nn.functional.normalize(b, p: 2, dim: 1, eps: 1e-12);
        return na.matmul(nb.t());
    }
}
