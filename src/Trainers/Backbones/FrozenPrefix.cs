using System.Diagnostics;
using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Networks;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// The leading layers of a pretrained backbone in the network that do not train and see each photo the same way at every
/// step, computed once per image: the whole trunk when it is frozen (ResNet18 cut after an earlier stage,
/// <see cref="PretrainedBackbone.UpToStage"/>, or fed another image size; <see cref="Trainers.SiameseTrainerOptions.FineTuneStages"/>
/// 0), or the frozen stages before those that fine-tune when no photo augmentation changes the photos between steps
/// and their output is no larger than the photo. Their output is computed in TorchSharp (evaluation mode, no
/// gradients), a few hundred images decoded at a time, and the rest of the network trains on it. The photos are never
/// all held as pixels (30,000 at 112 px are 4.5 GB; their stage-3 features 31 MB), and no step or validation runs those
/// layers again. The saved network is the whole one (<see cref="Whole"/>): one ONNX graph, as without the prefix.
/// </summary>
internal sealed class FrozenPrefix : IDisposable
{
    /// <summary>Pixel values decoded at once: 32 Mi (128 MB), e.g. 891 photos at 112 px or 222 at 224 px.</summary>
    internal const int DecodeChunkValues = 1 << 25;

    private readonly EmbeddingNetwork _prefix;
    private readonly IReadOnlyDictionary<string, WeightTensor> _weights;   // the trunk's, named as in the whole network
    private readonly Device _device;
    private readonly string _wholeName;
    private readonly IReadOnlyList<LayerSpec> _prefixLayers;
    private readonly FineTuning _fineTuning;

