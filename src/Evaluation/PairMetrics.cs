using System.Globalization;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Quality of a same/different pair classifier, the Siamese counterpart of ML.NET's
/// <c>BinaryClassificationMetrics</c>. The positive class is "same" (label <c>true</c>). Scores are similarities
/// (higher = more similar, a pair is "same" when score &gt;= threshold) unless <see cref="HigherScoreIsSimilar"/> is
/// false, in which case they are distances (lower = more similar, "same" when distance &lt;= threshold).
/// </summary>
/// <remarks>
/// <see cref="AreaUnderRocCurve"/> and <see cref="EqualErrorRate"/> are NaN when every pair carries the same label
/// (no ROC curve exists); accuracy, precision, recall and the best threshold are still defined.
/// </remarks>
public sealed class PairMetrics
{
    private PairMetrics() { }

    /// <summary>Fraction of pairs classified correctly by the model's own decision: the predicted labels when given,
    /// otherwise <see cref="Threshold"/>.</summary>
    public double Accuracy { get; private init; }

    /// <summary>The threshold <see cref="Accuracy"/> was measured at, or null when predicted labels were used.</summary>
    public float? Threshold { get; private init; }

    /// <summary>TP / (TP + FP) at the model's decision; 0 when nothing is predicted same (the ML.NET convention).</summary>
    public double Precision { get; private init; }

    /// <summary>TP / (TP + FN) at the model's decision (true accept rate); 0 when there are no same pairs.</summary>
    public double Recall { get; private init; }

    /// <summary>Harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>; 0 when both are 0.</summary>
    public double F1Score { get; private init; }

    /// <summary>The confusion matrix at the model's decision.</summary>
    public PairConfusionMatrix ConfusionMatrix { get; private init; } = null!;

    /// <summary>
    /// The threshold maximising accuracy over every cut between consecutive distinct scores (the midpoints), in the
    /// units of the scores: a pair is "same" when score &gt;= it (or distance &lt;= it for distances). It is
    /// -infinity (+infinity for distances) when accepting every pair as "same" is strictly best, and +infinity
    /// (-infinity for distances) when rejecting every pair is. Among equally accurate midpoints the most permissive
    /// one (accepting the most pairs as "same") wins.
    /// </summary>
    public double BestThreshold { get; private init; }

    /// <summary>The accuracy reached at <see cref="BestThreshold"/> (an optimistic, in-sample figure).</summary>
    public double BestThresholdAccuracy { get; private init; }

    /// <summary>
    /// Area under the ROC curve: the probability that a random same pair is rated more similar than a random
    /// different pair, ties counting one half (Mann-Whitney U with average ranks). NaN when all pairs share one label.
    /// </summary>
    public double AreaUnderRocCurve { get; private init; }

    /// <summary>
    /// Equal error rate: the false accept rate (= false reject rate) where the two cross on the ROC curve, linearly
    /// interpolated between ROC points. 0 for a perfect scorer, 1 for an inverted one, NaN when all pairs share one label.
    /// </summary>
    public double EqualErrorRate { get; private init; }

    /// <summary>Number of same (true) pairs.</summary>
    public long PositiveCount { get; private init; }

    /// <summary>Number of different (false) pairs.</summary>
    public long NegativeCount { get; private init; }

    /// <summary>Total number of pairs.</summary>
    public long Count => PositiveCount + NegativeCount;

    /// <summary>True when scores are similarities (higher = more similar), false when they are distances.</summary>
    public bool HigherScoreIsSimilar { get; private init; }

    /// <summary>
    /// Computes every pair metric from plain arrays.
    /// </summary>
    /// <param name="scores">One score per pair: a similarity, or a distance when <paramref name="higherScoreIsSimilar"/> is false. NaN is rejected.</param>
    /// <param name="labels">One label per pair: true = same class.</param>
    /// <param name="predicted">The model's own same/different decisions; when null, <paramref name="threshold"/> decides.</param>
    /// <param name="threshold">The decision threshold used when <paramref name="predicted"/> is null.</param>
    /// <param name="higherScoreIsSimilar">True for similarities (same when score &gt;= threshold), false for distances (same when distance &lt;= threshold).</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">No pairs, mismatched lengths, or a NaN score (the message names the row).</exception>
    public static PairMetrics Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, bool[]? predicted = null, float threshold = 0.5f, bool higherScoreIsSimilar = true)
    {
        if (scores.Length == 0) throw new ArgumentException("Cannot evaluate: there are no pairs.", nameof(scores));
        if (labels.Length != scores.Length)
            throw new ArgumentException($"There are {scores.Length} scores but {labels.Length} labels.", nameof(labels));
        if (predicted is not null && predicted.Length != scores.Length)
            throw new ArgumentException($"There are {scores.Length} scores but {predicted.Length} predicted labels.", nameof(predicted));
        if (predicted is null && float.IsNaN(threshold))
            throw new ArgumentException("The threshold cannot be NaN.", nameof(threshold));

        // Work in similarity space: a distance d becomes the similarity -d, a distance threshold t becomes -t.
        float[] similarity = new float[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (float.IsNaN(s))
                throw new ArgumentException($"The score of pair (row) {i} is NaN.", nameof(scores));
            similarity[i] = higherScoreIsSimilar ? s : -s;
        }
        float similarityThreshold = higherScoreIsSimilar ? threshold : -threshold;

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < similarity.Length; i++)
        {
            bool same = predicted is not null ? predicted[i] : similarity[i] >= similarityThreshold;
            if (labels[i]) { if (same) tp++; else fn++; }
            else { if (same) fp++; else tn++; }
        }
        long positives = tp + fn, negatives = fp + tn;
        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = positives == 0 ? 0 : (double)tp / positives;

        int[] ascending = RocAnalysis.SortAscending(similarity);
        var (bestThreshold, bestAccuracy) = RocAnalysis.BestThreshold(similarity, labels, ascending, positives, negatives);

        return new PairMetrics
        {
            Accuracy = (double)(tp + tn) / scores.Length,
            Threshold = predicted is null ? threshold : null,
            Precision = precision,
            Recall = recall,
            F1Score = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            ConfusionMatrix = new PairConfusionMatrix(tp, fp, tn, fn),
            BestThreshold = higherScoreIsSimilar ? bestThreshold : -bestThreshold,
            BestThresholdAccuracy = bestAccuracy,
            AreaUnderRocCurve = RocAnalysis.AreaUnderRocCurve(similarity, labels, ascending, positives, negatives),
            EqualErrorRate = RocAnalysis.EqualErrorRate(similarity, labels, ascending, positives, negatives),
            PositiveCount = positives,
            NegativeCount = negatives,
            HigherScoreIsSimilar = higherScoreIsSimilar,
        };
    }

    /// <summary>A one-line summary of the headline metrics (invariant culture).</summary>
    /// <returns>The summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Pairs={Count} (same={PositiveCount}, different={NegativeCount}) Accuracy={Accuracy:F4} AUC={AreaUnderRocCurve:F4} EER={EqualErrorRate:F4} " +
        $"F1={F1Score:F4} Precision={Precision:F4} Recall={Recall:F4} BestThreshold={BestThreshold:G6} (accuracy {BestThresholdAccuracy:F4})");
}
