using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Index;

[TestClass]
public sealed class SimilarityIndexBadInputTests
{
    private static SimilarityIndex Three(VectorDistance distance = VectorDistance.Euclidean)
    {
        var index = new SimilarityIndex(4, distance);
        index.Add("a", "x", [1f, 0, 0, 0]);
        index.Add("b", "x", [0f, 1, 0, 0]);
        index.Add("c", "y", [0f, 0, 1, 0]);
        return index;
    }

    [TestMethod]
    public void QueryOfTheWrongDimensionNamesBothDimensions()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Three().Search([1f, 2f], 1));
        StringAssert.Contains(e.Message, "2 values");
        StringAssert.Contains(e.Message, "dimension 4");
        Assert.AreEqual("query", e.ParamName);
        var b = Assert.ThrowsExactly<ArgumentException>(() => Three().SearchBatch([[1f, 0, 0, 0], [1f]], 1));
        StringAssert.Contains(b.Message, "queries[1]");
        StringAssert.Contains(b.Message, "1 values");
    }

    [TestMethod]
    public void KAboveTheCountNamesKAndTheCount()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Three().Search([1f, 0, 0, 0], 4));
        Assert.AreEqual("k", e.ParamName);
        StringAssert.Contains(e.Message, "k = 4");
        StringAssert.Contains(e.Message, "count = 3");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Three().SearchBatch([[1f, 0, 0, 0]], 4));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    public void KBelowOneIsRefused(int k)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Three().Search([1f, 0, 0, 0], k));
        Assert.AreEqual("k", e.ParamName);
        StringAssert.Contains(e.Message, "at least 1");
    }

    [TestMethod]
    public void SearchingAnEmptyIndexIsRefused()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => new SimilarityIndex(4).Search([1f, 0, 0, 0], 1));
        StringAssert.Contains(e.Message, "empty");
        Assert.ThrowsExactly<InvalidOperationException>(() => new SimilarityIndex(4).SearchBatch([], 1));
    }

    [TestMethod]
    public void DuplicateIdsNameTheId()
    {
        var index = Three();
        var e = Assert.ThrowsExactly<ArgumentException>(() => index.Add("b", "z", [1f, 1, 1, 1]));
        StringAssert.Contains(e.Message, "'b'");
        Assert.AreEqual(3, index.Count);
        var r = Assert.ThrowsExactly<ArgumentException>(() => index.AddRange([("d", "z", [1f, 1, 1, 1]), ("d", "z", [1f, 1, 1, 2])]));
        StringAssert.Contains(r.Message, "'d'");
        StringAssert.Contains(r.Message, "Item 1");
        Assert.AreEqual(3, index.Count, "AddRange is all or nothing");
        Assert.IsFalse(index.Contains("d"));
    }

    [TestMethod]
    public void NaNAndInfinityInEmbeddingsAndQueriesAreRefused()
    {
        var index = Three();
        var e = Assert.ThrowsExactly<ArgumentException>(() => index.Add("d", "z", [1f, float.NaN, 0, 0]));
        StringAssert.Contains(e.Message, "NaN");
        StringAssert.Contains(e.Message, "'d'");
        StringAssert.Contains(e.Message, "position 1");
        var inf = Assert.ThrowsExactly<ArgumentException>(() => index.AddRange([("e", "z", [1f, 0, 0, float.PositiveInfinity])]));
        StringAssert.Contains(inf.Message, "infinite");
        var q = Assert.ThrowsExactly<ArgumentException>(() => index.Search([float.NaN, 0, 0, 0], 1));
        StringAssert.Contains(q.Message, "NaN");
        Assert.AreEqual(3, index.Count);
    }

    [TestMethod]
    public void OtherInvalidItemsAreRefused()
    {
        var index = Three();
        Assert.ThrowsExactly<ArgumentException>(() => index.Add("", "z", [1f, 0, 0, 0]));
        Assert.ThrowsExactly<ArgumentNullException>(() => index.Add(null!, "z", [1f, 0, 0, 0]));
        Assert.ThrowsExactly<ArgumentNullException>(() => index.Add("d", null!, [1f, 0, 0, 0]));
        Assert.ThrowsExactly<ArgumentNullException>(() => index.Add("d", "z", null!));
        var dim = Assert.ThrowsExactly<ArgumentException>(() => index.Add("d", "z", [1f, 0, 0]));
        StringAssert.Contains(dim.Message, "3 values");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SimilarityIndex(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SimilarityIndex(3, (VectorDistance)7));
    }
}
