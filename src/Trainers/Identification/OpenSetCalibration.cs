using System.Globalization;
using System.Numerics.Tensors;
using MLNet.Siamese.Index;

namespace MLNet.Siamese.Identification;

/// <summary>
/// Chooses the reject threshold of an identifier from the gallery itself, leaving classes out: each enrolled item of
/// class c is an impostor query against the gallery rows of the other classes (other items, or other prototypes), as
/// if c had never been enrolled. Extra impostor queries (classes not enrolled at all) can be added. For a target
/// precision, genuine queries come from leaving one item out of classes that have at least two.
/// </summary>
internal static class OpenSetCalibration
{
    /// <summary>Most calibration queries drawn from the gallery (evenly spaced) so large galleries calibrate in seconds.</summary>
    public const int MaxQueries = 2000;

    /// <summary>Most impostor distances kept (as evenly spaced quantiles) for the Confidence output.</summary>
    public const int MaxConfidencePoints = 1024;

    public static IdentifierSettings Calibrate(IdentificationGallery gallery, GalleryRows rows, EnrollmentOptions options, IReadOnlyList<float[]>? impostors, ImpostorDistanceProfile? profile)
    {
        if (UsesModel(options, impostors, profile, gallery.ClassCount))
        {
            var settings = ModelCalibration.Calibrate(rows.Count, options, profile!);
            return options.Calibration != ThresholdCalibration.Auto ? settings : settings with
            {
                Calibration = settings.Calibration + (options.TargetFalseAcceptRate > 0
                    ? string.Create(CultureInfo.InvariantCulture, $" (the gallery's {gallery.ClassCount} classes are too few to measure the rate: {Math.Ceiling(1 / options.TargetFalseAcceptRate - 1e-9)} would be needed)")
                    : " (no gallery measures a rate of 0)"),
            };
        }
        var impostorDistances = ImpostorDistances(gallery, rows, impostors);
        if (impostorDistances.Count == 0)
            throw new ArgumentException($"The gallery has a single class ('{gallery.Labels[0]}') and no impostor queries were given: the unknown threshold cannot be calibrated. Enrol at least two classes, pass impostors, or set {nameof(EnrollmentOptions.Threshold)}.");
        var sorted = impostorDistances.ToArray();
        Array.Sort(sorted);
        var inv = CultureInfo.InvariantCulture;
        float threshold;
        string how;
        if (options.Threshold is float fixedThreshold)
        {
            threshold = fixedThreshold;
            how = string.Create(inv, $"given threshold {fixedThreshold:R}");
        }
        else if (options.TargetPrecision is double precision)
        {
            var genuine = GenuineQueries(gallery, options.Mode);
            if (genuine.Count == 0)
                throw new ArgumentException("A target precision needs genuine queries: enrol at least one class with two or more items (or use a target false-accept rate).");
            threshold = ForPrecision(genuine, sorted, precision);
            how = string.Create(inv, $"target precision {precision:R} on {genuine.Count} leave-one-out genuine and {sorted.Length} leave-class-out impostor queries");
        }
        else
        {
            threshold = OpenSetThreshold.ForFalseAcceptRate(sorted, options.TargetFalseAcceptRate);
            how = string.Create(inv, $"target false-accept rate {options.TargetFalseAcceptRate:R} on {sorted.Length} leave-class-out impostor queries");
            if (options.TargetFalseAcceptRate > 0 && options.TargetFalseAcceptRate * sorted.Length < 1)
                // The threshold then sits below the nearest of n impostors; a new impostor falls below the nearest of n
                // with probability 1 / (n + 1), so that, not the target, is the rate to expect.
                how += string.Create(inv, $"; too few to measure that rate: the threshold accepts none of them, and new impostors will pass about 1 time in {sorted.Length + 1} ({1.0 / (sorted.Length + 1):P0}); enrol more classes or give impostor images (siamese enroll --impostors, EnrollmentOptions.Impostors) for a tighter threshold");
        }
        return new IdentifierSettings(options.Mode, options.K, threshold, options.UnknownLabel, Quantiles(sorted), how, IdentifierSettings.RuleOf(options));
    }

    /// <summary>Whether the threshold is read from the model's impostor distances (<see cref="ThresholdCalibration"/>).</summary>
    /// <exception cref="ArgumentException">Model calibration was asked for and cannot be done; the message says why.</exception>
    public static bool UsesModel(EnrollmentOptions options, IReadOnlyList<float[]>? impostors, ImpostorDistanceProfile? profile, int classes)
    {
        if (options.Threshold is not null || options.TargetPrecision is not null || options.Calibration == ThresholdCalibration.Gallery)
            return false;
        if (options.Calibration == ThresholdCalibration.Auto)
            // Leave-class-out queries come in clumps, one per class: with fewer than 1 / rate classes the gallery cannot
            // measure the rate (its own rule then accepts no impostor class, and a new one passes 1 time in classes + 1).
            return profile is { HeldOutClasses: true } && options.Mode == GalleryMode.Items && impostors is null
                && options.TargetFalseAcceptRate * classes < 1;
        if (profile is null)
            throw new ArgumentException("Threshold calibration 'Model' needs the impostor distances a model measures when it is trained, and this model has none (it was saved by an earlier version): train it again, or calibrate on the gallery.", nameof(options));
        if (options.Mode != GalleryMode.Items)
            throw new ArgumentException("Threshold calibration 'Model' measures distances between items, not to class prototypes: use GalleryMode.Items, or calibrate on the gallery.", nameof(options));
        if (impostors is not null)
            throw new ArgumentException("Impostor images were given and threshold calibration 'Model' would not use them: calibrate on the gallery (or Auto), or leave them out.", nameof(options));
        return true;
    }

