using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// ImageNet ResNet18 as a <see cref="NetworkSpec"/> that TorchSharp trains and the exporter writes: the featurizer's input
/// normalization (RGB 0..255 planes to BGR minus the mean image), the stem (7x7 convolution, batch norm, ReLU, 3x3 max
/// pooling), four stages of <see cref="ResidualBlockLayer"/>s (64, 128, 256, 512 channels), global average pooling
/// (512 features), then a head. The stages have 2, 2, 2 and 3 blocks: the featurizer's file (a CNTK export) has a third
/// block in its last stage, unlike torchvision's ResNet18 (2, 2, 2, 2). Its weights come from the ONNX files ML.NET's featurizer ships
/// (<see cref="ResNet18Weights.Import(string, int)"/>); at 224 px the features equal <c>DnnFeaturizeImage</c>'s.
/// </summary>
public static class ResNet18Network
{
    /// <summary>Residual stages of ResNet18.</summary>
    public const int Stages = 4;

    /// <summary>Layers before the first residual stage: the normalization and the stem.</summary>
    public const int StemLayers = 5;

    /// <summary>Residual blocks in each stage, as in the featurizer's file.</summary>
    public static IReadOnlyList<int> StageBlocks { get; } = [2, 2, 2, 3];

    /// <summary>Index of the global average pooling layer: the trunk is the layers before it.</summary>
    public static int PoolingLayer => PoolingLayerOf(Stages);

    /// <summary>Index of the global average pooling layer of a trunk cut after its first <paramref name="stages"/> stages.</summary>
    /// <param name="stages">Residual stages kept, 1..4.</param>
    /// <returns>The number of trunk layers (normalization, stem, blocks).</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not in 1..4.</exception>
    public static int PoolingLayerOf(int stages) => stages is >= 1 and <= Stages
        ? StemLayers + StageBlocks.Take(stages).Sum()
        : throw new ArgumentOutOfRangeException(nameof(stages), stages, $"ResNet18 has {Stages} residual stages: keep 1 to {Stages}.");

    /// <summary>Output channels of each stage.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>
    /// The network for square colour images of side <paramref name="imageSize"/> (RGB planes, 0..255, as ML.NET's
    /// ExtractPixels gives them), ending in <paramref name="head"/>'s layers on the pooled features of the last stage kept
    /// (512 with all four stages, 256 with three).
    /// </summary>
    /// <param name="imageSize">Image side in pixels, at least 32 (the trunk divides it by 32).</param>
    /// <param name="head">The head whose layers follow the pooled features (its input size must be the last kept stage's channels); null ends at the features.</param>
    /// <param name="stages">Residual stages kept, 1..4 (default all): fewer gives the average-pooled features of an earlier stage.</param>
    /// <returns>The specification, named "resnet18-{imageSize}" (with all stages) or "resnet18-s{stages}-{imageSize}".</returns>
    /// <exception cref="ArgumentOutOfRangeException">The image size is under 32, or the stages are not 1..4.</exception>
    /// <exception cref="ArgumentException">The head does not take the pooled features' size.</exception>
    public static NetworkSpec Create(int imageSize, NetworkSpec? head = null, int stages = Stages)
    {
        if (imageSize < 32)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "ResNet18 needs images of at least 32 x 32 pixels.");
        PoolingLayerOf(stages);
        int features = StageChannels[stages - 1];
        if (head is not null && head.InputSize != features)
            throw new ArgumentException($"The head '{head.Name}' takes {head.InputSize} values; ResNet18 cut after stage {stages} gives {features} features.", nameof(head));
        var layers = new List<LayerSpec>
        {
            new PixelNormalizeLayer(1.0, [2, 1, 0]),
            new Conv2dLayer(64, 7, Stride: 2, Padding: 3, Bias: false),
            new BatchNorm2dLayer(),
            new ReluLayer(),
            new MaxPool2dLayer(3, 2, 1),
        };
        for (int stage = 0; stage < stages; stage++)
        {
            for (int block = 0; block < StageBlocks[stage]; block++)
                layers.Add(new ResidualBlockLayer(StageChannels[stage], stage > 0 && block == 0 ? 2 : 1));
        }
        layers.Add(new GlobalAvgPoolLayer());
        if (head is not null) layers.AddRange(head.Layers);
        return new NetworkSpec(stages == Stages ? $"resnet18-{imageSize}" : $"resnet18-s{stages}-{imageSize}", 3, imageSize, imageSize, layers);
    }

    /// <summary>
    /// How many layers of <see cref="Create"/>'s network stay frozen when the last <paramref name="fineTuneStages"/>
    /// residual stages of the <paramref name="stages"/> kept train: the normalization, the stem and the first
    /// stages - N stages.
    /// </summary>
    /// <param name="fineTuneStages">Stages to train, 0..stages; 0 freezes the whole trunk.</param>
    /// <param name="stages">Residual stages the trunk keeps, 1..4 (default all).</param>
    /// <returns>The number of leading layers that do not train.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not in 0..stages.</exception>
    public static int FrozenLayerCount(int fineTuneStages, int stages = Stages) => fineTuneStages >= 0 && fineTuneStages <= stages && PoolingLayerOf(stages) > 0
        ? StemLayers + StageBlocks.Take(stages - fineTuneStages).Sum()
        : throw new ArgumentOutOfRangeException(nameof(fineTuneStages), fineTuneStages, $"The trunk keeps {stages} residual stages: fine-tune 0 to {stages}.");
}
