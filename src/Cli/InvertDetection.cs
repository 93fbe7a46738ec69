using MLNet.Siamese.Data;
using Microsoft.ML;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Decides whether images are dark ink on a light background (mean pixel of a sample above
/// <see cref="TrainDefaults.InvertMeanThreshold"/>), in which case they are inverted so ink is 1 and background 0.
/// </summary>
internal static class InvertDetection
{
    /// <summary>The mean pixel (0..1) of up to <paramref name="sampleSize"/> images spread evenly over the list.</summary>
    public static double MeanPixel(MLContext ml, IReadOnlyList<string> paths, int size, int sampleSize = TrainDefaults.InvertSampleSize)
    {
        if (paths.Count == 0)
            return 0;
        int n = Math.Min(sampleSize, paths.Count);
        var sample = Enumerable.Range(0, n).Select(i => paths[(int)((long)i * paths.Count / n)]).ToArray();
        float[] pixels = ImagePreprocessing.DecodeToArray(ml, sample, new ImagePreprocessingOptions { Width = size, Height = size, Invert = false });
        return pixels.Length == 0 ? 0 : pixels.Average();
    }
}
