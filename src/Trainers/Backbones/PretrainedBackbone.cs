using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// A frozen, ImageNet-trained image network that turns every photo into a feature vector inside the ML.NET pipeline
/// (ML.NET's own <c>DnnFeaturizeImage</c>: LoadImages, ResizeImages, ExtractPixels, then the network as ONNX). The
/// Siamese network then trains only a small head on those features, and the saved zip holds ImageAnalytics, the backbone
/// ONNX and the head ONNX, so it scores with ML.NET and ONNX Runtime alone.
/// </summary>
/// <remarks>
/// <see cref="ResNet18"/> is ResNet18 from the <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> package: 224 x 224 colour
/// input, 512 features (the global-average-pooled last block). Its model files are copied next to the application
/// (<c>DnnImageModels/</c>) by the package; set <see cref="ModelDirectory"/> when they live elsewhere.
/// </remarks>
public sealed record PretrainedBackbone
{
    /// <summary>ResNet18 (ImageNet), 224 px colour input, 512 features.</summary>
    public static PretrainedBackbone ResNet18 { get; } = new() { Name = "resnet18", ImageSize = 224, FeatureDimension = 512 };

    /// <summary>A short name, e.g. "resnet18".</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Side of the square image the backbone takes, in pixels. Photos are scaled, keeping their aspect ratio, until they
    /// cover it, and the centre is cropped (ML.NET's <c>ResizingKind.IsoCrop</c>, as ImageNet models are evaluated);
    /// stretching them instead measured worse on unseen classes (docs/photos.md).
    /// </summary>
    public required int ImageSize { get; init; }

    /// <summary>The photos' geometry: <see cref="ImageSize"/> square, 3 channels (RGB), decoded at that size.</summary>
    public ImageGeometry Geometry => ImageGeometry.Square(ImageSize, channels: 3);

    /// <summary>Length of the feature vector the backbone gives for one image.</summary>
    public required int FeatureDimension { get; init; }

    /// <summary>
    /// Residual stages of the network whose average-pooled output is the feature vector: 4 (the default) is the whole
    /// trunk, the features ML.NET's <c>DnnFeaturizeImage</c> gives; fewer cut it after an earlier stage
    /// (<see cref="UpToStage"/>), which then runs in TorchSharp while training (frozen, once per image) and in the saved
    /// ONNX graph.
    /// </summary>
    public int Stages { get; init; } = ResNet18Network.Stages;

    /// <summary>
    /// True when ML.NET's featurizer computes these features as they are (the whole trunk at <paramref name="imageSize"/>
    /// = <see cref="ImageSize"/>); else the trunk has to be part of the trained network.
    /// </summary>
    /// <param name="imageSize">Side of the images the backbone is fed.</param>
    public bool IsFeaturizerOutput(int imageSize) => Stages == ResNet18Network.Stages && imageSize == ImageSize;

    /// <summary>
    /// This backbone cut after its first <paramref name="stages"/> residual stages: the features are the average-pooled
    /// output of that stage (ResNet18: 64, 128, 256 or 512 channels). Earlier stages describe shapes and textures rather
    /// than ImageNet's objects; on small grayscale images far from ImageNet (clothing, pen strokes) stage 3 measured
    /// better on classes never trained on (docs/photos.md).
    /// </summary>
    /// <param name="stages">Residual stages kept, 1 to 4.</param>
    /// <returns>A backbone with <see cref="Stages"/> and <see cref="FeatureDimension"/> set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not in 1..4.</exception>
    /// <exception cref="NotSupportedException">The backbone is not ResNet18.</exception>
    public PretrainedBackbone UpToStage(int stages)
    {
        if (Name != ResNet18.Name)
            throw new NotSupportedException($"Backbone '{Name}' cannot be cut after a stage; use PretrainedBackbone.ResNet18.");
        ResNet18Network.PoolingLayerOf(stages);
        return this with { Stages = stages, FeatureDimension = ResNet18Network.StageChannels[stages - 1] };
    }

    /// <summary>
    /// Folder holding <c>ResNet18Onnx/ResNet18.onnx</c> and <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>; null (the default)
    /// uses <c>DnnImageModels</c> next to the application, where the package puts them. Only read while training and
    /// building the model: a saved zip carries the ONNX models inside it.
    /// </summary>
    public string? ModelDirectory { get; init; }

    /// <summary>
    /// The trainable head on this backbone's features: L2 normalization, a linear map initialised to the identity, and
    /// L2 normalization again. Before training, its embedding is the backbone's feature direction, so Euclidean distances
    /// between embeddings rank pairs exactly as cosine distances between the raw features: training starts at the
    /// untrained backbone and moves away from it only as far as the objective (and the validation that stops it) take it.
    /// </summary>
    /// <param name="embeddingDimension">Embedding size; 0 (the default) keeps <see cref="FeatureDimension"/>, the only size
    /// at which the identity start is exact (a smaller one starts at the first coordinates).</param>
    /// <returns>The head's network specification; its input is the feature vector (channels = features, 1 x 1).</returns>
    public NetworkSpec Head(int embeddingDimension = 0) => new($"{Name}-head", FeatureDimension, 1, 1,
    [
        new FlattenLayer(),
        new L2NormalizeLayer(),
        new LinearLayer(embeddingDimension > 0 ? embeddingDimension : FeatureDimension, WeightInit.Identity),
        new L2NormalizeLayer(),
    ]);

    /// <summary>The model folder: <see cref="ModelDirectory"/>, or <c>DnnImageModels</c> next to the application.</summary>
    /// <returns>A full path.</returns>
    public string ResolveModelDirectory() => Path.GetFullPath(ModelDirectory ?? Path.Combine(AppContext.BaseDirectory, "DnnImageModels"));
}
