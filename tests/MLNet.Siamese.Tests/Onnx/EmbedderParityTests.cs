using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Tests.Onnx;

[TestClass]
public sealed class EmbedderParityTests
{
    [TestMethod]
    [DataRow("compact", 5)]
    [DataRow("mlp", 5)]
    [DataRow("keras", 5)]
    [DataRow("koch", 2)]
    [DataRow("l2", 4)]
    [DataRow("global", 4)]
    [DataRow("residual", 3)]
    public void OnnxRuntimeMatchesTorchSharp(string name, int batch)
    {
        var spec = CustomSpecs.Create(name);
        using var net = TrainedNetworks.Build(spec, 11);
        var input = TrainedNetworks.RandomInput(batch * spec.InputSize, 12);
        var expected = TrainedNetworks.Forward(net, input, batch);

        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var outputs = OnnxRuntimeRunner.Run(model, ("Features", input, new long[] { batch, spec.InputSize }));

        var embedding = outputs["Embedding"];
        CollectionAssert.AreEqual(new long[] { batch, spec.EmbeddingDimension }, embedding.Shape);
        TrainedNetworks.AssertClose(expected, embedding.Values, 1e-4f, name);
    }

    [TestMethod]
    public void L2NormalizedEmbeddingsHaveUnitLength()
    {
        var spec = CustomSpecs.L2Normalized();
        using var net = TrainedNetworks.Build(spec, 3);
        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights(), "x", "y");
        var y = OnnxRuntimeRunner.Run(model, ("x", TrainedNetworks.RandomInput(3 * 64, 4), new long[] { 3, 64 }))["y"];
        for (int row = 0; row < 3; row++)
        {
            double norm = Math.Sqrt(y.Values.Skip(row * 5).Take(5).Sum(v => (double)v * v));
            Assert.AreEqual(1.0, norm, 1e-5);
        }
    }

    [TestMethod]
    public void MetadataAndNamesAreWritten()
    {
        var spec = CustomSpecs.L2Normalized();
        using var net = TrainedNetworks.Build(spec, 5);
        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights(), "In", "Out", new Dictionary<string, string> { ["preset"] = "l2", ["loss"] = "contrastive" });
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model);
        Assert.AreEqual("MLNet.Siamese", session.ModelMetadata.ProducerName);
        Assert.AreEqual("l2", session.ModelMetadata.CustomMetadataMap["preset"]);
        Assert.AreEqual("contrastive", session.ModelMetadata.CustomMetadataMap["loss"]);
        CollectionAssert.AreEqual(new[] { -1, 64 }, session.InputMetadata["In"].Dimensions);
        Assert.AreEqual("N", session.InputMetadata["In"].SymbolicDimensions[0]);
        CollectionAssert.AreEqual(new[] { -1, 5 }, session.OutputMetadata["Out"].Dimensions);
    }

    [TestMethod]
    public void FileOverloadWritesTheSameBytes()
    {
        var spec = CustomSpecs.L2Normalized();
        using var net = TrainedNetworks.Build(spec, 6);
        var weights = net.ExportWeights();
        string path = Path.Combine(Path.GetTempPath(), $"embedder-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.ExportEmbedderToFile(spec, weights, path);
            CollectionAssert.AreEqual(OnnxExporter.ExportEmbedder(spec, weights), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
