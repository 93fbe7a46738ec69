using System.Diagnostics;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using TorchSharp.Modules;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// A pretrained backbone inside the trained network: fine-tuning (<see cref="SiameseTrainerOptions.FineTuneStages"/>
/// &gt; 0), or a frozen trunk that ML.NET's featurizer cannot compute (cut after an earlier stage,
/// <see cref="PretrainedBackbone.UpToStage"/>, or fed another image size). The network trained is ResNet18
/// (<see cref="ResNet18Network"/>, cut after <see cref="PretrainedBackbone.Stages"/> stages) followed by the head, its
/// trunk loaded with the ImageNet weights of the featurizer's ONNX file; the first layers are frozen (no gradients,
/// evaluation mode), the last stages train at a scaled learning rate, the head at the full rate. The training items are
/// the photos' pixels, decoded once as the saved pipeline decodes them; or, when a <see cref="FrozenPrefix"/> computes the
/// frozen layers once per image (<see cref="AfterPrefix"/>), their output, and the network is the layers after them.
/// </summary>
internal sealed class FineTuning
{
    private IReadOnlyDictionary<string, WeightTensor>? _weights;
    private FrozenPrefix? _prefix;

    private FineTuning(FineTuning other, FrozenPrefix prefix)
    {
        (Backbone, Stages, TrunkStages, ImageSize) = (other.Backbone, other.Stages, other.TrunkStages, other.ImageSize);
        (LearningRateScale, TrainBatchNorm, FrozenLayers, MirrorViews) = (other.LearningRateScale, other.TrainBatchNorm, other.FrozenLayers, other.MirrorViews);
        _prefix = prefix;
        _weights = prefix.RestWeights();
    }

    private FineTuning(SiameseTrainerOptions options, PretrainedBackbone backbone)
    {
        Backbone = backbone;
        Stages = options.FineTuneStages;
        TrunkStages = backbone.Stages;
        ImageSize = options.ResolveGeometry().Height;
        LearningRateScale = options.BackboneLearningRateScale;
        TrainBatchNorm = options.TrainBatchNorm;
        FrozenLayers = ResNet18Network.FrozenLayerCount(Stages, TrunkStages);
        MirrorViews = options.MirrorViews;
    }

    /// <summary>Whether the trunk's features are averaged over the photo and its mirror image (<see cref="SiameseTrainerOptions.MirrorViews"/>).</summary>
    public bool MirrorViews { get; }

    /// <summary>The backbone whose weights start the trunk.</summary>
    public PretrainedBackbone Backbone { get; }

    /// <summary>Residual stages that train, from the last; 0 when the whole trunk is frozen.</summary>
    public int Stages { get; }

    /// <summary>Residual stages the trunk keeps (<see cref="PretrainedBackbone.Stages"/>).</summary>
    public int TrunkStages { get; }

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

