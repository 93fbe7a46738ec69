using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Siamese.Networks;

/// <summary>
/// A declarative description of the shared-weight twin (the "subnetwork" of the seeds): its input image size and
/// a list of layers. It serializes to JSON, rebuilds the TorchSharp module, and is what the ONNX exporter writes.
/// Build one from <see cref="NetworkPresets"/> or by hand.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>Creates a specification.</summary>
    /// <param name="name">A short name, e.g. the preset's.</param>
    /// <param name="channels">Input channels (1 for grayscale).</param>
    /// <param name="height">Input height in pixels.</param>
    /// <param name="width">Input width in pixels.</param>
    /// <param name="layers">The layers, applied in order.</param>
    public NetworkSpec(string name, int channels, int height, int width, IReadOnlyList<LayerSpec> layers)
    {
        Name = name;
        Channels = channels;
        Height = height;
        Width = width;
        Layers = layers;
    }

    /// <summary>A short name, e.g. the preset's.</summary>
    public string Name { get; init; }

    /// <summary>Input channels (1 for grayscale).</summary>
    public int Channels { get; init; }

    /// <summary>Input height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>Input width in pixels.</summary>
    public int Width { get; init; }

    /// <summary>The layers, applied in order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>
    /// Test-time augmentation: when set, an embedding in evaluation mode (scoring, calibration, the exported ONNX model)
    /// is the mean of the network's outputs over these views of the image; training steps are not affected. Null (the
    /// default) embeds the image once. <see cref="EmbeddingView.Standard"/> is a good set for handwriting.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EmbeddingView>? TestTimeViews { get; init; }

    /// <summary>
    /// With <see cref="TestTimeViews"/>: how many leading layers each view runs through on its own. Their outputs are
    /// averaged there and the remaining layers run once, on the mean: e.g. a pretrained trunk's features averaged over a
    /// photo and its mirror image before the head. Null (the default) runs every layer per view and averages the
    /// embeddings.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TestTimeViewsMergeAfter { get; init; }

    /// <summary>
    /// Size and position normalization of every input image (<see cref="MomentNormalization"/>): null (the default)
    /// feeds the images as they are. The trainer normalizes its images once, before augmentation; in evaluation mode
    /// and in the exported ONNX model the network does it itself.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MomentNormalization? InputNormalization { get; init; }

    /// <summary>
    /// The image geometry the input describes: the size and channels the layers see, the decoded size (the input) and the
    /// input normalization between them. Every size after the input is read from it.
    /// </summary>
    [JsonIgnore]
    public ImageGeometry Geometry => ImageGeometry.Of(this);

    /// <summary>Length of the flat input vector the network expects: Channels * Height * Width.</summary>
    [JsonIgnore]
    public int InputSize => Channels * Height * Width;

    /// <summary>Length of the embedding the network outputs.</summary>
    [JsonIgnore]
    public int EmbeddingDimension => InferShapes()[^1].Size;

    /// <summary>
    /// Computes the shape after every layer (index 0 is the shape entering the first layer: the input, or the normalized
    /// input) and checks that every layer fits its input.
    /// </summary>
    /// <returns>Layers.Count + 1 shapes.</returns>
    /// <exception cref="InvalidOperationException">A layer does not fit the shape it receives, or the output is not flat.</exception>
    public IReadOnlyList<TensorShape> InferShapes()
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0)
            throw new InvalidOperationException($"Network '{Name}': input size {Channels}x{Height}x{Width} must be positive.");
        if (TestTimeViews is { } views)
        {
            if (views.Count == 0)
                throw new InvalidOperationException($"Network '{Name}': TestTimeViews is empty; leave it null to embed each image once.");
            for (int v = 0; v < views.Count; v++)
                (views[v] ?? throw new InvalidOperationException($"Network '{Name}': test-time view {v} is null.")).Validate(v);
        }
        if (TestTimeViewsMergeAfter is { } merge && (TestTimeViews is null || merge < 1 || merge > Layers.Count))
            throw new InvalidOperationException($"Network '{Name}': TestTimeViewsMergeAfter {merge} needs TestTimeViews and must be 1 to {Layers.Count} (the layers).");
        InputNormalization?.Validate(Name);
        var geometry = Geometry;
        var shapes = new List<TensorShape> { TensorShape.Image(Channels, geometry.Height, geometry.Width) };
        for (int i = 0; i < Layers.Count; i++)
        {
            var s = shapes[^1];
            shapes.Add(Layers[i] switch
            {
                Conv2dLayer c => Pool(i, s, c.KernelSize, c.Stride, c.Padding, c.OutChannels),
                MaxPool2dLayer p => Pool(i, s, p.KernelSize, p.Stride == 0 ? p.KernelSize : p.Stride, p.Padding, null),
                ResidualBlockLayer r => Pool(i, s, 3, r.Stride, 1, r.OutChannels > 0 ? r.OutChannels : throw new InvalidOperationException($"Network '{Name}': layer {i} has {r.OutChannels} output channels; it must be positive.")),
                PixelNormalizeLayer n => CheckPixelNormalize(i, RequireImage(i, s), n),
                AvgPool2dLayer p => Pool(i, s, p.KernelSize, p.Stride == 0 ? p.KernelSize : p.Stride, 0, null),
                BatchNorm2dLayer => RequireImage(i, s),
                GlobalAvgPoolLayer => TensorShape.Flat(RequireImage(i, s).Dimensions[0]),
                FlattenLayer => TensorShape.Flat(s.Size),
                LinearLayer l => RequireFlat(i, s, l.OutFeatures),
                L2NormalizeLayer => RequireFlat(i, s, null),
                ReluLayer or TanhLayer => s,
                null => throw new InvalidOperationException($"Network '{Name}': layer {i} is null."),
                _ => throw new InvalidOperationException($"Network '{Name}': layer {i} ({Layers[i].GetType().Name}) is not supported."),
            });
        }
        if (shapes[^1].IsImage)
            throw new InvalidOperationException($"Network '{Name}': the output {shapes[^1]} is not flat; end with a flatten, global pooling or linear layer.");
        return shapes;
    }

    private TensorShape Pool(int index, TensorShape s, int kernel, int stride, int padding, int? outChannels)
    {
        RequireImage(index, s);
        if (kernel <= 0 || stride <= 0 || padding < 0)
            throw new InvalidOperationException($"Network '{Name}': layer {index} has kernel {kernel}, stride {stride}, padding {padding}; kernel and stride must be positive.");
        int h = (s.Dimensions[1] + 2 * padding - kernel) / stride + 1;
        int w = (s.Dimensions[2] + 2 * padding - kernel) / stride + 1;
        if (s.Dimensions[1] + 2 * padding < kernel || s.Dimensions[2] + 2 * padding < kernel)
            throw new InvalidOperationException($"Network '{Name}': layer {index} ({Layers[index].GetType().Name}) has a {kernel}x{kernel} window but receives {s}; use a larger input or fewer layers.");
        return TensorShape.Image(outChannels ?? s.Dimensions[0], h, w);
    }

    private TensorShape CheckPixelNormalize(int index, TensorShape s, PixelNormalizeLayer n)
    {
        int channels = s.Dimensions[0];
        if (n.ChannelOrder is null || n.ChannelOrder.Count != channels || n.ChannelOrder.Any(c => c < 0 || c >= channels))
            throw new InvalidOperationException($"Network '{Name}': layer {index} (PixelNormalizeLayer) needs a channel order of {channels} indices in 0..{channels - 1}, one per input channel.");
        return s;
    }

    private TensorShape RequireImage(int index, TensorShape s) => s.IsImage ? s
        : throw new InvalidOperationException($"Network '{Name}': layer {index} ({Layers[index].GetType().Name}) needs an image (C,H,W) input but receives {s}.");

    private TensorShape RequireFlat(int index, TensorShape s, int? outFeatures)
    {
        if (s.IsImage)
            throw new InvalidOperationException($"Network '{Name}': layer {index} ({Layers[index].GetType().Name}) needs a flat input but receives {s}; add a flatten layer before it.");
        if (outFeatures is <= 0)
            throw new InvalidOperationException($"Network '{Name}': layer {index} has {outFeatures} outputs; it must be positive.");
        return outFeatures is int o ? TensorShape.Flat(o) : s;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Serializes the specification to JSON.</summary>
    /// <returns>Indented JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a specification written by <see cref="ToJson"/> and checks it.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The specification.</returns>
    /// <exception cref="InvalidDataException">The text is not a valid network specification.</exception>
    public static NetworkSpec FromJson(string json)
    {
        NetworkSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<NetworkSpec>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Not a valid network specification: " + ex.Message, ex);
        }
        if (spec is null || spec.Layers is null)
            throw new InvalidDataException("Not a valid network specification: no layers.");
        try
        {
            spec.InferShapes();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
        return spec;
    }

    /// <summary>Value equality including the layer list, the input normalization and the test-time views and their merge point.</summary>
    /// <param name="other">The other specification.</param>
    /// <returns>True when name, input size, every layer, the input normalization, every test-time view and where they merge are equal.</returns>
    public bool Equals(NetworkSpec? other) => other is not null && Name == other.Name && Channels == other.Channels
        && Height == other.Height && Width == other.Width && Layers.SequenceEqual(other.Layers)
        && Equals(InputNormalization, other.InputNormalization)
        && (TestTimeViews is null ? other.TestTimeViews is null : other.TestTimeViews is not null && TestTimeViews.SequenceEqual(other.TestTimeViews))
        && TestTimeViewsMergeAfter == other.TestTimeViewsMergeAfter;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Channels, Height, Width, Layers.Count);
}
