namespace MLNet.Siamese.Trainers;

/// <summary>Turns distances into scores in 0..1 and picks the decision threshold, on held-out or training pairs.</summary>
internal static class ScoreCalibration
{
    /// <summary>
    /// Fits Score = sigmoid(a * distance + b) to the pair labels by logistic regression (Platt scaling, Newton's method).
    /// </summary>
    public static (float Scale, float Offset) FitDistanceSigmoid(ReadOnlySpan<float> distances, ReadOnlySpan<float> similar)
    {
        // Standardize for a well-conditioned Newton iteration, then map back.
        double mean = 0, sq = 0;
        for (int i = 0; i < distances.Length; i++) mean += distances[i];
        mean /= distances.Length;
        for (int i = 0; i < distances.Length; i++) sq += (distances[i] - mean) * (distances[i] - mean);
        double std = Math.Sqrt(sq / distances.Length);
        if (std < 1e-12) return (-1f, (float)mean);
        double a = -1, b = 0;
        for (int iter = 0; iter < 50; iter++)
        {
            double ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
            for (int i = 0; i < distances.Length; i++)
            {
                double x = (distances[i] - mean) / std;
                double p = 1 / (1 + Math.Exp(-(a * x + b)));
                double r = p - similar[i];
                double w = p * (1 - p);
                ga += r * x; gb += r;
                haa += w * x * x; hab += w * x; hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (Math.Abs(det) < 1e-18) break;
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da; b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9) break;
        }
        // sigmoid(a * (d - mean) / std + b) = sigmoid((a / std) d + (b - a mean / std))
        return ((float)(a / std), (float)(b - a * mean / std));
    }

    /// <summary>The score threshold (score &gt;= t means similar) that maximizes accuracy, at a midpoint between scores.</summary>
    public static (float Threshold, double Accuracy) BestThreshold(ReadOnlySpan<float> scores, ReadOnlySpan<float> similar)
    {
        int n = scores.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(s.ToArray(), order);
        Array.Sort(s);
        int positives = 0;
        for (int i = 0; i < n; i++) if (similar[i] > 0.5f) positives++;
        // Threshold below everything: all predicted similar.
        int correct = positives;
        int best = correct;
        float bestThreshold = s.Length > 0 ? s[0] - 1e-6f : 0.5f;
        for (int k = 0; k < n; k++)
        {
            // Move item order[k] to "dissimilar".
            correct += similar[order[k]] > 0.5f ? -1 : 1;
            if (k + 1 < n && s[k + 1] == s[k]) continue;
            if (correct > best)
            {
                best = correct;
                bestThreshold = k + 1 < n ? (s[k] + s[k + 1]) / 2 : s[k] + 1e-6f;
            }
        }
        return (bestThreshold, n == 0 ? 0 : best / (double)n);
    }
}
