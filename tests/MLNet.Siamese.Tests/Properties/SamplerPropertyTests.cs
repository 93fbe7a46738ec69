using CsCheck;
using MLNet.Siamese.Sampling;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Tests.Properties;

/// <summary>
/// Property tests (CsCheck) of the batch sampler on random class layouts: pairs are labelled by whether their classes
/// agree and the same-class share is exact; triplets and episodes respect their classes; the same seed draws the same batch.
/// </summary>
[TestClass]
public sealed class SamplerPropertyTests
{
    /// <summary>A class for each item (at least two classes with two items each), and a seed.</summary>
    private static readonly Gen<(int[] Classes, long Seed)> Layouts =
        Gen.Select(Gen.Int[0, 5].Array[4, 40], Gen.Long)
            .Where(t => t.Item1.GroupBy(c => c).Count(g => g.Count() >= 2) >= 2);

    [TestMethod]
    public void PairsAreLabelledByTheirClassesAndTheSameClassShareIsExact() =>
        Gen.Select(Layouts, Gen.Int[1, 64], Gen.Double[0, 1]).Sample(t =>
        {
            var ((classes, seed), count, fraction) = t;
            var batch = new BatchSampler(ClassTable.FromIds(classes), new SiameseRandom(seed)).SamplePairs(count, fraction);
            Assert.HasCount(count, batch.Left);
            for (int i = 0; i < count; i++)
            {
                bool same = classes[batch.Left[i]] == classes[batch.Right[i]];
                Assert.AreEqual(same ? 1f : 0f, batch.Similar[i], $"pair {i}");
                if (same)
                    Assert.AreNotEqual(batch.Left[i], batch.Right[i], "a same-class pair holds two different items");
            }
            Assert.AreEqual((int)Math.Round(count * fraction, MidpointRounding.AwayFromZero), batch.Similar.Count(s => s == 1f));
        });

    [TestMethod]
    public void TripletsHoldTwoItemsOfOneClassAndOneOfAnother() =>
        Gen.Select(Layouts, Gen.Int[1, 32]).Sample(t =>
        {
            var ((classes, seed), count) = t;
            var batch = new BatchSampler(ClassTable.FromIds(classes), new SiameseRandom(seed)).SampleTriplets(count);
            for (int i = 0; i < count; i++)
            {
                Assert.AreEqual(classes[batch.Anchor[i]], classes[batch.Positive[i]]);
                Assert.AreNotEqual(batch.Anchor[i], batch.Positive[i]);
                Assert.AreNotEqual(classes[batch.Anchor[i]], classes[batch.Negative[i]]);
            }
        });

    [TestMethod]
    public void EpisodesKeepQueriesOutOfTheSupportAndPointAtTheirClass() =>
        Gen.Select(Layouts, Gen.Int[2, 5], Gen.Int[1, 2]).Sample(t =>
        {
            var ((classes, seed), ways, shots) = t;
            var index = ClassTable.FromIds(classes);
            if (!index.NonEmptyClasses.Any(c => index.RowsOfClass[c].Length >= shots + 1))
                return;
            var episode = new BatchSampler(index, new SiameseRandom(seed)).SampleEpisode(ways, shots, queries: 1);
            Assert.IsEmpty(episode.Support.Intersect(episode.Query), "no query is also a support item");
            int episodeWays = episode.Support.Length / shots;
            for (int q = 0; q < episode.Query.Length; q++)
            {
                long target = episode.QueryTarget[q];
                Assert.IsTrue(target >= 0 && target < episodeWays);
                Assert.AreEqual(classes[episode.Query[q]], classes[episode.Support[target * shots]], $"query {q} points at its class's support");
            }
        });

    [TestMethod]
    public void TheSameSeedDrawsTheSameBatch() =>
        Layouts.Sample(t =>
        {
            var (classes, seed) = t;
            var a = new BatchSampler(ClassTable.FromIds(classes), new SiameseRandom(seed)).SamplePairs(16);
            var b = new BatchSampler(ClassTable.FromIds(classes), new SiameseRandom(seed)).SamplePairs(16);
            CollectionAssert.AreEqual(a.Left, b.Left);
            CollectionAssert.AreEqual(a.Right, b.Right);
            CollectionAssert.AreEqual(a.Similar, b.Similar);
        });
}
