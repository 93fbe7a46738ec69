using MLNet.Siamese.Networks;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// PCA whitening of a backbone's features as the start of its head (<see cref="SiameseTrainerOptions.HeadWhiteningPowers"/>):
/// the head's linear map, which starts as the identity on L2-normalised features, becomes
/// x ↦ (x − μ) U diag((λ + ε λ̄)^−p), with μ, U and λ the mean, eigenvectors and eigenvalues of the training items'
/// normalised features, ε = <see cref="Regularization"/> and λ̄ the mean eigenvalue. Power 0.5 whitens fully, 0.25
/// partly (it evens out the directions the features vary along without blowing up the faint ones), 0 is centring
/// only. It needs no labels and no gradient step, so the held-out classes judge it as they judge a trained head.
/// </summary>
/// <remarks>
/// Learned whitening of pretrained features is a standard step of image retrieval (Radenović, Tolias and Chum,
/// "Fine-tuning CNN Image Retrieval with No Human Annotation", 2018). Measured here in docs/photos.md ("Whitened start").
/// </remarks>
internal static class HeadWhitening
{
    /// <summary>ε: added to every eigenvalue as a fraction of their mean, so directions the training items hardly span stay bounded.</summary>
    public const double Regularization = 0.01;

    /// <summary>
    /// Index of the head's linear map when <paramref name="spec"/> ends as <see cref="Backbones.PretrainedBackbone.Head"/>
    /// does (L2 normalization, a square linear layer, L2 normalization); -1 otherwise.
    /// </summary>
    public static int LinearLayerOf(NetworkSpec spec)
    {
        var layers = spec.Layers;
        if (layers is not [.., L2NormalizeLayer, LinearLayer linear, L2NormalizeLayer])
            return -1;
        int index = layers.Count - 2;
        return spec.InferShapes()[index].Size == linear.OutFeatures ? index : -1;
    }

    /// <summary>The linear layer's weight (D x D) and bias (D) that whiten with power <paramref name="power"/>.</summary>
    /// <param name="unitFeatures">The training items' L2-normalised features, <paramref name="count"/> rows of <paramref name="dimension"/>.</param>
    /// <param name="count">Rows.</param>
    /// <param name="dimension">Feature size.</param>
    /// <param name="power">p: 0.5 whitens fully, 0.25 partly.</param>
    /// <param name="index">The linear layer's index in the network (its weights are named "{index}.weight", "{index}.bias").</param>
    /// <returns>The two weights by name.</returns>
    /// <exception cref="ArgumentException">Fewer than two rows, or the array is not count x dimension.</exception>
    public static Dictionary<string, WeightTensor> Fit(float[] unitFeatures, int count, int dimension, double power, int index)
    {
        if (count < 2 || (long)count * dimension != unitFeatures.Length)
            throw new ArgumentException($"Whitening needs at least two rows of {dimension} features; got {unitFeatures.Length} values for {count} rows.", nameof(unitFeatures));
        using var scope = NewDisposeScope();
        var x = tensor(unitFeatures, [count, dimension]).to_type(ScalarType.Float64);
        var mean = x.mean([0], keepdim: true);
        var centred = x - mean;
        var covariance = centred.t().matmul(centred) / count;
        var (eigenvalues, eigenvectors) = linalg.eigh(covariance);
        var scale = (eigenvalues.clamp_min(0) + Regularization * eigenvalues.clamp_min(0).mean()).pow(-power);
        var map = eigenvectors * scale.unsqueeze(0);             // D x D: columns scaled, y = (x - mean) map
        var weight = map.t().contiguous().to_type(ScalarType.Float32);   // a linear layer computes x W^T + b
        var bias = (-mean.matmul(map)).reshape(dimension).contiguous().to_type(ScalarType.Float32);
        return new Dictionary<string, WeightTensor>(StringComparer.Ordinal)
        {
            [$"{index}.weight"] = EmbeddingNetwork.ToWeight(weight),
            [$"{index}.bias"] = EmbeddingNetwork.ToWeight(bias),
        };
    }
}
