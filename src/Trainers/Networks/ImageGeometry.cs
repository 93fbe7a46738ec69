using MLNet.Siamese.Data;

namespace MLNet.Siamese.Networks;

/// <summary>
/// The image geometry of a model, in one place: the size and channels of the image the network's layers see, the size
/// images are decoded at (a whole multiple of it, the decode scale) and the size and position normalization that brings
/// the decoded image down to the layers' size. Every other size is read from it: the decoding
/// (<see cref="Preprocessing"/>), the network's input and normalization (<see cref="ApplyTo"/>, read back by
/// <see cref="Of"/> and <see cref="NetworkSpec.Geometry"/>), the training tensor, the augmentation, the synthetic
/// classes, the test-time views and the exported ONNX graph.
/// </summary>
/// <remarks>
/// Handwriting decodes at twice the layers' size and normalizes down (<c>ImageGeometry.Square(48, decodeScale: 2,
/// normalization: new MomentNormalization(0.25))</c>), so that enlarging a small drawing does not enlarge its pixels;
/// images as they are decode at the layers' size (<c>ImageGeometry.Square(48)</c>); photos for a pretrained backbone
/// are 3-channel at the backbone's size (<c>ImageGeometry.Square(224, channels: 3)</c>).
/// </remarks>
public sealed record ImageGeometry
{
    /// <summary>Creates a geometry.</summary>
    /// <param name="height">Height in pixels of the image the network's layers see.</param>
    /// <param name="width">Width in pixels of the image the network's layers see.</param>
    /// <param name="channels">1 (grayscale) or 3 (red, green, blue planes).</param>
    /// <param name="decodeScale">Images are decoded at this many times the layers' size (1: at that size); above 1 needs
    /// <paramref name="normalization"/>, which resamples the decoded image down.</param>
    /// <param name="normalization">Moment normalization of every image (its <see cref="MomentNormalization.Spread"/>
    /// counts; its output size is set to <paramref name="height"/> x <paramref name="width"/>); null feeds the images as
    /// they are.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range, naming it.</exception>
    public ImageGeometry(int height, int width, int channels = 1, int decodeScale = 1, MomentNormalization? normalization = null)
    {
        if (height is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(height), height, "The image height must be 1 to 4096 pixels.");
        if (width is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(width), width, "The image width must be 1 to 4096 pixels.");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (grayscale) or 3 (RGB).");
        if (decodeScale < 1 || (long)height * decodeScale > 4096 || (long)width * decodeScale > 4096)
            throw new ArgumentOutOfRangeException(nameof(decodeScale), decodeScale, $"The decode scale must be at least 1 and keep the decoded image within 4096 pixels ({height}x{width} at the layers).");
        if (decodeScale > 1 && normalization is null)
            throw new ArgumentOutOfRangeException(nameof(decodeScale), decodeScale, "Decoding at a larger size than the layers' needs a normalization that resamples the image down; set one, or use decode scale 1.");
        Height = height;
        Width = width;
        Channels = channels;
        DecodedHeight = height * decodeScale;
        DecodedWidth = width * decodeScale;
        Normalization = normalization is null ? null : normalization with { OutputHeight = height, OutputWidth = width };
    }

    /// <summary>A square geometry.</summary>
    /// <param name="side">Side in pixels of the image the network's layers see.</param>
    /// <param name="channels">1 (grayscale) or 3 (RGB).</param>
    /// <param name="decodeScale">Images are decoded at this many times <paramref name="side"/>.</param>
    /// <param name="normalization">Moment normalization of every image, or null.</param>
    /// <returns>The geometry.</returns>
    public static ImageGeometry Square(int side, int channels = 1, int decodeScale = 1, MomentNormalization? normalization = null)
        => new(side, side, channels, decodeScale, normalization);

    /// <summary>Height in pixels of the image the network's layers see.</summary>
    public int Height { get; }

    /// <summary>Width in pixels of the image the network's layers see.</summary>
    public int Width { get; }

    /// <summary>Colour channels: 1 (grayscale) or 3 (red, green, blue planes).</summary>
    public int Channels { get; }

