using System.Diagnostics;
using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Images decoded and preprocessed per second (ImagePreprocessing.DecodeToArray, 28x28 inverted, the embedded
/// Omniglot small1 set): from an already extracted folder, and from the zip into a fresh cache directory with the
/// safe extraction (SafeZipExtractor) and the folder scan counted in.
/// </summary>
internal static class DataPathBench
{
    public sealed record Decoded(float[] Features, string[] Labels, int Count);

    public static Decoded Run(MLContext ml, Results results, string scratch)
    {
        string zip = EmbeddedOmniglot.FindSmall1();
        var options = new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true };
        var scan = new ImageFolderOptions { LabelDepth = 2 };

        // Untimed: extract once for the folder case, and warm ML.NET's image pipeline up (JIT) on a few files.
        string folder = SafeZipExtractor.Extract(zip, Path.Combine(scratch, "folder-cache"));
        var entries = ImageFolder.Scan(folder, scan);
        ImagePreprocessing.DecodeToArray(ml, entries.Take(64).Select(e => e.ImagePath).ToList(), options);

        var folderTimes = new List<double>();
        float[] features = Array.Empty<float>();
        for (int r = 0; r < 2; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var found = ImageFolder.Scan(folder, scan);
            features = ImagePreprocessing.DecodeToArray(ml, found.Select(e => e.ImagePath).ToList(), options);
            folderTimes.Add(Stats.Seconds(t0, Stopwatch.GetTimestamp()));
        }
        double folderRate = entries.Count / Stats.Median(folderTimes);

        var zipTimes = new List<double>();
        for (int r = 0; r < 2; r++)
        {
            string fresh = Path.Combine(scratch, "zip-cache-" + r);
            long t0 = Stopwatch.GetTimestamp();
            string extracted = SafeZipExtractor.Extract(zip, fresh);
            var found = ImageFolder.Scan(extracted, scan);
            ImagePreprocessing.DecodeToArray(ml, found.Select(e => e.ImagePath).ToList(), options);
            zipTimes.Add(Stats.Seconds(t0, Stopwatch.GetTimestamp()));
        }
        double zipRate = entries.Count / Stats.Median(zipTimes);

        results.Add(new Figure("data", "decode 28x28 from folder", folderRate, "images/s", Note: $"{entries.Count} Omniglot PNGs (105x105), scan + DecodeToArray, median of 2"));
        results.Add(new Figure("data", "decode 28x28 from zip (fresh cache, extraction counted)", zipRate, "images/s", folderRate, "folder", Note: "SafeZipExtractor.Extract + scan + DecodeToArray"));
        return new Decoded(features, entries.Select(e => e.Label).ToArray(), entries.Count);
    }
}
