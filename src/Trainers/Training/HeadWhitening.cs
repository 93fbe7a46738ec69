using MLNet.Siamese.Runtime;
using TorchSharp;
using MLNet.Siamese.Networks;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Whitening of a backbone's features as the start of its head: the head's linear map, which starts as the identity on
/// L2-normalised features, becomes x ↦ (x − μ) U diag((λ + ε λ̄)^−p), with μ the mean of the training items' normalised
/// features, U and λ the eigenvectors and eigenvalues of a covariance of them, and λ̄ the mean eigenvalue.
/// <list type="bullet">
/// <item><see cref="Fit"/>, PCA whitening (<see cref="SiameseTrainerOptions.HeadWhiteningPowers"/>): the covariance of
/// all items, ε = <see cref="Regularization"/>; it needs no labels.</item>
/// <item><see cref="FitWithinClass"/> (<see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>): the
/// covariance of each item around its class's mean, ε = <see cref="WithinClassRegularization"/>.</item>
/// </list>
/// Power 0.5 whitens fully, 0.25 partly (it evens out the directions without blowing up the faint ones), 0 is centring
/// only. No gradient step is taken, so the held-out classes judge a whitened start as they judge a trained head.
/// </summary>
/// <remarks>
/// Learned whitening of pretrained features is a standard step of image retrieval: PCA whitening, and whitening by the
/// covariance of matching pairs' differences, which is twice the within-class covariance (Radenović, Tolias and Chum,
/// "Fine-tuning CNN Image Retrieval with No Human Annotation", 2018, after Mikolajczyk and Matas, 2007); in face
/// verification it is within-class covariance normalization. Measured here in docs/photos.md ("Whitened start").
/// </remarks>
internal static class HeadWhitening
{
    /// <summary>ε: added to every eigenvalue as a fraction of their mean, so directions the training items hardly span stay bounded.</summary>
    public const double Regularization = 0.01;

    /// <summary>
    /// ε of the within-class whitening: 0.1. Chosen on training classes only, by cross-validation over them (every
    /// fold's classes held out in turn, the whitening fitted on the others; docs/photos.md): 0.1 scored higher than
    /// 0.01 at both powers on Caltech-101's 35 training classes and Fashion-MNIST's 7, and at power 0.5 on Omniglot's 136
    /// training characters.
    /// </summary>
    public const double WithinClassRegularization = 0.1;

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

    /// <summary>The linear layer's weight (D x D) and bias (D) that whiten with power <paramref name="power"/> (PCA whitening).</summary>
    /// <param name="unitFeatures">The training items' L2-normalised features, <paramref name="count"/> rows of <paramref name="dimension"/>.</param>
    /// <param name="count">Rows.</param>
    /// <param name="dimension">Feature size.</param>
    /// <param name="power">p: 0.5 whitens fully, 0.25 partly.</param>
    /// <param name="index">The linear layer's index in the network (its weights are named "{index}.weight", "{index}.bias").</param>
    /// <returns>The two weights by name.</returns>
    /// <exception cref="ArgumentException">Fewer than two rows, or the array is not count x dimension.</exception>
    public static Dictionary<string, WeightTensor> Fit(float[] unitFeatures, int count, int dimension, double power, int index)
    {
        Check(unitFeatures, count, dimension);
        using var scope = NewDisposeScope();
        var x = tensor(unitFeatures, [count, dimension]).to_type(ScalarType.Float64);
        var mean = x.mean([0], keepdim: true);
        var centred = x - mean;
        using Scalar rows = count;
        return Weights(centred.t().matmul(centred) / rows, mean, dimension, power, Regularization, index);
    }

    /// <summary>
    /// The linear layer's weight (D x D) and bias (D) that whiten the within-class covariance with power
    /// <paramref name="power"/>: items are centred on their class's mean for the covariance, and on the mean of all items
    /// for the map. Classes of one item add nothing to the covariance.
    /// </summary>
    /// <param name="unitFeatures">The training items' L2-normalised features, <paramref name="count"/> rows of <paramref name="dimension"/>.</param>
    /// <param name="classOfItem">The class of each row (0-based ids).</param>
    /// <param name="count">Rows.</param>
    /// <param name="dimension">Feature size.</param>
    /// <param name="power">p: 0.5 whitens fully, 0.25 partly.</param>
    /// <param name="index">The linear layer's index in the network.</param>
    /// <returns>The two weights by name, or null when no class has two different items (there is no within-class spread to whiten).</returns>
    /// <exception cref="ArgumentException">Fewer than two rows, the array is not count x dimension, or the classes are not one per row.</exception>
    public static Dictionary<string, WeightTensor>? FitWithinClass(float[] unitFeatures, IReadOnlyList<int> classOfItem, int count, int dimension, double power, int index)
    {
        Check(unitFeatures, count, dimension);
        if (classOfItem.Count != count || classOfItem.Any(c => c < 0))
            throw new ArgumentException($"Within-class whitening needs one class id (0 or more) per row: {classOfItem.Count} ids for {count} rows.", nameof(classOfItem));
        using var scope = NewDisposeScope();
        var x = tensor(unitFeatures, [count, dimension]).to_type(ScalarType.Float64);
        var ids = tensor(classOfItem.Select(c => (long)c).ToArray());
        int classes = classOfItem.Max() + 1;
        using Scalar one = 1, rows = count;
        var sums = zeros([classes, dimension], ScalarType.Float64).index_add_(0, ids, x, one);
        var sizes = zeros([classes], ScalarType.Float64).index_add_(0, ids, ones([count], ScalarType.Float64), one);
        var centred = x - (sums / sizes.clamp_min(one).unsqueeze(1)).index_select(0, ids);
        var covariance = centred.t().matmul(centred) / rows;
        if (covariance.diagonal().sum().item<double>() <= 0)
            return null;
        return Weights(covariance, x.mean([0], keepdim: true), dimension, power, WithinClassRegularization, index);
    }

    private static void Check(float[] unitFeatures, int count, int dimension)
    {
        if (count < 2 || (long)count * dimension != unitFeatures.Length)
            throw new ArgumentException($"Whitening needs at least two rows of {dimension} features; got {unitFeatures.Length} values for {count} rows.", nameof(unitFeatures));
    }

    /// <summary>x ↦ (x − mean) U diag((λ + ε λ̄)^−p) as a linear layer's weight and bias, from the covariance's eigenvectors U and eigenvalues λ.</summary>
    private static Dictionary<string, WeightTensor> Weights(Tensor covariance, Tensor mean, int dimension, double power, double regularization, int index)
    {
        var (eigenvalues, eigenvectors) = linalg.eigh(covariance);
        using Scalar zero = 0, regularizationScalar = regularization, exponent = -power;
        var scale = eigenvalues.clamp_min(zero).Plus(regularizationScalar * eigenvalues.clamp_min(zero).mean()).pow(exponent);
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
