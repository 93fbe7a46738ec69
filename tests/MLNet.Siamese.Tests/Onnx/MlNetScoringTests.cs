using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Tests.Onnx;

/// <summary>
/// Exported models scored through ML.NET's ApplyOnnxModel, saved to a model zip, loaded back and used through a
/// PredictionEngine.
/// </summary>
[TestClass]
public sealed class MlNetScoringTests
{
    [TestMethod]
    [DataRow("compact")]
    [DataRow("mlp")]
    [DataRow("keras")]
    public void EmbedderFromBytesSurvivesSaveAndLoad(string name)
    {
        var spec = NetworkPresets.Create(name);
        using var net = TrainedNetworks.Build(spec, 31);
        var bytes = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var ml = new MLContext(1);
        var empty = ml.Data.LoadFromEnumerable(new List<EmbedderInput>());
        var estimator = ml.Transforms.ApplyOnnxModel(new[] { "Embedding" }, new[] { "Features" }, new MemoryStream(bytes));
        var model = estimator.Fit(empty);

        var column = model.GetOutputSchema(empty.Schema)["Embedding"];
        var type = (VectorDataViewType)column.Type;
        Assert.AreEqual(NumberDataViewType.Single, type.ItemType);
        Assert.AreEqual(spec.EmbeddingDimension, type.Size);

        var loaded = SaveAndLoad(ml, model, empty.Schema);
        var engine = ml.Model.CreatePredictionEngine<EmbedderInput, EmbedderOutput>(loaded);
        var x = TrainedNetworks.RandomInput(784, 32);
        var expected = TrainedNetworks.Forward(net, x, 1);
        TrainedNetworks.AssertClose(expected, engine.Predict(new EmbedderInput { Features = x }).Embedding, 1e-4f, name);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void PairScorerFromFileSurvivesSaveAndLoad(bool learnedHead)
    {
        var spec = NetworkPresets.Compact(28, 16);
        using var net = TrainedNetworks.Build(spec, 33);
        var weights = new Dictionary<string, WeightTensor>(net.ExportWeights());
        var headWeight = Enumerable.Range(0, 16).Select(i => (i % 3 - 1) * 0.4f).ToArray();
        weights[OnnxExporter.HeadWeight] = new WeightTensor(new long[] { 1, 16 }, headWeight);
        weights[OnnxExporter.HeadBias] = new WeightTensor(new long[] { 1 }, new[] { 0.2f });
        var scoring = new PairScoring { LearnedHead = learnedHead, DistanceScale = -1.5f, DistanceOffset = 2f };

        string onnxPath = Path.Combine(Path.GetTempPath(), $"pair-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.ExportPairScorerToFile(spec, weights, scoring, onnxPath);
            var ml = new MLContext(1);
            var example = ml.Data.LoadFromEnumerable(new[] { new PairInput() });
            var outputs = new[] { "Score", "Distance", "PredictedLabel", "LeftEmbedding", "RightEmbedding" };
            var model = ml.Transforms.ApplyOnnxModel(outputs, new[] { "LeftFeatures", "RightFeatures" }, onnxPath).Fit(example);

            var schema = model.GetOutputSchema(example.Schema);
            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1), schema["Score"].Type);
            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1), schema["Distance"].Type);
            Assert.AreEqual(new VectorDataViewType(BooleanDataViewType.Instance, 1), schema["PredictedLabel"].Type);
            Assert.AreEqual(16, ((VectorDataViewType)schema["LeftEmbedding"].Type).Size);

            var loaded = SaveAndLoad(ml, model, example.Schema);
            File.Delete(onnxPath); // the zip carries the model bytes
            var engine = ml.Model.CreatePredictionEngine<PairInput, PairOutput>(loaded);
            var left = TrainedNetworks.RandomInput(784, 34);
            var right = TrainedNetworks.RandomInput(784, 35);
            var f1 = TrainedNetworks.Forward(net, left, 1);
            var f2 = TrainedNetworks.Forward(net, right, 1);
            var expected = PairFormulas.Compute(f1, f2, 16, scoring, learnedHead ? headWeight : null, 0.2f);

            var p = engine.Predict(new PairInput { LeftFeatures = left, RightFeatures = right });
            TrainedNetworks.AssertClose(expected.Score, p.Score, 1e-4f, "score");
            TrainedNetworks.AssertClose(expected.Distance, p.Distance, 1e-4f, "distance");
            TrainedNetworks.AssertClose(f1, p.LeftEmbedding, 1e-4f, "left");
            TrainedNetworks.AssertClose(f2, p.RightEmbedding, 1e-4f, "right");
            CollectionAssert.AreEqual(expected.Label, p.PredictedLabel);
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        string zip = Path.Combine(Path.GetTempPath(), $"siamese-onnx-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, inputSchema, zip);
            return ml.Model.Load(zip, out _);
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