    private FrozenPrefix(FineTuning fineTuning, int layers, Device device)
    {
        ImageSize = fineTuning.ImageSize;
        Layers = layers;
        _device = device;
        var trunk = ResNet18Network.Create(ImageSize, null, fineTuning.TrunkStages);
        _wholeName = trunk.Name;
        _prefixLayers = trunk.Layers.Take(layers).ToList();
        _fineTuning = fineTuning;
        var prefix = new NetworkSpec($"{trunk.Name}-prefix{layers}", 3, ImageSize, ImageSize, [.. trunk.Layers.Take(layers), new FlattenLayer()]);
        if (fineTuning.MirrorViews)
            prefix = prefix with { TestTimeViews = EmbeddingView.PhotoAndMirror };   // evaluation mode: the mean of the two views' features
        Output = prefix.InferShapes()[layers];
        _weights = ResNet18Weights.Import(fineTuning.Backbone.ResolveModelDirectory(), ImageSize, fineTuning.TrunkStages);
        _prefix = new EmbeddingNetwork(prefix);
        _prefix.LoadWeights(_weights.Where(w => ResNet18Weights.LayerOf(w.Key) < layers).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal));
        _prefix.eval();
        _prefix.to(device);
    }

    /// <summary>Side of the square photos the backbone takes.</summary>
    public int ImageSize { get; }

    /// <summary>Leading layers of the whole network computed once per image.</summary>
    public int Layers { get; }

    /// <summary>Shape of their output: the features (a vector) of a frozen trunk, or a stage's maps (C x H x W).</summary>
    public TensorShape Output { get; }

    /// <summary>Values per image of <see cref="Output"/>.</summary>
    public int ItemLength => Output.Size;

    /// <summary>Values of one decoded photo: 3 x <see cref="ImageSize"/> x <see cref="ImageSize"/>.</summary>
    public int PixelLength => 3 * ImageSize * ImageSize;

    /// <summary>Time spent decoding photos and computing the prefix.</summary>
    public TimeSpan FeaturizingTime { get; private set; }

    /// <summary>
    /// The prefix of a run whose backbone is inside the network (<paramref name="fineTuning"/>): the whole trunk when no
    /// stage trains; the frozen layers before the stages that train when <paramref name="photoAugmentation"/> is null and
    /// their output is no larger than the photo (fine-tuning 1 or 2 stages of ResNet18); else null (the pixels go
    /// through the whole network at every step).
    /// </summary>
    public static FrozenPrefix? Create(FineTuning? fineTuning, PhotoAugmentation? photoAugmentation, Device device)
    {
        if (fineTuning is null)
            return null;
        if (fineTuning.Stages == 0)
            return new FrozenPrefix(fineTuning, ResNet18Network.PoolingLayerOf(fineTuning.TrunkStages) + 1, device);
        if (photoAugmentation is not null || fineTuning.FrozenLayers == 0)
            return null;
        var output = ResNet18Network.Create(fineTuning.ImageSize, null, fineTuning.TrunkStages).InferShapes()[fineTuning.FrozenLayers];
        return output.Size <= 3 * fineTuning.ImageSize * fineTuning.ImageSize ? new FrozenPrefix(fineTuning, fineTuning.FrozenLayers, device) : null;
    }

    /// <summary>
    /// Decodes image files as the saved pipeline does and returns the prefix's output for each, in order, one row of
    /// <see cref="ItemLength"/> values each.
    /// </summary>
    /// <param name="context">The ML.NET context that decodes.</param>
    /// <param name="paths">The image files.</param>
    /// <param name="imagesPerChunk">Images decoded at once; default as many as <see cref="DecodeChunkValues"/> holds.</param>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file does not decode; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The output of all the images is more than one array holds.</exception>
    public float[] Featurize(MLContext context, IReadOnlyList<string> paths, int? imagesPerChunk = null)
    {
        if ((long)paths.Count * ItemLength > Array.MaxLength)
            throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{paths.Count} images give {(long)paths.Count * ItemLength} values after the backbone's frozen layers, more than one array holds ({Array.MaxLength}): train on at most {Array.MaxLength / ItemLength} images at {ImageSize} px, or at a smaller size."));
        var clock = Stopwatch.StartNew();
        var result = new float[(long)paths.Count * ItemLength];
        int chunk = Math.Max(1, imagesPerChunk ?? DecodeChunkValues / PixelLength);
        for (int start = 0; start < paths.Count; start += chunk)
        {
            int n = Math.Min(chunk, paths.Count - start);
            var pixels = BackboneFeaturizer.DecodePixels(context, ImageSize, paths.Skip(start).Take(n).ToList());
            Embed(pixels, n, result.AsSpan(checked(start * ItemLength), n * ItemLength));
        }
        FeaturizingTime += clock.Elapsed;
        return result;
    }

    /// <summary>The prefix's output for photos already decoded (<paramref name="count"/> rows of <see cref="PixelLength"/> values, RGB 0..255).</summary>
    /// <exception cref="ArgumentException">The pixels are not <paramref name="count"/> rows of that length.</exception>
    public float[] Featurize(float[] pixels, int count)
    {
        if ((long)count * PixelLength != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixel values are not {count} photos of 3x{ImageSize}x{ImageSize}.", nameof(pixels));
        var clock = Stopwatch.StartNew();
        var result = new float[(long)count * ItemLength];
        Embed(pixels, count, result);
        FeaturizingTime += clock.Elapsed;
        return result;
    }

    private void Embed(float[] pixels, int count, Span<float> output)
    {
        int chunk = Trainers.TrainingRun.EmbeddingChunk(PixelLength);
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += chunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(chunk, count - start);
            var x = empty([n, 3, ImageSize, ImageSize]);
            x.data<float>().CopyFrom(pixels.AsSpan(start * PixelLength, n * PixelLength), 0, 0);   // straight into the tensor: no array per chunk
            _prefix.forward(x.to(_device)).cpu().contiguous().data<float>().CopyTo(output.Slice(start * ItemLength, n * ItemLength));
        }
    }

    /// <summary>The layers of <paramref name="whole"/> after the prefix, taking its output: the network that trains.</summary>
    /// <param name="whole">The whole network (ResNet18 and the head).</param>
    public NetworkSpec Rest(NetworkSpec whole)
    {
        var d = Output.Dimensions;
        return new NetworkSpec($"{whole.Name}-after{Layers}", d[0], d.Count > 1 ? d[1] : 1, d.Count > 2 ? d[2] : 1, [.. whole.Layers.Skip(Layers)]);
    }

    /// <summary>The trunk's ImageNet weights of the layers after the prefix, named as in <see cref="Rest"/>'s network.</summary>
    public IReadOnlyDictionary<string, WeightTensor> RestWeights()
        => _weights.Where(w => ResNet18Weights.LayerOf(w.Key) >= Layers).ToDictionary(w => ResNet18Weights.Renumbered(w.Key, -Layers), w => w.Value, StringComparer.Ordinal);

    /// <summary>
    /// The network to save: the prefix followed by <paramref name="rest"/>, with the prefix's ImageNet weights and the
    /// rest's trained ones (named as <see cref="EmbeddingNetwork.ExportWeights"/> names them; the learned pair head's
    /// "head.*" weights, if any, are kept as they are).
    /// </summary>
    /// <param name="rest">The network that trained on the prefix's output (<see cref="Rest"/>, or the head of a frozen trunk).</param>
    /// <param name="restWeights">Its weights.</param>
    /// <returns>The whole network and its weights.</returns>
    public (NetworkSpec Network, Dictionary<string, WeightTensor> Weights) Whole(NetworkSpec rest, IReadOnlyDictionary<string, WeightTensor> restWeights)
    {
        var network = _fineTuning.WithViews(new NetworkSpec(_wholeName, 3, ImageSize, ImageSize, [.. _prefixLayers, .. rest.Layers]));
        var weights = _weights.Where(w => ResNet18Weights.LayerOf(w.Key) < Layers).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
        foreach (var (name, weight) in restWeights)
            weights[name.StartsWith("head.", StringComparison.Ordinal) ? name : ResNet18Weights.Renumbered(name, Layers)] = weight;
        return (network, weights);
    }

    /// <summary>Frees the prefix's tensors.</summary>
    public void Dispose() => _prefix.Dispose();
}
