using MLNet.Siamese.Distances;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Index;

/// <summary>
/// One distance definition: the Euclidean and cosine distances and the zero-vector rule (cosine distance 1 to
/// everything) hold alike in the similarity index, the retrieval and one-shot evaluators and the computations.
/// </summary>
[TestClass]
public sealed class VectorDistanceTests
{
    [TestMethod]
    public void TheDistancesAreTheTextbookOnes()
    {
        float[] a = [3f, 0f], b = [0f, 4f];
        Assert.AreEqual(5f, VectorDistances.Euclidean(a, b), 1e-6f);
        Assert.AreEqual(25f, VectorDistances.SquaredEuclidean(a, b), 1e-4f);
        Assert.AreEqual(1f, VectorDistances.Cosine(a, b), 1e-6f);
        Assert.AreEqual(2f, VectorDistances.Cosine(a, [-1f, 0f]), 1e-6f);
        Assert.AreEqual(0f, VectorDistances.Cosine(a, [6f, 0f]), 1e-6f);
        Assert.AreEqual(5f, VectorDistances.Between(a, b, VectorDistance.Euclidean), 1e-6f);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => VectorDistances.Between(a, b, (VectorDistance)9));
    }

    [TestMethod]
    public void AZeroVectorIsAtCosineDistanceOneFromEverythingItselfIncluded()
    {
        float[] zero = [0f, 0f, 0f];
        Assert.AreEqual(1f, VectorDistances.Cosine(zero, [1f, 2f, 3f]));
        Assert.AreEqual(1f, VectorDistances.Cosine([1f, 2f, 3f], zero));
        Assert.AreEqual(1f, VectorDistances.Cosine(zero, zero));
        var normalized = zero.ToArray();
        Assert.AreEqual(0f, VectorDistances.Normalize(normalized));
        Assert.AreEqual(1f, VectorDistances.CosineOfNormalized(normalized, normalized));
    }

    [TestMethod]
    public void TheIndexAcceptsZeroVectorsAndRanksThemByTheRule()
    {
        var index = new SimilarityIndex(2, VectorDistance.Cosine);
        index.Add("zero", "z", [0f, 0f]);
        index.Add("same", "s", [1f, 0f]);
        index.Add("opposite", "o", [-1f, 0f]);
        var found = index.Search([2f, 0f], 3);
        CollectionAssert.AreEqual(new[] { "same", "zero", "opposite" }, found.Select(m => m.Id).ToArray());
        Assert.AreEqual(1f, found[1].Distance, 1e-6f);
        Assert.IsTrue(index.Search([0f, 0f], 3).All(m => Math.Abs(m.Distance - 1f) < 1e-6f), "a zero query is at distance 1 from everything");
    }

    [TestMethod]
    public void TheEvaluatorsApplyTheSameRule()
    {
        // Item 0 is a zero vector of class "a"; its class mate is at distance 1 by the rule, as every other item.
        float[][] embeddings = [[0f, 0f], [1f, 0f], [0.9f, 0.1f], [0f, 1f]];
        string[] labels = ["a", "a", "b", "b"];
        // Nearest neighbours: item 0 -> item 1 (every distance is 1, ties go to the lower index: a hit), item 1 -> 2 (miss),
        // item 2 -> 1 (miss), item 3 -> 2 (0.89 < 1: a hit).
        var retrieval = RetrievalMetrics.Compute(embeddings, labels, VectorDistance.Cosine);
        Assert.AreEqual(0.5, retrieval.PrecisionAt1, 1e-9);
        var index = new SimilarityIndex(2, VectorDistance.Cosine);
        for (int i = 0; i < embeddings.Length; i++)
            index.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), labels[i], embeddings[i]);
        var fromZero = index.Search(embeddings[0], 4);
        Assert.IsTrue(fromZero.All(m => Math.Abs(m.Distance - 1f) < 1e-6f));
        Assert.AreEqual(VectorDistances.Cosine(embeddings[1], embeddings[2]), index.Search(embeddings[1], 2)[1].Distance, 1e-6f);
    }
}
