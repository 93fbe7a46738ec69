using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Evaluation;

/// <summary>DIR@FAR, rank-1/5 and FAR on outcomes small enough to count by hand.</summary>
[TestClass]
public sealed class OpenSetIdentificationMetricsTests
{
    // Enrolled queries: a (right, 0.1), b (wrong first, right second, 0.2), c (right, 0.5), d (label sixth, 0.3).
    // Impostors: x 0.15, y 0.4, z 0.6, w 0.9.
    private static readonly IdentificationOutcome[] Outcomes =
    [
        new("a", true, ["a", "b"], 0.1f),
        new("b", true, ["c", "b"], 0.2f),
        new("c", true, ["c", "a"], 0.5f),
        new("d", true, ["a", "b", "c", "e", "f", "d"], 0.3f),
        new("x", false, ["a"], 0.15f),
        new("y", false, ["b"], 0.4f),
        new("z", false, ["c"], 0.6f),
        new("w", false, ["a"], 0.9f),
    ];

    [TestMethod]
    public void RatesAtAThresholdAreCountedByHand()
    {
        var m = OpenSetIdentificationMetrics.AtThreshold(Outcomes, 0.45f);
        // Accepted enrolled and right: a (0.1) only; b is wrong first, c is above 0.45, d is wrong first.
        Assert.AreEqual(1 / 4.0, m.DetectionAndIdentificationRate, 1e-12);
        // Accepted impostors: x (0.15), y (0.4).
        Assert.AreEqual(2 / 4.0, m.FalseAcceptRate, 1e-12);
        // Rank-1: a, c. Rank-5: a, b, c (d's label is sixth).
        Assert.AreEqual(2 / 4.0, m.Rank1, 1e-12);
        Assert.AreEqual(3 / 4.0, m.Rank5, 1e-12);
        Assert.AreEqual(4, m.EnrolledQueryCount);
        Assert.AreEqual(4, m.ImpostorQueryCount);
    }

    [TestMethod]
    public void DirAtFarUsesTheLargestThresholdWithinTheTargetRate()
    {
        // FAR 25 %: one of four impostors may pass, so t is just below the second smallest impostor (0.4).
        var quarter = OpenSetIdentificationMetrics.Compute(Outcomes, 0.25);
        Assert.AreEqual(MathF.BitDecrement(0.4f), quarter.Threshold);
        Assert.AreEqual(0.25, quarter.FalseAcceptRate, 1e-12);
        Assert.AreEqual(0.25, quarter.DetectionAndIdentificationRate, 1e-12);
        // FAR 0: no impostor may pass: t just below 0.15; only a (0.1) is accepted and right.
        var zero = OpenSetIdentificationMetrics.Compute(Outcomes, 0);
        Assert.AreEqual(0.0, zero.FalseAcceptRate);
        Assert.AreEqual(0.25, zero.DetectionAndIdentificationRate, 1e-12);
        // FAR 100 %: everything passes; DIR equals rank-1.
        var all = OpenSetIdentificationMetrics.Compute(Outcomes, 1);
        Assert.AreEqual(float.PositiveInfinity, all.Threshold);
        Assert.AreEqual(all.Rank1, all.DetectionAndIdentificationRate, 1e-12);
    }

    [TestMethod]
    public void TheThresholdRuleNeverAcceptsMoreThanTheTargetEvenWithTies()
    {
        float[] ties = [0.2f, 0.2f, 0.2f, 0.5f];
        float t = OpenSetThreshold.ForFalseAcceptRate(ties, 0.5);
        Assert.IsLessThanOrEqualTo(0.5, OpenSetThreshold.AcceptedFraction(ties, t));
        Assert.AreEqual(0.0, OpenSetThreshold.AcceptedFraction(ties, t), "the tie at 0.2 is rejected as a block");
    }

    [TestMethod]
    public void BadInputIsNamed()
    {
        Assert.ThrowsExactly<ArgumentException>(() => OpenSetIdentificationMetrics.AtThreshold([], 1f));
        var none = Assert.ThrowsExactly<ArgumentException>(() => OpenSetIdentificationMetrics.AtThreshold([new("q", true, [], 0.1f)], 1f));
        StringAssert.Contains(none.Message, "'q'");
        Assert.ThrowsExactly<ArgumentException>(() => OpenSetIdentificationMetrics.Compute([new("a", true, ["a"], 0.1f)], 0.01));
        Assert.ThrowsExactly<ArgumentException>(() => OpenSetThreshold.ForFalseAcceptRate([], 0.01));
    }
}
