namespace MLNet.Siamese.Networks;

/// <summary>
/// One fixed affine view of an input image, for test-time augmentation: with <see cref="NetworkSpec.TestTimeViews"/> set,
/// the embedding of an image in evaluation mode (and in the exported ONNX model) is the mean of the network's outputs
/// over these views of it. Each view resamples the image bilinearly (edge pixels repeat beyond the border), exactly as
/// the training-time <c>AffineAugmentation</c> does, so the views are the kind of distortions the network trained on.
/// </summary>
/// <param name="ShiftX">Horizontal shift of the sampling window, as a fraction of the width (0.02: 2 % of the width).</param>
/// <param name="ShiftY">Vertical shift of the sampling window, as a fraction of the height.</param>
/// <param name="RotationDegrees">Rotation of the sampling window, in degrees.</param>
/// <param name="Scale">Zoom: 1.1 shows the content 10 % larger, 0.9 10 % smaller; must be positive.</param>
/// <param name="Mirror">True to mirror the image left to right first (then shift, rotate and zoom as the other values say).
/// Pixel centres map onto pixel centres, so the mirrored view is exact.</param>
public sealed record EmbeddingView(double ShiftX = 0, double ShiftY = 0, double RotationDegrees = 0, double Scale = 1, bool Mirror = false)
{
    /// <summary>The unchanged image.</summary>
    public static EmbeddingView Identity { get; } = new();

    /// <summary>The image mirrored left to right.</summary>
    public static EmbeddingView Mirrored { get; } = new(Mirror: true);

    /// <summary>
    /// A photo and its mirror image: for photos, whose classes do not change under a horizontal flip (a face, an object,
    /// a garment). The <c>photos</c> recipe averages its backbone's features over them (measured in docs/photos.md).
    /// </summary>
    public static IReadOnlyList<EmbeddingView> PhotoAndMirror { get; } = new[] { Identity, Mirrored };

    /// <summary>
    /// Nine views: the image itself, shifted by 7.5 % of its side left, right, up and down, rotated by 20 degrees either
    /// way, and zoomed by 25 % in and out. Chosen on held-out characters of the Omniglot example's training alphabets (not
    /// its test alphabets) among sets of growing size; there, 20-way one-shot accuracy was 93.5 % from single embeddings,
    /// 94.2 % with 2 % / 5 degrees / 6 %, 94.5 % with 4 % / 10 / 12 %, 95.0 % with 6 % / 15 / 18 % and 95.0 % with this set
    /// (docs/concepts.md).
    /// </summary>
    public static IReadOnlyList<EmbeddingView> Standard { get; } = new EmbeddingView[]
    {
        Identity,
        new(ShiftX: 0.075), new(ShiftX: -0.075), new(ShiftY: 0.075), new(ShiftY: -0.075),
        new(RotationDegrees: 20), new(RotationDegrees: -20),
        new(Scale: 1.25), new(Scale: 0.8),
    };

    /// <summary>
    /// The 2x3 matrix that maps output coordinates to input coordinates, both normalized to [-1, 1] (the convention of
    /// <c>affine_grid</c>), row-major.
    /// </summary>
    /// <returns>Six values.</returns>
    public float[] Theta()
    {
        double a = RotationDegrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a), m = Mirror ? -1 : 1;
        // Mirroring first negates the output x before the rotation and zoom: the x column of the matrix changes sign.
        return new[]
        {
            (float)(m * c / Scale), (float)(-s / Scale), (float)(2 * ShiftX),
            (float)(m * s / Scale), (float)(c / Scale), (float)(2 * ShiftY),
        };
    }

    /// <summary>
    /// The sampling grid of this view for an image of <paramref name="height"/> x <paramref name="width"/>, as
    /// <c>affine_grid(theta, align_corners: false)</c> computes it: (height, width, 2) values, x then y per pixel.
    /// </summary>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <returns>height * width * 2 values.</returns>
    public float[] SamplingGrid(int height, int width)
    {
        var t = Theta();
        var ys = MomentNormalization.PixelCentres(height);
        var xs = MomentNormalization.PixelCentres(width);
        var grid = new float[height * width * 2];
        for (int i = 0; i < height; i++)
        {
            float y = ys[i];
            for (int j = 0; j < width; j++)
            {
                float x = xs[j];
                int o = (i * width + j) * 2;
                grid[o] = t[0] * x + t[1] * y + t[2];
                grid[o + 1] = t[3] * x + t[4] * y + t[5];
            }
        }
        return grid;
    }

    /// <summary>Checks that every value is finite and the scale positive.</summary>
    /// <param name="index">Position of the view in its list, for the message.</param>
    /// <exception cref="InvalidOperationException">A value is out of range.</exception>
    internal void Validate(int index)
    {
        if (!double.IsFinite(ShiftX) || !double.IsFinite(ShiftY) || !double.IsFinite(RotationDegrees) || !double.IsFinite(Scale) || Scale <= 0)
            throw new InvalidOperationException($"Test-time view {index} ({this}) needs finite values and a positive scale.");
    }
}
