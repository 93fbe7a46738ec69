using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Index;

[TestClass]
public sealed class NearestNeighborsTransformerTests
{
    private sealed class Row
    {
        public string Name { get; set; } = "";

        [VectorType(6)]
        public float[] Embedding { get; set; } = [];
    }

    private sealed class OtherRow
    {
        [VectorType(6)]
        public float[] Vec { get; set; } = [];
    }

    private sealed class VariableRow
    {
        public float[] Embedding { get; set; } = [];
    }

    private sealed class WrongSizeRow
    {
        [VectorType(5)]
        public float[] Embedding { get; set; } = [];
    }

    private static (SimilarityIndex Index, float[][] Queries) Gallery()
    {
        var index = IndexTestData.Build(IndexTestData.RandomVectors(60, 6, 21), VectorDistance.Euclidean);
        return (index, IndexTestData.RandomVectors(8, 6, 22));
    }

    [TestMethod]
    public void PredictionEngineReturnsTheIndexNeighbours()
    {
        var ml = new MLContext(seed: 1);
        var (index, queries) = Gallery();
        var data = ml.Data.LoadFromEnumerable(queries.Select((q, i) => new Row { Name = $"q{i}", Embedding = q }));
        var stage = ml.Siamese().NearestNeighbors(index, 4).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<Row, NearestNeighborsPrediction>(stage);
        foreach (var q in queries)
        {
            var p = engine.Predict(new Row { Embedding = q });
            var expected = index.Search(q, 4);
            CollectionAssert.AreEqual(expected.Select(m => m.Id).ToArray(), p.NeighborIds);
            CollectionAssert.AreEqual(expected.Select(m => m.Label).ToArray(), p.NeighborLabels);
            CollectionAssert.AreEqual(expected.Select(m => m.Distance).ToArray(), p.NeighborDistances);
        }
    }

    [TestMethod]
    public void TransformAddsFixedSizeNeighbourColumnsAndKeepsTheInput()
    {
        var ml = new MLContext(seed: 1);
        var (index, queries) = Gallery();
        var data = ml.Data.LoadFromEnumerable(queries.Select((q, i) => new Row { Name = $"q{i}", Embedding = q }));
        var output = ml.Siamese().NearestNeighbors(index, 3).Fit(data).Transform(data);
        Assert.AreEqual(new VectorDataViewType(TextDataViewType.Instance, 3), output.Schema["NeighborIds"].Type);
        Assert.AreEqual(new VectorDataViewType(TextDataViewType.Instance, 3), output.Schema["NeighborLabels"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), output.Schema["NeighborDistances"].Type);
        var names = output.GetColumn<string>("Name").ToArray();
        var ids = output.GetColumn<VBuffer<ReadOnlyMemory<char>>>("NeighborIds").Select(v => v.DenseValues().Select(m => m.ToString()).ToArray()).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, queries.Length).Select(i => $"q{i}").ToArray(), names);
        for (int i = 0; i < queries.Length; i++)
            CollectionAssert.AreEqual(index.Search(queries[i], 3).Select(m => m.Id).ToArray(), ids[i]);
    }

    [TestMethod]
    public void TheEstimatorDescribesItsOutputAndAcceptsAnotherColumnName()
    {
        var ml = new MLContext(seed: 1);
        var (index, queries) = Gallery();
        var data = ml.Data.LoadFromEnumerable(queries.Select(q => new OtherRow { Vec = q }));
        var estimator = ml.Siamese().NearestNeighbors(index, 2, "Vec");
        var shape = estimator.GetOutputSchema(Transforms.SchemaShapeFactory.FromSchema(data.Schema));
        CollectionAssert.AreEqual(new[] { "Vec", "NeighborIds", "NeighborLabels", "NeighborDistances" }, shape.Select(c => c.Name).ToArray());
        var output = ml.Data.CreateEnumerable<NearestNeighborsPrediction>(estimator.Fit(data).Transform(data), reuseRowObject: false).ToList();
        Assert.HasCount(queries.Length, output);
        Assert.AreEqual(index.Search(queries[0], 2)[1].Id, output[0].NeighborIds[1]);
    }

    [TestMethod]
    public void SavingThePipelineThrowsAndSaysWhatToDoInstead()
    {
        var ml = new MLContext(seed: 1);
        var (index, queries) = Gallery();
        var data = ml.Data.LoadFromEnumerable(queries.Select(q => new Row { Embedding = q }));
        var stage = ml.Siamese().NearestNeighbors(index, 2).Fit(data);
        using var stream = new MemoryStream();
        var e = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(stage, data.Schema, stream));
        StringAssert.Contains(e.Message, "in-process");
        StringAssert.Contains(e.Message, "SimilarityIndex.Save");
    }

    [TestMethod]
    public void BadColumnsAndKAreRefusedNamingThem()
    {
        var ml = new MLContext(seed: 1);
        var (index, queries) = Gallery();
        var wrongSize = ml.Data.LoadFromEnumerable(new[] { new WrongSizeRow { Embedding = new float[5] } });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().NearestNeighbors(index, 2).Fit(wrongSize));
        StringAssert.Contains(e.Message, "'Embedding'");
        StringAssert.Contains(e.Message, "5 values");
        StringAssert.Contains(e.Message, "dimension 6");
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.Siamese().NearestNeighbors(index, 2, "Missing").Fit(ml.Data.LoadFromEnumerable(new[] { new Row { Embedding = queries[0] } })));
        StringAssert.Contains(missing.Message, "'Missing'");
        var text = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.Siamese().NearestNeighbors(index, 2, "Name").Fit(ml.Data.LoadFromEnumerable(new[] { new Row { Embedding = queries[0] } })));
        StringAssert.Contains(text.Message, "vector of Single");
        var k = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().NearestNeighbors(index, 61));
        StringAssert.Contains(k.Message, "count = 60");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().NearestNeighbors(index, 0));
        Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().NearestNeighbors(new SimilarityIndex(6), 1));
    }

    [TestMethod]
    public void AVariableSizeRowOfTheWrongLengthFailsNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var (index, queries) = Gallery();
        var data = ml.Data.LoadFromEnumerable(new[] { new VariableRow { Embedding = queries[0] }, new VariableRow { Embedding = [1f, 2f] } });
        var output = ml.Siamese().NearestNeighbors(index, 2).Fit(data).Transform(data);
        Exception? caught = null;
        try { output.GetColumn<float[]>("NeighborDistances").ToList(); }
        catch (Exception ex) { caught = ex; }
        Assert.IsNotNull(caught, "a row of 2 values against an index of dimension 6 must fail");
        string all = caught.ToString();
        StringAssert.Contains(all, "Column 'Embedding'");
        StringAssert.Contains(all, "2 values");
        StringAssert.Contains(all, "dimension 6");
    }
}
