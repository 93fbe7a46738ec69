namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Threshold-free statistics of scored pairs (higher score = more similar = "same"): area under the ROC curve,
/// equal error rate and the accuracy-maximising threshold. Every method takes the scores sorted ascending.
/// </summary>
internal static class RocAnalysis
{
    /// <summary>Returns the indices of <paramref name="scores"/> in ascending score order (stable).</summary>
    public static int[] SortAscending(ReadOnlySpan<float> scores)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        float[] keys = scores.ToArray();
        // Array.Sort is not stable; equal scores are grouped anyway, and every statistic below treats a group of
        // tied scores as one unit, so the order inside a group never matters.
        Array.Sort(keys, order);
        return order;
    }

    /// <summary>
    /// Mann-Whitney U statistic divided by (positives x negatives), with average ranks for tied scores: the
    /// probability that a random same pair scores above a random different pair, ties counting one half.
    /// NaN when either class is empty.
    /// </summary>
    public static double AreaUnderRocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int[] ascending, long positives, long negatives)
    {
        if (positives == 0 || negatives == 0) return double.NaN;
        double positiveRankSum = 0;
        int n = ascending.Length;
        for (int start = 0; start < n;)
        {
            int end = start;
            long groupPositives = 0;
            float value = scores[ascending[start]];
            while (end < n && scores[ascending[end]] == value)
            {
                if (labels[ascending[end]]) groupPositives++;
                end++;
            }
            // Ranks start+1 .. end (1-based) share their average.
            double averageRank = (start + 1 + end) / 2.0;
            positiveRankSum += groupPositives * averageRank;
            start = end;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// Equal error rate: walks the ROC curve from the strictest threshold (nothing accepted: false accept rate 0,
    /// false reject rate 1) to the loosest (everything accepted), one point per group of tied scores, and linearly
    /// interpolates the segment on which false accept rate - false reject rate changes sign. NaN when either class
    /// is empty.
    /// </summary>
    public static double EqualErrorRate(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int[] ascending, long positives, long negatives)
    {
        if (positives == 0 || negatives == 0) return double.NaN;
        double previousFar = 0, previousTpr = 0;
        long truePositives = 0, falsePositives = 0;
        for (int end = ascending.Length; end > 0;)
        {
            int start = end;
            float value = scores[ascending[end - 1]];
            while (start > 0 && scores[ascending[start - 1]] == value)
            {
                start--;
                if (labels[ascending[start]]) truePositives++; else falsePositives++;
            }
            end = start;
            double far = (double)falsePositives / negatives;
            double tpr = (double)truePositives / positives;
            // f = FAR - FRR = FAR + TPR - 1 rises from -1 at (0, 0) to +1 at (1, 1).
            double f = far + tpr - 1;
            if (f >= 0)
            {
                double previousF = previousFar + previousTpr - 1;
                double alpha = -previousF / (f - previousF);
                return previousFar + alpha * (far - previousFar);
            }
            previousFar = far;
            previousTpr = tpr;
        }
        return 1; // not reached: the last point is (1, 1) where f = 1
    }

    /// <summary>
    /// The threshold t maximising the accuracy of "score &gt;= t means same" over every distinct cut: the midpoints
    /// between consecutive distinct scores, and -infinity (everything same) / +infinity (everything different).
    /// Among equally accurate cuts the lowest finite one wins; an infinite cut is chosen only when strictly better.
    /// </summary>
    public static (double Threshold, double Accuracy) BestThreshold(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int[] ascending, long positives, long negatives)
    {
        long total = positives + negatives;
        // Threshold below every score: every pair predicted same.
        long truePositives = positives, falsePositives = negatives;
        long bestCorrect = -1;
        double bestThreshold = double.NaN;
        long allSameCorrect = positives;
        int n = ascending.Length;
        for (int start = 0; start < n;)
        {
            int end = start;
            float value = scores[ascending[start]];
            while (end < n && scores[ascending[end]] == value)
            {
                if (labels[ascending[end]]) truePositives--; else falsePositives--;
                end++;
            }
            if (end < n)
            {
                long correct = truePositives + (negatives - falsePositives);
                if (correct > bestCorrect)
                {
                    bestCorrect = correct;
                    bestThreshold = ((double)value + scores[ascending[end]]) / 2.0;
                }
            }
            start = end;
        }
        if (allSameCorrect > bestCorrect)
        {
            bestCorrect = allSameCorrect;
            bestThreshold = double.NegativeInfinity;
        }
        long allDifferentCorrect = negatives;
        if (allDifferentCorrect > bestCorrect)
        {
            bestCorrect = allDifferentCorrect;
            bestThreshold = double.PositiveInfinity;
        }
        return (bestThreshold, (double)bestCorrect / total);
    }
}
