using MLNet.Siamese.Runtime;
using TorchSharp;
using MLNet.Siamese.Sampling;
using static TorchSharp.torch;

namespace MLNet.Siamese.Augmentation;

/// <summary>
/// On-the-fly photo augmentation for fine-tuning a pretrained backbone: a random resized crop (a random part of the
/// photo, of random area and aspect ratio, scaled back to the full size), a horizontal flip, and colour jitter
/// (brightness, contrast, saturation). A flipped photo keeps its class: flips are not new classes. Works on RGB planes
/// of any value range (0..255 from ML.NET's ExtractPixels); values are clamped to the batch's range after jitter.
/// Parameters come from the trainer's seeded generator, so runs are reproducible.
/// </summary>
public sealed record PhotoAugmentation
{
    /// <summary>Smallest area of the crop as a fraction of the photo's. Default 0.35 (1 crops nothing).</summary>
    public double MinCropArea { get; init; } = 0.35;

    /// <summary>Largest aspect-ratio change of the crop, either way (as a factor; 4/3 draws ratios in [3/4, 4/3]). Default 4/3.</summary>
    public double MaxAspectRatio { get; init; } = 4.0 / 3.0;

    /// <summary>Probability of a horizontal flip. Default 0.5.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Largest relative change of brightness, contrast and saturation, either way (0.2 draws factors in [0.8, 1.2]). Default 0.2.</summary>
    public double ColorJitter { get; init; } = 0.2;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public void Validate()
    {
        if (!(MinCropArea is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinCropArea), MinCropArea, "MinCropArea must be in (0, 1].");
        if (!(MaxAspectRatio >= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxAspectRatio), MaxAspectRatio, "MaxAspectRatio must be at least 1.");
        if (!(FlipProbability is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(FlipProbability), FlipProbability, "FlipProbability must be in [0, 1].");
        if (!(ColorJitter is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(ColorJitter), ColorJitter, "ColorJitter must be in [0, 1).");
    }

    /// <summary>Augments every photo of <paramref name="images"/> (N, 3, H, W) with its own random crop, flip and jitter.</summary>
    /// <param name="images">The batch of RGB planes.</param>
    /// <param name="random">The generator.</param>
    /// <returns>The augmented batch, same shape.</returns>
    /// <exception cref="ArgumentException">The batch does not have 3 channels.</exception>
    internal Tensor Apply(Tensor images, SiameseRandom random)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"Photo augmentation needs RGB batches (N, 3, H, W); got [{string.Join(", ", images.shape)}].", nameof(images));
        long n = images.shape[0];
        var theta = new float[n * 6];
        var factors = new float[n * 3];
        double logRatio = Math.Log(MaxAspectRatio);
        for (long i = 0; i < n; i++)
        {
            double area = random.NextDouble(MinCropArea, 1);
            double ratio = Math.Exp(random.NextDouble(-logRatio, logRatio));
            double w = Math.Min(1, Math.Sqrt(area * ratio)), h = Math.Min(1, Math.Sqrt(area / ratio));
            double cx = random.NextDouble(-(1 - w), 1 - w), cy = random.NextDouble(-(1 - h), 1 - h);
            double flip = random.NextDouble() < FlipProbability ? -1 : 1;
            int o = (int)(i * 6);
            // Output coordinates (-1..1) to input coordinates: the crop's half sizes and centre, mirrored on x by the flip.
            theta[o] = (float)(w * flip); theta[o + 2] = (float)cx;
            theta[o + 4] = (float)h; theta[o + 5] = (float)cy;
            for (int k = 0; k < 3; k++) factors[i * 3 + k] = (float)(1 + random.NextDouble(-ColorJitter, ColorJitter));
        }
        using var scope = NewDisposeScope();
        var t = tensor(theta, new long[] { n, 2, 3 }).to(images.device);
        var grid = nn.functional.affine_grid(t, images.shape, align_corners: false);
        var x = nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        var f = tensor(factors, new long[] { n, 3, 1, 1 }).to(images.device);
        var brightness = f[.., 0..1];
        var contrast = f[.., 1..2];
        var saturation = f[.., 2..3];
        // ITU-R 601 luma, as torchvision's colour jitter.
        using Scalar red = 0.299, green = 0.587, blue = 0.114;
        var gray = (x[.., 0..1] * red).Plus(x[.., 1..2] * green).Plus(x[.., 2..3] * blue);
        x = x * brightness;
        gray = gray * brightness;
        var meanGray = gray.mean(new long[] { 1, 2, 3 }, keepdim: true);
        x = ((x - meanGray) * contrast).Plus(meanGray);
        gray = ((gray - meanGray) * contrast).Plus(meanGray);
        x = ((x - gray) * saturation).Plus(gray);
        using Scalar low = images.min().item<float>(), high = images.max().item<float>();
        return x.clamp(low, high).MoveToOuterDisposeScope();
    }
}
