using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Tests.Onnx;

[TestClass]
public sealed class BadInputTests
{
    private static Dictionary<string, WeightTensor> MlpWeights(NetworkSpec spec)
    {
        using var net = new EmbeddingNetwork(spec);
        return new Dictionary<string, WeightTensor>(net.ExportWeights());
    }

    [TestMethod]
    public void MissingWeightIsNamed()
    {
        var spec = NetworkPresets.SeedMlp();
        var weights = MlpWeights(spec);
        weights.Remove("3.bias");
        var ex = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportEmbedder(spec, weights));
        StringAssert.Contains(ex.Message, "'3.bias'");
    }

    [TestMethod]
    public void WrongShapeIsNamed()
    {
        var spec = NetworkPresets.SeedMlp();
        var weights = MlpWeights(spec);
        weights["1.weight"] = new WeightTensor(new long[] { 784, 1024 }, weights["1.weight"].Values);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportPairScorer(spec, weights, new PairScoring()));
        StringAssert.Contains(ex.Message, "'1.weight'");
    }

    [TestMethod]
    public void ValueCountNotMatchingTheShapeIsNamed()
    {
        var spec = NetworkPresets.SeedMlp();
        var weights = MlpWeights(spec);
        weights["5.bias"] = new WeightTensor(new long[] { 2 }, new float[3]);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportEmbedder(spec, weights));
        StringAssert.Contains(ex.Message, "'5.bias'");
    }

    [TestMethod]
    public void MissingBatchNormStatisticIsNamed()
    {
        var spec = NetworkPresets.Compact(28, 8);
        var weights = MlpWeights(spec);
        weights.Remove("5.running_var");
        var ex = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportEmbedder(spec, weights));
        StringAssert.Contains(ex.Message, "'5.running_var'");
    }

    [TestMethod]
    public void LearnedHeadWithoutHeadWeightsIsRefused()
    {
        var spec = NetworkPresets.SeedMlp();
        var weights = MlpWeights(spec);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportPairScorer(spec, weights, new PairScoring { LearnedHead = true }));
        StringAssert.Contains(ex.Message, "'head.weight'");
        weights[OnnxExporter.HeadWeight] = new WeightTensor(new long[] { 1, 2 }, new float[2]);
        weights[OnnxExporter.HeadBias] = new WeightTensor(new long[] { 2 }, new float[2]);
        ex = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportPairScorer(spec, weights, new PairScoring { LearnedHead = true }));
        StringAssert.Contains(ex.Message, "'head.bias'");
    }

    [TestMethod]
    public void SpecThatDoesNotInferShapesThrowsItsException()
    {
        var spec = NetworkPresets.Koch(20);
        var expected = Assert.ThrowsExactly<InvalidOperationException>(() => spec.InferShapes());
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => OnnxExporter.ExportEmbedder(spec, new Dictionary<string, WeightTensor>()));
        Assert.AreEqual(expected.Message, ex.Message);
        Assert.ThrowsExactly<InvalidOperationException>(() => OnnxExporter.ExportPairScorer(spec, new Dictionary<string, WeightTensor>(), new PairScoring()));
    }

    [TestMethod]
    public void EqualNamesAreRefused()
    {
        var spec = NetworkPresets.SeedMlp();
        Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportPairScorer(spec, MlpWeights(spec), new PairScoring(), "X", "X"));
        Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ExportEmbedder(spec, MlpWeights(spec), "X", "X"));
    }
}
