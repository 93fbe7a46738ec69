namespace MLNet.Siamese.Data;

/// <summary>
/// How images are turned into feature vectors by <see cref="ImagePreprocessing"/>: resized (stretched) to
/// <see cref="Width"/> x <see cref="Height"/>, converted to grayscale (one channel) or kept in colour (three planes,
/// red, green, blue: <see cref="Channels"/>), scaled to 0..1.
/// Stored with trained models, so it serialises to JSON with <c>System.Text.Json</c>.
/// </summary>
public sealed record ImagePreprocessingOptions
{
    /// <summary>Width in pixels after resizing. Default 28.</summary>
    public int Width { get; init; } = 28;

    /// <summary>Height in pixels after resizing. Default 28.</summary>
    public int Height { get; init; } = 28;

    /// <summary>
    /// When <see langword="true"/>, values are 1 - gray/255 instead of gray/255, so black ink on white paper
    /// (Omniglot) gives ink = 1 and background = 0. Default <see langword="false"/>.
    /// </summary>
    public bool Invert { get; init; }

    /// <summary>
    /// Folder that relative image paths are resolved against; <see langword="null"/> (the default) when the
    /// paths are absolute (or relative to the current directory).
    /// </summary>
    public string? ImageFolder { get; init; }

    /// <summary>
    /// Colour channels of the decoded image: 1 (the default) converts to grayscale, one value per pixel; 3 keeps
    /// colour as three planes (all red values, then all green, then all blue: C x H x W, each 0..1). Grayscale files
    /// decoded with 3 channels give three equal planes. Models saved before this setting existed read back as 1.
    /// </summary>
    public int Channels { get; init; } = 1;

    /// <summary>Number of values per image: <see cref="Channels"/> * <see cref="Width"/> * <see cref="Height"/>.</summary>
    public int FeatureLength => Channels * Width * Height;

    internal void Validate()
    {
        if (Width is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be between 1 and 4096.");
        if (Height is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(Height), Height, "Height must be between 1 and 4096.");
        if (Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels must be 1 (grayscale) or 3 (RGB).");
    }
}
