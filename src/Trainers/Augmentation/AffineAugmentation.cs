using MLNet.Siamese.Sampling;
using static TorchSharp.torch;

namespace MLNet.Siamese.Augmentation;

/// <summary>
/// On-the-fly random affine distortions of an image batch (rotation, scale, shear, translation), as Koch et al.
/// used on Omniglot. Parameters are drawn from the trainer's seeded generator, so runs are reproducible and
/// resumable; the warp itself is one affine_grid + grid_sample on the batch tensor.
/// </summary>
public sealed record AffineAugmentation
{
    /// <summary>Largest rotation, in degrees, either way. Default 10.</summary>
    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>Largest relative change of scale, either way (0.15 draws a scale in [0.85, 1.15]). Default 0.15.</summary>
    public double MaxScaleChange { get; init; } = 0.15;

    /// <summary>Largest shear factor, either way, on each axis. Default 0.2.</summary>
    public double MaxShear { get; init; } = 0.2;

    /// <summary>Largest translation as a fraction of the image size, either way. Default 0.08.</summary>
    public double MaxTranslation { get; init; } = 0.08;

    /// <summary>Probability that an item is distorted at all. Default 0.8.</summary>
    public double Probability { get; init; } = 0.8;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative or the probability is outside [0, 1].</exception>
    public void Validate()
    {
        if (MaxRotationDegrees < 0 || MaxScaleChange < 0 || MaxScaleChange >= 1 || MaxShear < 0 || MaxTranslation < 0)
            throw new ArgumentOutOfRangeException(nameof(AffineAugmentation), "Augmentation ranges must be non-negative and the scale change below 1.");
        if (Probability is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(Probability), Probability, "Augmentation probability must be in [0, 1].");
    }

    /// <summary>Distorts every image of <paramref name="images"/> (N, C, H, W) with its own random transform.</summary>
    /// <param name="images">The batch.</param>
    /// <param name="random">The generator.</param>
    /// <returns>The distorted batch, same shape; edges are extended with the border pixels.</returns>
    internal Tensor Apply(Tensor images, SiameseRandom random)
    {
        long n = images.shape[0];
        var theta = new float[n * 6];
        for (long i = 0; i < n; i++)
        {
            double a = 0, s = 1, shx = 0, shy = 0, tx = 0, ty = 0;
            if (random.NextDouble() < Probability)
            {
                a = random.NextDouble(-MaxRotationDegrees, MaxRotationDegrees) * Math.PI / 180;
                s = 1 + random.NextDouble(-MaxScaleChange, MaxScaleChange);
                shx = random.NextDouble(-MaxShear, MaxShear);
                shy = random.NextDouble(-MaxShear, MaxShear);
                tx = random.NextDouble(-MaxTranslation, MaxTranslation) * 2;
                ty = random.NextDouble(-MaxTranslation, MaxTranslation) * 2;
            }
            // theta maps output coordinates to input coordinates: inverse scale of R * Sh.
            double c = Math.Cos(a), sn = Math.Sin(a);
            double m00 = (c + sn * shy) / s, m01 = (c * shx - sn) / s;
            double m10 = (sn + c * shy) / s, m11 = (sn * shx + c) / s;
            int o = (int)(i * 6);
            theta[o] = (float)m00; theta[o + 1] = (float)m01; theta[o + 2] = (float)tx;
            theta[o + 3] = (float)m10; theta[o + 4] = (float)m11; theta[o + 5] = (float)ty;
        }
        using var scope = NewDisposeScope();
        var t = tensor(theta, new long[] { n, 2, 3 }).to(images.device);
        var grid = nn.functional.affine_grid(t, images.shape, align_corners: false);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false).MoveToOuterDisposeScope();
    }
}