    /// <summary>
    /// The backbone in the network of <paramref name="options"/>, or null when there is none in it: no backbone, or a
    /// frozen one that ML.NET's featurizer computes (the whole trunk at its own size).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A fine-tuning setting is out of range.</exception>
    /// <exception cref="ArgumentException">Fine-tuning is asked for without a backbone.</exception>
    public static FineTuning? Create(SiameseTrainerOptions options)
    {
        if (options.MirrorViews && (options.Backbone is null || options.FineTuneStages != 0))
            throw new ArgumentException("MirrorViews averages a frozen backbone's features over the photo and its mirror image: it needs a Backbone and FineTuneStages 0.", nameof(SiameseTrainerOptions.MirrorViews));
        if (options.FineTuneStages == 0 && !options.MirrorViews && (options.Backbone is null || options.Backbone.IsFeaturizerOutput(options.ResolveGeometry().Height)))
            return null;
        if (options.Backbone is not { } backbone)
            throw new ArgumentException("FineTuneStages needs a Backbone (PretrainedBackbone.ResNet18).", nameof(SiameseTrainerOptions.FineTuneStages));
        if (backbone.Name != PretrainedBackbone.ResNet18.Name)
            throw new NotSupportedException($"Backbone '{backbone.Name}' cannot be fine-tuned; use PretrainedBackbone.ResNet18.");
        if (options.FineTuneStages < 0 || options.FineTuneStages > backbone.Stages)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.FineTuneStages), options.FineTuneStages, $"FineTuneStages must be 0 to {backbone.Stages} (the stages the backbone keeps).");
        if (!(options.BackboneLearningRateScale > 0) || !float.IsFinite(options.BackboneLearningRateScale))
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.BackboneLearningRateScale), options.BackboneLearningRateScale, "BackboneLearningRateScale must be a positive number.");
        var geometry = options.ResolveGeometry();
        if (geometry.Height != geometry.Width || geometry.Channels != 3 || geometry.DecodedHeight != geometry.Height || geometry.Normalization is not null || geometry.Height is < 32 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Geometry), geometry, "A backbone in the network (fine-tuned, cut after an earlier stage or fed another size) takes square RGB photos of 32 to 1024 pixels, decoded at that size without normalization: ImageGeometry.Square(side, channels: 3).");
        options.PhotoAugmentation?.Validate();
        return new FineTuning(options, backbone);
    }

    /// <summary>Leading layers of the whole network that a <see cref="FrozenPrefix"/> computes before it; 0 without one.</summary>
    public int LayerOffset => _prefix?.Layers ?? 0;

    /// <summary>
    /// The fine-tuning of the layers after <paramref name="prefix"/>: its network (<see cref="Network"/>) takes the
    /// prefix's output, and the layer indices of <see cref="Prepare"/> and <see cref="ParameterGroups"/> count from
    /// there. Null when no stage trains (the prefix is then the whole trunk and the head trains alone).
    /// </summary>
    public FineTuning? AfterPrefix(FrozenPrefix prefix) => Stages == 0 ? null : new FineTuning(this, prefix);

    /// <summary>
    /// ResNet18 at <see cref="ImageSize"/>, cut after <see cref="TrunkStages"/> stages, followed by the head's layers; after
    /// a prefix, the layers that follow it.
    /// </summary>
    public NetworkSpec Network(NetworkSpec head)
    {
        var whole = WithViews(ResNet18Network.Create(ImageSize, head, TrunkStages));
        return _prefix is null ? whole : _prefix.Rest(whole);
    }

    /// <summary>
    /// <paramref name="network"/> (ResNet18 and possibly a head) with the mirrored views when <see cref="MirrorViews"/>:
    /// each view runs through the trunk (up to its pooled features) and the head takes their mean.
    /// </summary>
    public NetworkSpec WithViews(NetworkSpec network) => !MirrorViews ? network
        : network with { TestTimeViews = EmbeddingView.PhotoAndMirror, TestTimeViewsMergeAfter = ResNet18Network.PoolingLayerOf(TrunkStages) + 1 };

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
        _weights ??= ResNet18Weights.Import(Backbone.ResolveModelDirectory(), ImageSize, TrunkStages);
        network.LoadWeights(_weights);
        network.Freeze(FrozenLayers - LayerOffset, TrainBatchNorm);
    }

    /// <summary>The optimizer's parameter groups: the unfrozen stages at <see cref="LearningRateScale"/>, the head at 1.</summary>
    public IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double Scale)> ParameterGroups(EmbeddingNetwork network)
    {
        int pooling = ResNet18Network.PoolingLayerOf(TrunkStages) - LayerOffset, frozen = FrozenLayers - LayerOffset;
        var trunk = Enumerable.Range(frozen, pooling - frozen).SelectMany(network.TrainableParameters).ToList();
        var head = Enumerable.Range(pooling, network.Spec.Layers.Count - pooling).SelectMany(network.TrainableParameters).ToList();
        return new (IReadOnlyList<Parameter>, double)[] { (trunk, LearningRateScale), (head, 1.0) }.Where(g => g.Item1.Count > 0).ToList();
    }
}
