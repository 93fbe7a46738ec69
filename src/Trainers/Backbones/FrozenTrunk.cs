using System.Diagnostics;
using MLNet.Siamese.Networks;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// A frozen pretrained trunk that ML.NET's featurizer cannot compute: ResNet18 cut after an earlier stage
/// (<see cref="PretrainedBackbone.UpToStage"/>) or fed another image size, with <see cref="Trainers.SiameseTrainerOptions.FineTuneStages"/>
/// 0. Nothing in it trains, so, as with the featurizer, every image goes through it once: its features are computed in
/// TorchSharp (evaluation mode, no gradients), a few hundred images decoded at a time, and the head trains on them. The
/// photos are never all held as pixels (30,000 at 112 px are 4.5 GB; their stage-3 features 31 MB), and no step or
/// validation runs the trunk again. The saved network is the trunk followed by the trained head
/// (<see cref="WithTrunk"/>): one ONNX graph, as for a fine-tuned backbone.
/// </summary>
internal sealed class FrozenTrunk : IDisposable
{
    /// <summary>Pixel values decoded at once: 32 Mi (128 MB), e.g. 891 photos at 112 px or 222 at 224 px.</summary>
    internal const int DecodeChunkValues = 1 << 25;

    private readonly EmbeddingNetwork _trunk;
    private readonly IReadOnlyDictionary<string, WeightTensor> _weights;
    private readonly Device _device;

    private FrozenTrunk(PretrainedBackbone backbone, int imageSize, Device device)
    {
        ImageSize = imageSize;
        Stages = backbone.Stages;
        _device = device;
        _weights = ResNet18Weights.Import(backbone.ResolveModelDirectory(), imageSize, Stages);
        _trunk = new EmbeddingNetwork(ResNet18Network.Create(imageSize, null, Stages));
        _trunk.LoadWeights(_weights);
        _trunk.eval();
        _trunk.to(device);
    }

    /// <summary>Side of the square photos the trunk takes.</summary>
    public int ImageSize { get; }

    /// <summary>Residual stages the trunk keeps.</summary>
    public int Stages { get; }

    /// <summary>Features per image: the channels of the last stage kept.</summary>
    public int FeatureDimension => ResNet18Network.StageChannels[Stages - 1];

    /// <summary>Values of one decoded photo: 3 x <see cref="ImageSize"/> x <see cref="ImageSize"/>.</summary>
    public int PixelLength => 3 * ImageSize * ImageSize;

    /// <summary>Time spent decoding photos and computing their features.</summary>
    public TimeSpan FeaturizingTime { get; private set; }

    /// <summary>
    /// The frozen trunk of a run whose backbone runs inside the network without training (<paramref name="fineTuning"/>
    /// with no stage to train); null otherwise (no backbone in the network, or stages that train).
    /// </summary>
    public static FrozenTrunk? Create(FineTuning? fineTuning, Device device)
        => fineTuning is { Stages: 0 } ? new FrozenTrunk(fineTuning.Backbone, fineTuning.ImageSize, device) : null;

    /// <summary>
    /// Decodes image files as the saved pipeline does and returns their features, in order, one row of
    /// <see cref="FeatureDimension"/> values each.
    /// </summary>
    /// <param name="context">The ML.NET context that decodes.</param>
    /// <param name="paths">The image files.</param>
    /// <param name="imagesPerChunk">Images decoded at once; default as many as <see cref="DecodeChunkValues"/> holds.</param>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file does not decode; the message names it.</exception>
    public float[] Featurize(MLContext context, IReadOnlyList<string> paths, int? imagesPerChunk = null)
    {
        var clock = Stopwatch.StartNew();
        var result = new float[(long)paths.Count * FeatureDimension];
        int chunk = Math.Max(1, imagesPerChunk ?? DecodeChunkValues / PixelLength);
        for (int start = 0; start < paths.Count; start += chunk)
        {
            int n = Math.Min(chunk, paths.Count - start);
            var pixels = BackboneFeaturizer.DecodePixels(context, ImageSize, paths.Skip(start).Take(n).ToList());
            Embed(pixels, n, result.AsSpan(start * FeatureDimension, n * FeatureDimension));
        }
        FeaturizingTime += clock.Elapsed;
        return result;
    }

    /// <summary>The features of photos already decoded (<paramref name="count"/> rows of <see cref="PixelLength"/> values, RGB 0..255).</summary>
    /// <exception cref="ArgumentException">The pixels are not <paramref name="count"/> rows of that length.</exception>
    public float[] Featurize(float[] pixels, int count)
    {
        if ((long)count * PixelLength != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixel values are not {count} photos of 3x{ImageSize}x{ImageSize}.", nameof(pixels));
        var clock = Stopwatch.StartNew();
        var result = new float[(long)count * FeatureDimension];
        Embed(pixels, count, result);
        FeaturizingTime += clock.Elapsed;
        return result;
    }

    private void Embed(float[] pixels, int count, Span<float> features)
    {
        int chunk = Trainers.TrainingRun.EmbeddingChunk(PixelLength);
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += chunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(chunk, count - start);
            var x = tensor(pixels.AsSpan(start * PixelLength, n * PixelLength).ToArray(), [n, 3, ImageSize, ImageSize]).to(_device);
            _trunk.forward(x).cpu().contiguous().data<float>().CopyTo(features.Slice(start * FeatureDimension, n * FeatureDimension));
        }
    }

    /// <summary>
    /// The network to save: the trunk followed by <paramref name="head"/>, with the trunk's ImageNet weights and the
    /// head's trained ones (named as <see cref="EmbeddingNetwork.ExportWeights"/> names them; the learned pair head's
    /// "head.*" weights, if any, are kept as they are).
    /// </summary>
    /// <param name="head">The network that trained on the features.</param>
    /// <param name="headWeights">Its weights.</param>
    /// <returns>The whole network and its weights.</returns>
    public (NetworkSpec Network, Dictionary<string, WeightTensor> Weights) WithTrunk(NetworkSpec head, IReadOnlyDictionary<string, WeightTensor> headWeights)
    {
        var network = ResNet18Network.Create(ImageSize, head, Stages);
        int offset = ResNet18Network.PoolingLayerOf(Stages) + 1;
        var weights = new Dictionary<string, WeightTensor>(_weights, StringComparer.Ordinal);
        foreach (var (name, weight) in headWeights)
        {
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            weights[dot > 0 && int.TryParse(name.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int layer)
                ? $"{layer + offset}{name[dot..]}" : name] = weight;
        }
        return (network, weights);
    }

    /// <summary>Frees the trunk's tensors.</summary>
    public void Dispose() => _trunk.Dispose();
}
