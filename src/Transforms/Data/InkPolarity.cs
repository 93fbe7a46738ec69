using Microsoft.ML;

namespace MLNet.Siamese.Data;

/// <summary>
/// Tells dark ink on a light background (scanned or drawn characters, as in Omniglot) from light strokes on a dark
/// background (MNIST): a sample of images is decoded without inversion and their mean pixel compared with
/// <see cref="LightBackgroundMean"/>. Networks learn best with ink = 1 and background = 0, so light-background images
/// should be inverted (<see cref="ImagePreprocessingOptions.Invert"/>).
/// </summary>
public static class InkPolarity
{
    /// <summary>Images decoded for the decision (spread evenly over the list). 64.</summary>
    public const int SampleSize = 64;

    /// <summary>Mean pixel (0..1) above which images are taken as dark ink on a light background. 0.5.</summary>
    public const double LightBackgroundMean = 0.5;

    /// <summary>The mean pixel (0..1) of up to <see cref="SampleSize"/> images spread evenly over <paramref name="paths"/>, decoded without inversion.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="paths">Image files.</param>
    /// <param name="options">Size and folder to decode with; its <see cref="ImagePreprocessingOptions.Invert"/> is ignored.</param>
    /// <returns>The mean, or 0 for no paths.</returns>
    public static double MeanPixel(MLContext mlContext, IReadOnlyList<string> paths, ImagePreprocessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        if (paths.Count == 0)
            return 0;
        int n = Math.Min(SampleSize, paths.Count);
        var sample = Enumerable.Range(0, n).Select(i => paths[(int)((long)i * paths.Count / n)]).ToArray();
        float[] pixels = ImagePreprocessing.DecodeToArray(mlContext, sample, options with { Invert = false });
        return pixels.Length == 0 ? 0 : pixels.Average();
    }

    /// <summary>Whether images with this mean pixel are dark ink on a light background, to be inverted.</summary>
    /// <param name="meanPixel">From <see cref="MeanPixel"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="meanPixel"/> is above <see cref="LightBackgroundMean"/>.</returns>
    public static bool IsLightBackground(double meanPixel) => meanPixel > LightBackgroundMean;
}
