using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Evaluation;

[TestClass]
public sealed class PairMetricsTests
{
    private const double Tolerance = 1e-6;

    // Six pairs, 3 same (P) and 3 different (N):
    //   score  0.9 0.8 0.7 0.6 0.4 0.3
    //   label   T   T   F   T   F   F
    private static readonly float[] Scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.4f, 0.3f];
    private static readonly bool[] Labels = [true, true, false, true, false, false];

    [TestMethod]
    public void ThresholdMetricsMatchHandCounts()
    {
        var m = PairMetrics.Compute(Scores, Labels);
        // score >= 0.5 -> same: 0.9 0.8 0.7 0.6. TP = {0.9, 0.8, 0.6} = 3, FP = {0.7} = 1, TN = {0.4, 0.3} = 2, FN = 0.
        Assert.AreEqual(3L, m.ConfusionMatrix.TruePositives);
        Assert.AreEqual(1L, m.ConfusionMatrix.FalsePositives);
        Assert.AreEqual(2L, m.ConfusionMatrix.TrueNegatives);
        Assert.AreEqual(0L, m.ConfusionMatrix.FalseNegatives);
        Assert.AreEqual(5.0 / 6, m.Accuracy, Tolerance);      // (3 + 2) / 6
        Assert.AreEqual(0.75, m.Precision, Tolerance);        // 3 / (3 + 1)
        Assert.AreEqual(1.0, m.Recall, Tolerance);            // 3 / (3 + 0)
        Assert.AreEqual(6.0 / 7, m.F1Score, Tolerance);       // 2 * 0.75 * 1 / 1.75
        Assert.AreEqual(0.5f, m.Threshold);
        Assert.AreEqual(3L, m.PositiveCount);
        Assert.AreEqual(3L, m.NegativeCount);
        Assert.AreEqual(6L, m.Count);
    }

    [TestMethod]
    public void AucIsMannWhitneyOnHandRanks()
    {
        // Ascending ranks: 0.3 F r1, 0.4 F r2, 0.6 T r3, 0.7 F r4, 0.8 T r5, 0.9 T r6.
        // Positive rank sum 3 + 5 + 6 = 14; U = 14 - 3*4/2 = 8; AUC = 8 / (3*3) = 8/9.
        // (Pairwise: 0.9 and 0.8 beat all 3 negatives, 0.6 beats 0.4 and 0.3: 3 + 3 + 2 = 8 of 9.)
        Assert.AreEqual(8.0 / 9, PairMetrics.Compute(Scores, Labels).AreaUnderRocCurve, Tolerance);
    }

    [TestMethod]
    public void EerAtExactRocPoint()
    {
        // ROC walking the threshold down (FAR, TPR): (0,0) -> 0.9 T (0,1/3) -> 0.8 T (0,2/3) -> 0.7 F (1/3,2/3).
        // At the last point FAR = 1/3 and FRR = 1 - 2/3 = 1/3: the crossing, EER = 1/3.
        Assert.AreEqual(1.0 / 3, PairMetrics.Compute(Scores, Labels).EqualErrorRate, Tolerance);
    }

    [TestMethod]
    public void EerInterpolatesInsideASegment()
    {
        // Scores 0.9 T, 0.5 F, 0.1 T (P = 2, N = 1). ROC: (0,0) -> (0,0.5) [FAR-FRR = -0.5] -> (1,0.5) [+0.5].
        // The sign change lies halfway along the second segment: (0.5, 0.5): FAR = 0.5, FRR = 1 - 0.5 = 0.5.
        var m = PairMetrics.Compute([0.9f, 0.5f, 0.1f], [true, false, true]);
        Assert.AreEqual(0.5, m.EqualErrorRate, Tolerance);
    }

    [TestMethod]
    public void BestThresholdIsMostPermissiveBestMidpoint()
    {
        // Correct counts for "score >= t": t=0.35 -> 4, t=0.5 -> 5, t=0.65 -> 4, t=0.75 -> 5, t=0.85 -> 4,
        // -inf (all same) -> 3, +inf (all different) -> 3. Best 5/6, tie 0.5 vs 0.75: the lower (more permissive) wins.
        var m = PairMetrics.Compute(Scores, Labels);
        Assert.AreEqual(0.5, m.BestThreshold, Tolerance);      // (0.4 + 0.6) / 2
        Assert.AreEqual(5.0 / 6, m.BestThresholdAccuracy, Tolerance);
    }

    [TestMethod]
    public void TiedScoresGetHalfCredit()
    {
        // All four scores tie: every (same, different) comparison is a tie worth 1/2 -> AUC 0.5.
        var allTied = PairMetrics.Compute([0.5f, 0.5f, 0.5f, 0.5f], [true, false, true, false]);
        Assert.AreEqual(0.5, allTied.AreaUnderRocCurve, Tolerance);
        // ROC is one diagonal segment (0,0) -> (1,1); FAR = FRR at its middle: EER 0.5.
        Assert.AreEqual(0.5, allTied.EqualErrorRate, Tolerance);

        // 0.8 T, 0.5 T, 0.5 F, 0.2 F. Pairwise: 0.8>0.5F 1, 0.8>0.2 1, 0.5T=0.5F 1/2, 0.5T>0.2 1 -> 3.5/4 = 0.875.
        // Average ranks: 0.2 r1, the two 0.5 r2.5, 0.8 r4; positives 4 + 2.5 = 6.5; U = 6.5 - 3 = 3.5.
        var someTied = PairMetrics.Compute([0.8f, 0.5f, 0.5f, 0.2f], [true, true, false, false]);
        Assert.AreEqual(0.875, someTied.AreaUnderRocCurve, Tolerance);
        // ROC: (0,0) -> 0.8 T (0,0.5) [f=-0.5] -> tied group 0.5 {T,F} (0.5,1) [f=+0.5]; halfway: (0.25, 0.75) -> EER 0.25.
        Assert.AreEqual(0.25, someTied.EqualErrorRate, Tolerance);
    }

    [TestMethod]
    public void PerfectScorer()
    {
        var m = PairMetrics.Compute([0.9f, 0.8f, 0.2f, 0.1f], [true, true, false, false]);
        Assert.AreEqual(1.0, m.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(0.0, m.EqualErrorRate, Tolerance);
        Assert.AreEqual(1.0, m.Accuracy, Tolerance);
        Assert.AreEqual(0.5, m.BestThreshold, Tolerance);     // (0.2 + 0.8) / 2
        Assert.AreEqual(1.0, m.BestThresholdAccuracy, Tolerance);
    }

    [TestMethod]
    public void InvertedScorer()
    {
        var m = PairMetrics.Compute([0.9f, 0.8f, 0.2f, 0.1f], [false, false, true, true]);
        Assert.AreEqual(0.0, m.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(1.0, m.EqualErrorRate, Tolerance);
        Assert.AreEqual(0.0, m.Accuracy, Tolerance);
        // Midpoints give 1, 0, 1 correct; accepting everything gives 2 (the two same pairs): strictly better -> -inf.
        Assert.AreEqual(double.NegativeInfinity, m.BestThreshold);
        Assert.AreEqual(0.5, m.BestThresholdAccuracy, Tolerance);
    }

    [TestMethod]
    public void AllOneLabelGivesNaNRocButDefinedAccuracy()
    {
        var m = PairMetrics.Compute([0.9f, 0.1f], [true, true]);
        Assert.IsTrue(double.IsNaN(m.AreaUnderRocCurve));
        Assert.IsTrue(double.IsNaN(m.EqualErrorRate));
        Assert.AreEqual(0.5, m.Accuracy, Tolerance);          // 0.9 accepted, 0.1 rejected
        Assert.AreEqual(0.5, m.Recall, Tolerance);
        Assert.AreEqual(1.0, m.Precision, Tolerance);
        Assert.AreEqual(double.NegativeInfinity, m.BestThreshold); // accept all: 2/2
        Assert.AreEqual(1.0, m.BestThresholdAccuracy, Tolerance);
        Assert.AreEqual(0L, m.NegativeCount);

        var negatives = PairMetrics.Compute([0.9f, 0.1f], [false, false]);
        Assert.IsTrue(double.IsNaN(negatives.AreaUnderRocCurve));
        Assert.AreEqual(0.0, negatives.Precision);            // TP + FP = 1 but TP = 0
        Assert.AreEqual(0.0, negatives.Recall);               // no positives: 0 by convention
        Assert.AreEqual(0.0, negatives.F1Score);
        Assert.AreEqual(double.PositiveInfinity, negatives.BestThreshold); // reject all: 2/2
    }

    [TestMethod]
    public void EmptyInputThrows()
    {
        var e = Assert.Throws<ArgumentException>(() => PairMetrics.Compute([], []));
        Assert.Contains("no pairs", e.Message);
    }

    [TestMethod]
    public void NaNScoreThrowsNamingTheRow()
    {
        var e = Assert.Throws<ArgumentException>(() => PairMetrics.Compute([0.1f, 0.2f, float.NaN], [true, false, true]));
        Assert.Contains("row) 2", e.Message);
    }

    [TestMethod]
    public void LengthMismatchThrows()
    {
        Assert.Throws<ArgumentException>(() => PairMetrics.Compute([0.1f, 0.2f], [true]));
        Assert.Throws<ArgumentException>(() => PairMetrics.Compute([0.1f, 0.2f], [true, false], [true]));
    }

    [TestMethod]
    public void PredictedLabelsOverrideTheThreshold()
    {
        // Predictions T F F T F F against labels T T F T F F: TP = rows 0, 3; FN = row 1; TN = rows 2, 4, 5.
        var m = PairMetrics.Compute(Scores, Labels, [true, false, false, true, false, false]);
        Assert.IsNull(m.Threshold);
        Assert.AreEqual(5.0 / 6, m.Accuracy, Tolerance);
        Assert.AreEqual(1.0, m.Precision, Tolerance);         // 2 / 2
        Assert.AreEqual(2.0 / 3, m.Recall, Tolerance);        // 2 / 3
        Assert.AreEqual(0.8, m.F1Score, Tolerance);           // 2 * 1 * 2/3 / (5/3)
        Assert.AreEqual(8.0 / 9, m.AreaUnderRocCurve, Tolerance); // threshold-free metrics unchanged
    }

    [TestMethod]
    public void DistancesMirrorSimilarities()
    {
        // distance = 1 - score: same ordering reversed, "same" when distance <= 0.5 accepts the same four pairs.
        float[] distances = Scores.Select(s => 1f - s).ToArray();
        var m = PairMetrics.Compute(distances, Labels, threshold: 0.5f, higherScoreIsSimilar: false);
        Assert.IsFalse(m.HigherScoreIsSimilar);
        Assert.AreEqual(5.0 / 6, m.Accuracy, Tolerance);
        Assert.AreEqual(8.0 / 9, m.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(1.0 / 3, m.EqualErrorRate, Tolerance);
        // The best similarity cuts 0.5 and 0.75 are distance cuts 0.5 and 0.25; the permissive one is 0.5.
        Assert.AreEqual(0.5, m.BestThreshold, Tolerance);
        Assert.AreEqual(5.0 / 6, m.BestThresholdAccuracy, Tolerance);
    }

    [TestMethod]
    public void ConfusionMatrixPrintsATable()
    {
        var text = new PairConfusionMatrix(3, 1, 2, 0).ToString();
        Assert.Contains("Pred same", text);
        Assert.Contains("Different", text);
        Assert.AreEqual(3, text.Split(Environment.NewLine).Length);
        Assert.AreEqual(6L, new PairConfusionMatrix(3, 1, 2, 0).Total);
        StringAssert.Contains(PairMetrics.Compute(Scores, Labels).ToString(), "AUC=0.8889");
    }
}
