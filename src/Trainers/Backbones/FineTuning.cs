using System.Diagnostics;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using TorchSharp.Modules;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// Fine-tuning a pretrained backbone (<see cref="SiameseTrainerOptions.FineTuneStages"/> &gt; 0): the network trained is
/// ResNet18 (<see cref="ResNet18Network"/>) followed by the head, its trunk loaded with the ImageNet weights of the
/// featurizer's ONNX file; the first layers are frozen (no gradients, evaluation mode), the last stages train at a
/// scaled learning rate, the head at the full rate. The training items are the photos' pixels, decoded once as the saved
/// pipeline decodes them.
/// </summary>
internal sealed class FineTuning
{
    private IReadOnlyDictionary<string, WeightTensor>? _weights;

    private FineTuning(SiameseTrainerOptions options, PretrainedBackbone backbone)
    {
        Backbone = backbone;
        Stages = options.FineTuneStages;
        ImageSize = options.ResolveGeometry().Height;
        LearningRateScale = options.BackboneLearningRateScale;
        TrainBatchNorm = options.TrainBatchNorm;
        FrozenLayers = ResNet18Network.FrozenLayerCount(Stages);
    }

    /// <summary>The backbone whose weights start the trunk.</summary>
    public PretrainedBackbone Backbone { get; }

    /// <summary>Residual stages that train, from the last.</summary>
    public int Stages { get; }

    /// <summary>Side of the square images the network takes.</summary>
    public int ImageSize { get; }

    /// <summary>Learning rate of the unfrozen stages relative to the head's.</summary>
    public float LearningRateScale { get; }

    /// <summary>Whether the unfrozen stages' batch norms train.</summary>
    public bool TrainBatchNorm { get; }

    /// <summary>Leading layers that do not train.</summary>
    public int FrozenLayers { get; }

    /// <summary>Time spent decoding photos.</summary>
    public TimeSpan DecodingTime { get; private set; }

    /// <summary>The fine-tuning of <paramref name="options"/>, or null when they do not fine-tune.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fine-tuning setting is out of range.</exception>
    /// <exception cref="ArgumentException">Fine-tuning is asked for without a backbone.</exception>
    public static FineTuning? Create(SiameseTrainerOptions options)
    {
        if (options.FineTuneStages == 0)
            return null;
        if (options.Backbone is not { } backbone)
            throw new ArgumentException("FineTuneStages needs a Backbone (PretrainedBackbone.ResNet18).", nameof(SiameseTrainerOptions.FineTuneStages));
        if (backbone.Name != PretrainedBackbone.ResNet18.Name)
            throw new NotSupportedException($"Backbone '{backbone.Name}' cannot be fine-tuned; use PretrainedBackbone.ResNet18.");
        if (options.FineTuneStages is < 0 or > ResNet18Network.Stages)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.FineTuneStages), options.FineTuneStages, $"FineTuneStages must be 0 to {ResNet18Network.Stages}.");
        if (!(options.BackboneLearningRateScale > 0) || !float.IsFinite(options.BackboneLearningRateScale))
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.BackboneLearningRateScale), options.BackboneLearningRateScale, "BackboneLearningRateScale must be a positive number.");
        var geometry = options.ResolveGeometry();
        if (geometry.Height != geometry.Width || geometry.Channels != 3 || geometry.DecodedHeight != geometry.Height || geometry.Normalization is not null || geometry.Height is < 32 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Geometry), geometry, "Fine-tuning takes square RGB photos of 32 to 1024 pixels, decoded at that size without normalization: ImageGeometry.Square(side, channels: 3).");
        options.PhotoAugmentation?.Validate();
        return new FineTuning(options, backbone);
    }

    /// <summary>ResNet18 at <see cref="ImageSize"/> followed by the head's layers.</summary>
    public NetworkSpec Network(NetworkSpec head) => ResNet18Network.Create(ImageSize, head);

    /// <summary>Decodes photos as the saved pipeline does (centre crop to <see cref="ImageSize"/>, RGB 0..255 planes).</summary>
    public float[] DecodePixels(MLContext context, IReadOnlyList<string> paths)
    {
        var clock = Stopwatch.StartNew();
        var pixels = BackboneFeaturizer.DecodePixels(context, ImageSize, paths);
        DecodingTime += clock.Elapsed;
        return pixels;
    }

    /// <summary>Loads the ImageNet weights into the trunk and freezes the layers that do not train.</summary>
    public void Prepare(EmbeddingNetwork network)
    {
        _weights ??= ResNet18Weights.Import(Backbone.ResolveModelDirectory(), ImageSize);
        network.LoadWeights(_weights);
        network.Freeze(FrozenLayers, TrainBatchNorm);
    }

    /// <summary>The optimizer's parameter groups: the unfrozen stages at <see cref="LearningRateScale"/>, the head at 1.</summary>
    public IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double Scale)> ParameterGroups(EmbeddingNetwork network)
    {
        int pooling = ResNet18Network.PoolingLayer;
        var trunk = Enumerable.Range(FrozenLayers, pooling - FrozenLayers).SelectMany(network.TrainableParameters).ToList();
        var head = Enumerable.Range(pooling, network.Spec.Layers.Count - pooling).SelectMany(network.TrainableParameters).ToList();
        return new (IReadOnlyList<Parameter>, double)[] { (trunk, LearningRateScale), (head, 1.0) }.Where(g => g.Item1.Count > 0).ToList();
    }
}
