using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Evaluation;

[TestClass]
public sealed class OneShotEvaluatorTests
{
    /// <summary>Items of <paramref name="classes"/> classes, <paramref name="perClass"/> each, item i of class i / perClass.</summary>
    private static int[] Labels(int classes, int perClass) => Enumerable.Range(0, classes * perClass).Select(i => i / perClass).ToArray();

    /// <summary>Class c sits at (100 c, 0) with a small jitter: every class is far from every other.</summary>
    private static float[][] SeparatedEmbeddings(int[] labels, int seed)
    {
        var random = new Random(seed);
        return labels.Select(c => new[] { 100f * c + (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
    }

    private static float[][] RandomEmbeddings(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
    }

    [TestMethod]
    [DataRow(1, SupportAggregation.Prototype)]
    [DataRow(3, SupportAggregation.Prototype)]
    [DataRow(3, SupportAggregation.NearestSupport)]
    public void PerfectEmbeddingScoresOne(int shots, SupportAggregation aggregation)
    {
        int[] labels = Labels(10, 5);
        var matcher = new EmbeddingMatcher(SeparatedEmbeddings(labels, 1), aggregation: aggregation);
        var result = OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 5, Shots = shots, QueriesPerClass = 2, Episodes = 50, Seed = 3 });
        Assert.AreEqual(1.0, result.Accuracy);
        Assert.AreEqual(50, result.Episodes);
        Assert.AreEqual(50L * 5 * 2, result.Queries);
        Assert.AreEqual(result.Queries, result.Correct);
        Assert.AreEqual(50, result.PerEpisodeAccuracy.Count);
        Assert.IsTrue(result.PerEpisodeAccuracy.All(a => a == 1.0));
        Assert.AreEqual(0.0, result.ConfidenceInterval95);
    }

    [TestMethod]
    public void RandomEmbeddingScoresAboutOneOverN()
    {
        int[] labels = Labels(40, 6);
        var matcher = new EmbeddingMatcher(RandomEmbeddings(labels.Length, 8, 11));
        var result = OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 5, Episodes = 2000, Seed = 5 });
        // Chance for 5-way is 0.2; 10 000 queries give a standard error near 0.004, the fixed random embedding a bit more.
        Assert.AreEqual(0.2, result.Accuracy, 0.04);
        Assert.IsTrue(result.ConfidenceInterval95 is > 0 and < 0.05);
    }

    [TestMethod]
    public void SameSeedSameEpisodesOtherSeedOtherEpisodes()
    {
        int[] labels = Labels(30, 4);
        var matcher = new EmbeddingMatcher(RandomEmbeddings(labels.Length, 4, 2));
        var options = new OneShotEpisodeOptions { Ways = 5, Episodes = 100, Seed = 42 };
        var first = OneShotEvaluator.Evaluate(matcher, labels, options);
        var second = OneShotEvaluator.Evaluate(matcher, labels, options);
        CollectionAssert.AreEqual(first.PerEpisodeAccuracy.ToArray(), second.PerEpisodeAccuracy.ToArray());
        var other = OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 5, Episodes = 100, Seed = 43 });
        CollectionAssert.AreNotEqual(first.PerEpisodeAccuracy.ToArray(), other.PerEpisodeAccuracy.ToArray());
    }

    /// <summary>Records every episode it sees and answers "class 0".</summary>
    private sealed class RecordingMatcher : IOneShotMatcher
    {
        public List<(int Query, int[][] Support)> Calls { get; } = [];

        public int Match(int queryIndex, IReadOnlyList<IReadOnlyList<int>> supportByClass)
        {
            Calls.Add((queryIndex, supportByClass.Select(s => s.ToArray()).ToArray()));
            return 0;
        }
    }

    [TestMethod]
    public void SameGroupDrawsEveryEpisodeFromOneEligibleGroup()
    {
        // Groups: "alpha" has classes 0-4, "beta" classes 5-9, "gamma" classes 10-11 (too few for 5-way).
        int[] labels = Labels(12, 3);
        string[] groups = labels.Select(c => c < 5 ? "alpha" : c < 10 ? "beta" : "gamma").ToArray();
        var matcher = new RecordingMatcher();
        var result = OneShotEvaluator.Evaluate(matcher, labels.Select(l => $"c{l}").ToArray(),
            new OneShotEpisodeOptions { Ways = 5, Shots = 2, Episodes = 40, SameGroup = true, Seed = 9 }, groups);
        Assert.AreEqual(40 * 5, matcher.Calls.Count);
        var seenGroups = new HashSet<string>();
        foreach (var (query, support) in matcher.Calls)
        {
            Assert.AreEqual(5, support.Length);
            Assert.IsTrue(support.All(s => s.Length == 2));
            var items = support.SelectMany(s => s).Append(query).ToArray();
            Assert.AreEqual(items.Length, items.Distinct().Count(), "support and query items are distinct");
            Assert.AreEqual(5, support.Select(s => labels[s[0]]).Distinct().Count(), "five distinct classes");
            Assert.IsTrue(support.All(s => labels[s[0]] == labels[s[1]]), "a support set holds one class");
            string group = groups[query];
            Assert.IsTrue(items.All(i => groups[i] == group), "one group per episode");
            seenGroups.Add(group);
        }
        CollectionAssert.AreEquivalent(new[] { "alpha", "beta" }, seenGroups.ToArray());
        // "Class 0" is right once per episode (the query of the class drawn first): accuracy 1/5.
        Assert.AreEqual(0.2, result.Accuracy, 1e-12);
    }

    [TestMethod]
    public void PairScoreMatcherSimilarityDistanceAndBatch()
    {
        int[] labels = Labels(8, 3);
        var options = new OneShotEpisodeOptions { Ways = 4, Episodes = 30, Seed = 1 };
        var similarity = new PairScoreMatcher((q, s) => labels[q] == labels[s] ? 0.9f : 0.1f);
        Assert.AreEqual(1.0, OneShotEvaluator.Evaluate(similarity, labels, options).Accuracy);
        var distance = new PairScoreMatcher((q, s) => labels[q] == labels[s] ? 0.1f : 0.9f, higherScoreIsSimilar: false);
        Assert.AreEqual(1.0, OneShotEvaluator.Evaluate(distance, labels, options).Accuracy);
        // The wrong direction picks a wrong class every time.
        var inverted = new PairScoreMatcher((q, s) => labels[q] == labels[s] ? 0.1f : 0.9f);
        Assert.AreEqual(0.0, OneShotEvaluator.Evaluate(inverted, labels, options).Accuracy);
        int batches = 0;
        var batch = new PairScoreMatcher((int q, ReadOnlySpan<int> candidates, Span<float> scores) =>
        {
            batches++;
            for (int i = 0; i < candidates.Length; i++) scores[i] = labels[q] == labels[candidates[i]] ? 1f : 0f;
        });
        Assert.AreEqual(1.0, OneShotEvaluator.Evaluate(batch, labels, options).Accuracy);
        Assert.AreEqual(30 * 4, batches); // one call per query
    }

    [TestMethod]
    public void PrototypeAndNearestSupportDifferOnAHandExample()
    {
        // 1-D: query 0 at 0; class A support {1: -10, 2: 10} (prototype 0, nearest 10); class B support {3: 1, 4: 1.5}
        // (prototype 1.25, nearest 1). Prototype: A (0 < 1.25). Nearest support: B (1 < 10).
        float[][] e = [[0f], [-10f], [10f], [1f], [1.5f]];
        IReadOnlyList<IReadOnlyList<int>> support = [[1, 2], [3, 4]];
        Assert.AreEqual(0, new EmbeddingMatcher(e, aggregation: SupportAggregation.Prototype).Match(0, support));
        Assert.AreEqual(1, new EmbeddingMatcher(e, aggregation: SupportAggregation.NearestSupport).Match(0, support));
        Assert.AreEqual(1, new EmbeddingMatcher([0f, -10f, 10f, 1f, 1.5f], 1, aggregation: SupportAggregation.NearestSupport).Match(0, support));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingMatcher(e).Match(5, support));
    }

    [TestMethod]
    public void BadSettingsThrow()
    {
        int[] labels = Labels(6, 3);
        var matcher = new EmbeddingMatcher(RandomEmbeddings(labels.Length, 2, 0));
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 1 }));
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 5, Shots = 0 }));
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 5, QueriesPerClass = 0 }));
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 5, Episodes = 0 }));
        // 7 classes wanted, 6 exist.
        var tooMany = Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 7 }));
        Assert.Contains("only 6", tooMany.Message);
        // K = 3 needs 4 items per class; classes have 3.
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 2, Shots = 3 }));
        // SameGroup without groups, and with no group large enough.
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 2, SameGroup = true }));
        int[] groups = labels.Select(c => c / 2).ToArray(); // three groups of two classes
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 3, SameGroup = true }, groups));
        Assert.AreEqual(2, OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 2, SameGroup = true, Episodes = 2 }, groups).Episodes);
        // A class split across two groups.
        int[] inconsistent = groups.Select((g, i) => i == 0 ? 2 : g).ToArray();
        Assert.Throws<ArgumentException>(() => OneShotEvaluator.Evaluate(matcher, labels, new OneShotEpisodeOptions { Ways = 2, SameGroup = true }, inconsistent));
    }
}
