using CsCheck;
using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Properties;

/// <summary>
/// Property tests (CsCheck) of the pair and retrieval metrics on random inputs with many ties: the AUC equals a
/// brute-force Mann-Whitney count, does not depend on the order of the pairs, and is the same for distances as for
/// negated similarities; the best threshold is at least as accurate as any other; MAP@R never exceeds R-precision.
/// </summary>
[TestClass]
public sealed class MetricPropertyTests
{
    /// <summary>Pairs with scores from a small set (so ties are common) and both labels present.</summary>
    private static readonly Gen<(float[] Scores, bool[] Labels)> Pairs =
        Gen.Int[2, 60].SelectMany(n => Gen.Select(Gen.Int[0, 8].Select(i => i / 8f).Array[n], Gen.Bool.Array[n]))
            .Where(t => t.Item2.Contains(true) && t.Item2.Contains(false));

    [TestMethod]
    public void AucEqualsTheBruteForceMannWhitneyCount() =>
        Pairs.Sample(t =>
        {
            var (scores, labels) = t;
            double wins = 0;
            long comparisons = 0;
            for (int i = 0; i < scores.Length; i++)
                for (int j = 0; j < scores.Length; j++)
                    if (labels[i] && !labels[j])
                    {
                        comparisons++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
            var metrics = PairMetrics.Compute(scores, labels);
            Assert.AreEqual(wins / comparisons, metrics.AreaUnderRocCurve, 1e-12);
        });

    [TestMethod]
    public void MetricsDoNotDependOnTheOrderOfThePairs() =>
        Gen.Select(Pairs, Gen.Int).Sample(t =>
        {
            var ((scores, labels), seed) = t;
            int[] order = Enumerable.Range(0, scores.Length).OrderBy(_ => Random.Shared.Next()).ToArray();
            new Random(seed).Shuffle(order);
            var a = PairMetrics.Compute(scores, labels);
            var b = PairMetrics.Compute(order.Select(i => scores[i]).ToArray(), order.Select(i => labels[i]).ToArray());
            Assert.AreEqual(a.AreaUnderRocCurve, b.AreaUnderRocCurve, 1e-12);
            Assert.AreEqual(a.EqualErrorRate, b.EqualErrorRate, 1e-12);
            Assert.AreEqual(a.Accuracy, b.Accuracy, 1e-12);
            Assert.AreEqual(a.BestThresholdAccuracy, b.BestThresholdAccuracy, 1e-12);
        });

    [TestMethod]
    public void DistancesGiveTheMetricsOfNegatedSimilarities() =>
        Pairs.Sample(t =>
        {
            var (scores, labels) = t;
            var similarities = PairMetrics.Compute(scores, labels);
            var distances = PairMetrics.Compute(scores.Select(s => -s).ToArray(), labels, higherScoreIsSimilar: false);
            Assert.AreEqual(similarities.AreaUnderRocCurve, distances.AreaUnderRocCurve, 1e-12);
            Assert.AreEqual(similarities.EqualErrorRate, distances.EqualErrorRate, 1e-12);
            Assert.AreEqual(similarities.BestThresholdAccuracy, distances.BestThresholdAccuracy, 1e-12);
        });

    [TestMethod]
    public void TheBestThresholdIsAtLeastAsAccurateAsAnyOtherAndReproducesItsAccuracy() =>
        Pairs.Sample(t =>
        {
            var (scores, labels) = t;
            var metrics = PairMetrics.Compute(scores, labels);
            double AccuracyAt(double threshold) => scores.Zip(labels).Count(p => (p.First >= threshold) == p.Second) / (double)scores.Length;
            Assert.AreEqual(AccuracyAt(metrics.BestThreshold), metrics.BestThresholdAccuracy, 1e-12);
            foreach (double threshold in scores.Select(s => (double)s).Append(double.NegativeInfinity).Append(double.PositiveInfinity))
                Assert.IsGreaterThanOrEqualTo(AccuracyAt(threshold) - 1e-12, metrics.BestThresholdAccuracy);
            Assert.IsTrue(metrics.EqualErrorRate is >= 0 and <= 1, $"EER {metrics.EqualErrorRate}");
        });

    [TestMethod]
    public void RetrievalMetricsAreBoundedAndMapAtRNeverExceedsRPrecision() =>
        Gen.Int[2, 30].SelectMany(n => Gen.Select(Gen.Int[0, 3].Array[n], Gen.Int[-3, 3].Select(i => (float)i).Array[n * 2]))
            .Sample(t =>
            {
                var (labels, values) = t;
                var embeddings = Enumerable.Range(0, labels.Length).Select(i => values.AsSpan(2 * i, 2).ToArray()).ToList();
                var metrics = RetrievalMetrics.Compute(embeddings, labels);
                if (metrics.QueryCount == 0)
                    return;
                Assert.IsTrue(metrics.PrecisionAt1 is >= 0 and <= 1);
                Assert.IsTrue(metrics.RPrecision is >= 0 and <= 1);
                Assert.IsTrue(metrics.MapAtR >= 0 && metrics.MapAtR <= metrics.RPrecision + 1e-12, $"MAP@R {metrics.MapAtR} > R-precision {metrics.RPrecision}");
            });

    [TestMethod]
    public void PerfectlySeparatedEmbeddingsScoreOne() =>
        Gen.Int[0, 4].Array[4, 40].Where(l => l.GroupBy(x => x).Any(g => g.Count() >= 2)).Sample(labels =>
        {
            var embeddings = labels.Select(l => new[] { 100f * l, 0f }).ToList();
            var metrics = RetrievalMetrics.Compute(embeddings, labels);
            Assert.AreEqual(1.0, metrics.PrecisionAt1, 1e-12);
            Assert.AreEqual(1.0, metrics.RPrecision, 1e-12);
            Assert.AreEqual(1.0, metrics.MapAtR, 1e-12);
        });
}
