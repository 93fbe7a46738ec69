using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Index;

[TestClass]
public sealed class SimilarityIndexSearchTests
{
    private const double Tolerance = 1e-4;

    [TestMethod]
    [DataRow(VectorDistance.Euclidean, 1)]
    [DataRow(VectorDistance.Euclidean, 2)]
    [DataRow(VectorDistance.Cosine, 1)]
    [DataRow(VectorDistance.Cosine, 2)]
    public void TopKMatchesTheBruteForceReference(VectorDistance distance, int seed)
    {
        var gallery = IndexTestData.RandomVectors(500, 24, seed);
        var queries = IndexTestData.RandomVectors(40, 24, seed + 100);
        var index = IndexTestData.Build(gallery, distance);
        foreach (int k in new[] { 1, 5, 37, 500 })
        {
            foreach (var query in queries)
            {
                var result = index.Search(query, k);
                var reference = IndexTestData.ReferenceRanking(gallery, query, distance);
                Assert.HasCount(k, result);
                double kth = reference[k - 1].Distance;
                for (int i = 0; i < k; i++)
                {
                    int position = int.Parse(result[i].Id.AsSpan(4));
                    double truth = IndexTestData.ReferenceDistance(query, gallery[position], distance);
                    Assert.AreEqual(truth, result[i].Distance, Tolerance, $"distance of {result[i].Id}");
                    Assert.AreEqual(reference[i].Distance, result[i].Distance, Tolerance, $"rank {i} distance");
                    Assert.AreEqual($"class{position % 7}", result[i].Label);
                    if (i > 0) Assert.IsGreaterThanOrEqualTo(result[i - 1].Distance, result[i].Distance, "ascending");
                }
                // Exactly the true top k, except where a float rounding could swap items at the boundary.
                var returned = result.Select(r => int.Parse(r.Id.AsSpan(4))).ToHashSet();
                foreach (var (position, d) in reference)
                {
                    if (d < kth - Tolerance) Assert.Contains(position, returned, $"item{position} at {d} is inside the top {k}");
                    if (d > kth + Tolerance) Assert.DoesNotContain(position, returned, $"item{position} at {d} is outside the top {k}");
                }
            }
        }
    }

    [TestMethod]
    [DataRow(VectorDistance.Euclidean)]
    [DataRow(VectorDistance.Cosine)]
    public void EqualDistancesAreOrderedByInsertion(VectorDistance distance)
    {
        // Three copies of each of four vectors, interleaved; for cosine the copies are scaled by 1, 2, 4 (same direction,
        // and power-of-two scaling is exact in floating point, so the distances tie exactly).
        var basis = IndexTestData.RandomVectors(4, 8, 3);
        var index = new SimilarityIndex(8, distance);
        var expected = new List<string>();
        for (int copy = 0; copy < 3; copy++)
            for (int b = 0; b < 4; b++)
                index.Add($"b{b}c{copy}", $"b{b}", distance == VectorDistance.Cosine ? basis[b].Select(v => v * (1 << copy)).ToArray() : basis[b]);
        var result = index.Search(basis[2], 12);
        CollectionAssert.AreEqual(new[] { "b2c0", "b2c1", "b2c2" }, result.Take(3).Select(r => r.Id).ToArray());
        Assert.AreEqual(0f, result[0].Distance, 1e-6f);
        Assert.AreEqual(result[0].Distance, result[2].Distance, 1e-6f);
        // Each later group of equal distances is also in insertion order (copy 0, 1, 2).
        for (int g = 1; g < 4; g++)
        {
            var group = result.Skip(3 * g).Take(3).ToArray();
            Assert.AreEqual(1, group.Select(r => r.Label).Distinct().Count(), "a group of equal distances is one basis vector");
            CollectionAssert.AreEqual(new[] { "c0", "c1", "c2" }, group.Select(r => r.Id[^2..]).ToArray());
        }
    }

    [TestMethod]
    [DataRow(VectorDistance.Euclidean)]
    [DataRow(VectorDistance.Cosine)]
    public void BatchedSearchEqualsSingleSearch(VectorDistance distance)
    {
        var gallery = IndexTestData.RandomVectors(300, 16, 5);
        var queries = IndexTestData.RandomVectors(64, 16, 6);
        var index = IndexTestData.Build(gallery, distance);
        var batch = index.SearchBatch(queries, 10);
        Assert.HasCount(queries.Length, batch);
        for (int q = 0; q < queries.Length; q++)
            CollectionAssert.AreEqual(index.Search(queries[q], 10).ToArray(), batch[q].ToArray(), $"query {q}");
    }

    [TestMethod]
    public void LargeGalleryParallelScanEqualsTheReference()
    {
        // 20,000 x 64 values is above the single-query parallel threshold, so the partitioned scan and its merge are used.
        var gallery = IndexTestData.RandomVectors(20_000, 64, 8);
        gallery[19_999] = (float[])gallery[3].Clone();   // an exact tie across partitions: insertion order decides
        var index = IndexTestData.Build(gallery, VectorDistance.Euclidean);
        var result = index.Search(gallery[3], 5);
        Assert.AreEqual("item3", result[0].Id);
        Assert.AreEqual("item19999", result[1].Id);
        var reference = IndexTestData.ReferenceRanking(gallery, gallery[3], VectorDistance.Euclidean);
        for (int i = 0; i < 5; i++) Assert.AreEqual(reference[i].Distance, result[i].Distance, Tolerance);
        CollectionAssert.AreEqual(result.ToArray(), index.SearchBatch([gallery[3]], 5)[0].ToArray());
    }

    [TestMethod]
    public void AddRangeAddsInOrderAndExposesTheItems()
    {
        var index = new SimilarityIndex(3);
        index.AddRange([("a", "x", [1f, 0, 0]), ("b", "y", [0f, 1, 0])]);
        index.Add("c", "", [0f, 0, 1]);
        Assert.AreEqual(3, index.Count);
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, index.Ids.ToArray());
        CollectionAssert.AreEqual(new[] { "x", "y", "" }, index.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 1, 0 }, index.GetEmbedding(1));
        Assert.IsTrue(index.Contains("b"));
        Assert.IsFalse(index.Contains("d"));
        var nearest = index.Search([0.1f, 0.9f, 0], 1)[0];
        Assert.AreEqual(new SimilarityMatch("b", "y", nearest.Distance), nearest);
    }
}