    /// <summary>Images are decoded at this many times <see cref="Height"/> x <see cref="Width"/> (<see cref="DecodedHeight"/> / <see cref="Height"/>).</summary>
    public double DecodeScale => (double)DecodedHeight / Height;

    /// <summary>Moment normalization from the decoded size to the layers' (output size set to it), or null.</summary>
    public MomentNormalization? Normalization { get; private init; }

    /// <summary>Height in pixels images are decoded at: the network's input height.</summary>
    public int DecodedHeight { get; }

    /// <summary>Width in pixels images are decoded at: the network's input width.</summary>
    public int DecodedWidth { get; }

    /// <summary>Values per decoded image, the network's input length: Channels x DecodedHeight x DecodedWidth.</summary>
    public int DecodedLength => Channels * DecodedHeight * DecodedWidth;

    /// <summary>Values per image as the layers see it: Channels x Height x Width.</summary>
    public int LayerLength => Channels * Height * Width;

    /// <summary>
    /// This geometry with another moment-normalization spread: 0 removes the normalization, and the images are then
    /// decoded at the layers' size (nothing resamples them down); otherwise the decoded size stays and the spread is set
    /// (a normalization is added when there was none).
    /// </summary>
    /// <param name="spread">Radius of gyration as a fraction of the side, in (0, 1]; 0 for none.</param>
    /// <returns>The new geometry.</returns>
    public ImageGeometry WithSpread(double spread) => spread == 0
        ? new ImageGeometry(Height, Width, Channels)
        : this with { Normalization = (Normalization ?? new MomentNormalization(spread, Height, Width)) with { Spread = spread } };

    /// <summary>How images are decoded for this geometry: stretched to the decoded size, with its channels.</summary>
    /// <param name="invert">Ink = 1 for dark ink on light paper (<see cref="ImagePreprocessingOptions.Invert"/>).</param>
    /// <param name="imageFolder">Folder relative image paths are resolved against, or null.</param>
    /// <returns>The decoding options.</returns>
    public ImagePreprocessingOptions Preprocessing(bool invert = false, string? imageFolder = null)
        => new() { Width = DecodedWidth, Height = DecodedHeight, Channels = Channels, Invert = invert, ImageFolder = imageFolder };

    /// <summary>
    /// The network <paramref name="spec"/> with this geometry: its input channels and size (the decoded size) and its
    /// input normalization; layers and test-time views unchanged.
    /// </summary>
    /// <param name="spec">A network, e.g. a preset built at <see cref="Height"/>.</param>
    /// <returns>The network with this geometry.</returns>
    public NetworkSpec ApplyTo(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with { Channels = Channels, Height = DecodedHeight, Width = DecodedWidth, InputNormalization = Normalization };
    }

    /// <summary>The geometry a network's input describes (its input size, channels and input normalization).</summary>
    /// <param name="spec">The network.</param>
    /// <returns>The geometry (a hand-built network may decode at a size that is not a whole multiple of its layers').</returns>
    public static ImageGeometry Of(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ImageGeometry(spec);
    }

    /// <summary>Reads a network's geometry as it is, without the checks of the public constructor (a spec is checked by
    /// <see cref="NetworkSpec.InferShapes"/>).</summary>
    private ImageGeometry(NetworkSpec spec)
    {
        var n = spec.InputNormalization;
        Height = n is { OutputHeight: > 0 } ? n.OutputHeight : spec.Height;
        Width = n is { OutputWidth: > 0 } ? n.OutputWidth : spec.Width;
        Channels = spec.Channels;
        DecodedHeight = spec.Height;
        DecodedWidth = spec.Width;
        Normalization = n is null ? null : n with { OutputHeight = Height, OutputWidth = Width };
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Height}x{Width}" + (DecodedHeight != Height || DecodedWidth != Width ? $" decoded at {DecodedHeight}x{DecodedWidth}" : "")
        + (Normalization is { } m ? $", moment normalization to spread {m.Spread}" : "");
}
