using System.Globalization;
using System.Numerics.Tensors;

namespace MLNet.Siamese.Identification;

/// <summary>
/// How far apart the model puts items of different classes: quantiles of the Euclidean distances between embeddings of
/// every pair of calibration items of different classes (the classes held out of training when there are some),
/// measured when the model was trained and saved in its metadata. An identifier with a few enrolled classes reads its
/// reject threshold from it: a query of a class that is not enrolled is falsely accepted when one of the M gallery rows
/// lies within the threshold, which happens with probability at most 1 - (1 - F(t))^M for the pair rate F(t), the rule
/// face-recognition systems calibrate by (false-positive identification rate from the false-match rate).
/// </summary>
/// <remarks>Read one from a model with <c>GalleryEmbedder.Impostors</c>, or from a zip's metadata with <see cref="FromMetadata"/>.</remarks>
public sealed class ImpostorDistanceProfile
{
    private readonly double[] _probabilities;
    private readonly float[] _distances;

    internal ImpostorDistanceProfile(long pairs, int classes, bool heldOutClasses, double[] probabilities, float[] distances)
    {
        Pairs = pairs;
        Classes = classes;
        HeldOutClasses = heldOutClasses;
        _probabilities = probabilities;
        _distances = distances;
    }

    /// <summary>Impostor pairs measured.</summary>
    public long Pairs { get; }

    /// <summary>Classes they came from (0 when the model was trained on labelled pairs, without classes).</summary>
    public int Classes { get; }

    /// <summary>True when the classes were held out of training (else they are training classes, which the model separates better than new ones).</summary>
    public bool HeldOutClasses { get; }

    /// <summary>Ascending probabilities p, from 1 / <see cref="Pairs"/> to 1.</summary>
    public IReadOnlyList<double> Probabilities => _probabilities;

    /// <summary>The distance at or below which a fraction p of the pairs lie, for each of <see cref="Probabilities"/> (ascending).</summary>
    public IReadOnlyList<float> Distances => _distances;

    /// <summary>The model metadata key that holds the profile.</summary>
    public const string MetadataKey = "mlnet_siamese.impostor_distances";

    /// <summary>Most items whose pairs are measured (evenly spaced): 3,000 items are 4.5 million pairs, about a second.</summary>
    internal const int MaxItems = 3000;

    private const int PointsPerDecade = 20;

    /// <summary>Measures the profile over every pair of items of different classes; null with fewer than two classes.</summary>
    /// <param name="embeddings">Row-major embeddings, <paramref name="dimension"/> values each.</param>
    /// <param name="dimension">Embedding length.</param>
    /// <param name="classOf">Class of each item.</param>
    /// <param name="heldOutClasses">Whether the classes were held out of training.</param>
    internal static ImpostorDistanceProfile? Measure(ReadOnlySpan<float> embeddings, int dimension, IReadOnlyList<int> classOf, bool heldOutClasses)
    {
        int n = classOf.Count;
        int stride = Math.Max(1, (n + MaxItems - 1) / MaxItems);
        var kept = Enumerable.Range(0, n).Where(i => i % stride == 0).ToArray();
        int classes = kept.Select(i => classOf[i]).Distinct().Count();
        if (classes < 2) return null;
        // Every pair less the pairs within a class, allocated once (4.4 million floats for 3,000 items).
        long pairs = (long)kept.Length * (kept.Length - 1) / 2
            - kept.GroupBy(i => classOf[i]).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        var distances = new float[pairs];
        long next = 0;
        for (int a = 0; a < kept.Length; a++)
        {
            var left = embeddings.Slice(kept[a] * dimension, dimension);
            for (int b = a + 1; b < kept.Length; b++)
                if (classOf[kept[a]] != classOf[kept[b]])
                    distances[next++] = TensorPrimitives.Distance(left, embeddings.Slice(kept[b] * dimension, dimension));
        }
        return FromDistances(distances, classes, heldOutClasses);
    }

    /// <summary>The profile of the given impostor distances (sorted in place).</summary>
    internal static ImpostorDistanceProfile FromDistances(float[] distances, int classes, bool heldOutClasses)
    {
        if (distances.Length == 0) throw new ArgumentException("No impostor distance.", nameof(distances));
        Array.Sort(distances);
        long pairs = distances.Length;
        // Log-spaced probabilities from 1 / pairs to 1: the low quantiles, where thresholds sit, are kept finely.
        int points = (int)Math.Ceiling(Math.Log10(pairs) * PointsPerDecade) + 1;
        var probabilities = new double[points];
        var values = new float[points];
        for (int k = 0; k < points; k++)
        {
            double p = points == 1 ? 1 : Math.Pow(pairs, -(1 - k / (double)(points - 1)));
            probabilities[k] = p;
            values[k] = distances[(int)Math.Clamp(Math.Ceiling(p * pairs) - 1, 0, pairs - 1)];
        }
        return new ImpostorDistanceProfile(pairs, classes, heldOutClasses, probabilities, values);
    }