    /// <summary>Nearest distance of each impostor query: gallery items against the other classes' rows, then the extra impostors against all rows.</summary>
    public static List<float> ImpostorDistances(IdentificationGallery gallery, GalleryRows rows, IReadOnlyList<float[]>? impostors)
    {
        int d = gallery.Dimension;
        var result = new List<float>();
        int stride = Math.Max(1, (gallery.Count + MaxQueries - 1) / MaxQueries);
        for (int i = 0; i < gallery.Count; i += stride)
        {
            var query = gallery.Embedding(i);
            string label = gallery.Labels[i];
            float best = float.PositiveInfinity;
            for (int r = 0; r < rows.Count; r++)
            {
                if (string.Equals(rows.Labels[r], label, StringComparison.Ordinal)) continue;
                best = Math.Min(best, TensorPrimitives.Distance(query, rows.Embeddings.AsSpan(r * d, d)));
            }
            if (float.IsFinite(best)) result.Add(best);
        }
        if (impostors is not null)
        {
            foreach (var query in impostors)
            {
                if (query.Length != d)
                    throw new ArgumentException($"An impostor embedding has {query.Length} values; the embedder gives {d}.", nameof(impostors));
                float best = float.PositiveInfinity;
                for (int r = 0; r < rows.Count; r++)
                    best = Math.Min(best, TensorPrimitives.Distance(query, rows.Embeddings.AsSpan(r * d, d)));
                result.Add(best);
            }
        }
        return result;
    }

    /// <summary>Leave-one-out genuine queries: (nearest distance, whether the nearest row has the query's label).</summary>
    public static List<(float Distance, bool Correct)> GenuineQueries(IdentificationGallery gallery, GalleryMode mode)
    {
        int d = gallery.Dimension;
        var counts = gallery.Labels.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<(float, bool)>();
        var rows = GalleryRows.Of(gallery, mode);
        int stride = Math.Max(1, (gallery.Count + MaxQueries - 1) / MaxQueries);
        var own = new float[d];
        for (int i = 0; i < gallery.Count; i += stride)
        {
            string label = gallery.Labels[i];
            int n = counts[label];
            if (n < 2) continue;
            var query = gallery.Embedding(i);
            float best = float.PositiveInfinity;
            bool correct = false;
            if (mode == GalleryMode.Items)
            {
                for (int j = 0; j < gallery.Count; j++)
                {
                    if (j == i) continue;
                    float dist = TensorPrimitives.Distance(query, gallery.Embedding(j));
                    if (dist < best) (best, correct) = (dist, string.Equals(gallery.Labels[j], label, StringComparison.Ordinal));
                }
            }
            else
            {
                for (int r = 0; r < rows.Count; r++)
                {
                    var row = rows.Embeddings.AsSpan(r * d, d);
                    bool same = string.Equals(rows.Labels[r], label, StringComparison.Ordinal);
                    if (same)
                    {
                        // The class mean without the query: (n * mean - query) / (n - 1).
                        for (int j = 0; j < d; j++) own[j] = (n * row[j] - query[j]) / (n - 1);
                        row = own;
                    }
                    float dist = TensorPrimitives.Distance(query, row);
                    if (dist < best) (best, correct) = (dist, same);
                }
            }
            result.Add((best, correct));
        }
        return result;
    }

    /// <summary>The largest threshold at which the accepted queries (genuine and impostor) reach the target precision.</summary>
    public static float ForPrecision(IReadOnlyList<(float Distance, bool Correct)> genuine, float[] impostorDistances, double target)
    {
        if (!(target > 0 && target <= 1))
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target precision must be in (0, 1].");
        var all = genuine.Concat(impostorDistances.Select(x => (Distance: x, Correct: false))).OrderBy(q => q.Distance).ToArray();
        float threshold = all[0].Distance > 0 ? MathF.BitDecrement(all[0].Distance) : 0f;
        int correct = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Correct) correct++;
            bool boundary = i + 1 == all.Length || all[i + 1].Distance > all[i].Distance;
            if (boundary && correct / (double)(i + 1) >= target) threshold = all[i].Distance;
        }
        return threshold;
    }

    private static float[] Quantiles(float[] sorted)
    {
        if (sorted.Length <= MaxConfidencePoints) return sorted;
        var points = new float[MaxConfidencePoints];
        for (int i = 0; i < points.Length; i++)
            points[i] = sorted[(int)((i + 0.5) * sorted.Length / points.Length)];
        return points;
    }
}