    /// <summary>The smallest pair rate the profile resolves: 1 / <see cref="Pairs"/>.</summary>
    public double SmallestRate => _probabilities[0];

    /// <summary>The distance at or below which a fraction <paramref name="p"/> of impostor pairs lie (interpolated in log p; the smallest distance below <see cref="SmallestRate"/>).</summary>
    /// <param name="p">A fraction of impostor pairs, 0 to 1.</param>
    /// <returns>The distance.</returns>
    public float Quantile(double p)
    {
        if (p <= _probabilities[0]) return _distances[0];
        if (p >= 1) return _distances[^1];
        int k = Array.BinarySearch(_probabilities, p);
        if (k >= 0) return _distances[k];
        k = ~k;
        if (k >= _probabilities.Length) return _distances[^1];
        double lo = Math.Log(_probabilities[k - 1]), hi = Math.Log(_probabilities[k]);
        double w = (Math.Log(p) - lo) / (hi - lo);
        return (float)(_distances[k - 1] + w * (_distances[k] - _distances[k - 1]));
    }

    /// <summary>The pair rate whose false-identification rate over <paramref name="rows"/> gallery rows is <paramref name="rate"/>: 1 - (1 - rate)^(1 / rows).</summary>
    /// <param name="rate">The target rate over the gallery, 0 to 1.</param>
    /// <param name="rows">Gallery rows (at least 1).</param>
    /// <returns>The rate per pair.</returns>
    public static double PairRate(double rate, int rows) => rate >= 1 ? 1 : -ExpMinusOne(LogOnePlus(-rate) / rows);

    // log(1 + x) and exp(x) - 1 without the cancellation of the plain formulas for small x (Goldberg's and Kahan's
    // corrections; .NET's double.LogP1 and ExpM1 compute them plainly).
    private static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double ExpMinusOne(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>
    /// Nearest-row impostor distances of a gallery of <paramref name="rows"/> rows, as <paramref name="count"/> evenly
    /// spaced quantiles: the fraction of them at or below a distance is the false-accept rate the profile predicts there.
    /// </summary>
    /// <param name="rows">Gallery rows.</param>
    /// <param name="count">Quantiles wanted.</param>
    /// <returns>The ascending distances.</returns>
    public float[] NearestDistances(int rows, int count)
    {
        var points = new float[count];
        for (int i = 0; i < count; i++)
            points[i] = Quantile(PairRate((i + 0.5) / count, rows));
        return points;
    }

    /// <summary>The profile as one metadata value: "pairs;classes;held-out|training;p:d p:d ...".</summary>
    /// <returns>The value stored under <see cref="MetadataKey"/>.</returns>
    public string ToMetadata()
    {
        var inv = CultureInfo.InvariantCulture;
        var points = string.Join(' ', _probabilities.Select((p, k) => string.Create(inv, $"{p:R}:{_distances[k]:R}")));
        return string.Create(inv, $"{Pairs};{Classes};{(HeldOutClasses ? "held-out" : "training")};{points}");
    }

    /// <summary>Reads <see cref="ToMetadata"/>'s value; null when it is absent or malformed (the identifier then calibrates on its gallery).</summary>
    /// <param name="metadata">A model's metadata (<c>SiameseModelInfo.Metadata</c>, or an ONNX graph's metadata_props).</param>
    /// <returns>The profile, or null.</returns>
    public static ImpostorDistanceProfile? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out var value)) return null;
        var inv = CultureInfo.InvariantCulture;
        var parts = value.Split(';');
        if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, inv, out long pairs) || pairs < 1
            || !int.TryParse(parts[1], NumberStyles.None, inv, out int classes) || parts[2] is not ("held-out" or "training"))
            return null;
        var probabilities = new List<double>();
        var distances = new List<float>();
        foreach (var point in parts[3].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = point.IndexOf(':');
            if (colon < 0 || !double.TryParse(point.AsSpan(0, colon), NumberStyles.Float, inv, out double p)
                || !float.TryParse(point.AsSpan(colon + 1), NumberStyles.Float, inv, out float d) || !(p > 0 && p <= 1) || !float.IsFinite(d) || d < 0)
                return null;
            if (probabilities.Count > 0 && (p <= probabilities[^1] || d < distances[^1])) return null;
            probabilities.Add(p);
            distances.Add(d);
        }
        return probabilities.Count == 0 ? null : new ImpostorDistanceProfile(pairs, classes, parts[2] == "held-out", probabilities.ToArray(), distances.ToArray());
    }
}
