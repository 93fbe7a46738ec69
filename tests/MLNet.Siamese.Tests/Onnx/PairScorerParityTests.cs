using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Tests.Onnx;

[TestClass]
public sealed class PairScorerParityTests
{
    [TestMethod]
    [DataRow("compact", 5, true)]
    [DataRow("compact", 5, false)]
    [DataRow("mlp", 6, true)]
    [DataRow("mlp", 6, false)]
    [DataRow("keras", 5, true)]
    [DataRow("keras", 5, false)]
    [DataRow("koch", 2, true)]
    [DataRow("koch", 2, false)]
    [DataRow("global", 4, true)]
    public void OnnxRuntimeMatchesTorchSharp(string name, int batch, bool learnedHead)
    {
        var spec = CustomSpecs.Create(name);
        using var net = TrainedNetworks.Build(spec, 21);
        int d = spec.EmbeddingDimension;
        var weights = new Dictionary<string, WeightTensor>(net.ExportWeights());
        var random = new Random(22);
        var headWeight = Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        const float headBias = 0.3f;
        if (learnedHead)
        {
            weights[OnnxExporter.HeadWeight] = new WeightTensor(new long[] { 1, d }, headWeight);
            weights[OnnxExporter.HeadBias] = new WeightTensor(new long[] { 1 }, new[] { headBias });
        }
        var scoring = new PairScoring { LearnedHead = learnedHead, DistanceScale = -2f, DistanceOffset = 0.7f, Threshold = 0.45f };

        var left = TrainedNetworks.RandomInput(batch * spec.InputSize, 23);
        var right = TrainedNetworks.RandomInput(batch * spec.InputSize, 24);
        var f1 = TrainedNetworks.Forward(net, left, batch);
        var f2 = TrainedNetworks.Forward(net, right, batch);
        var expected = PairFormulas.Compute(f1, f2, d, scoring, learnedHead ? headWeight : null, headBias);

        var model = OnnxExporter.ExportPairScorer(spec, weights, scoring);
        var outputs = OnnxRuntimeRunner.Run(model,
            ("LeftFeatures", left, new long[] { batch, spec.InputSize }),
            ("RightFeatures", right, new long[] { batch, spec.InputSize }));

        CollectionAssert.AreEqual(new long[] { batch }, outputs["Score"].Shape);
        CollectionAssert.AreEqual(new long[] { batch }, outputs["Distance"].Shape);
        CollectionAssert.AreEqual(new long[] { batch }, outputs["PredictedLabel"].Shape);
        CollectionAssert.AreEqual(new long[] { batch, d }, outputs["LeftEmbedding"].Shape);
        TrainedNetworks.AssertClose(f1, outputs["LeftEmbedding"].Values, 1e-4f, "left embedding");
        TrainedNetworks.AssertClose(f2, outputs["RightEmbedding"].Values, 1e-4f, "right embedding");
        TrainedNetworks.AssertClose(expected.Distance, outputs["Distance"].Values, 1e-4f, "distance");
        TrainedNetworks.AssertClose(expected.Score, outputs["Score"].Values, 1e-4f, "score");
        for (int i = 0; i < batch; i++)
        {
            if (Math.Abs(expected.Score[i] - scoring.Threshold) < 1e-4f) continue;
            Assert.AreEqual(expected.Label[i], outputs["PredictedLabel"].Values[i] == 1f, $"label {i}");
        }
    }

    [TestMethod]
    public void WeightsAreStoredOnceForBothBranches()
    {
        var spec = NetworkPresets.SeedMlp();
        using var net = TrainedNetworks.Build(spec, 25);
        var weights = net.ExportWeights();
        int embedder = OnnxExporter.ExportEmbedder(spec, weights).Length;
        int pair = OnnxExporter.ExportPairScorer(spec, weights, new PairScoring()).Length;
        long weightBytes = weights.Values.Sum(w => 4L * w.Values.Length);
        Assert.IsGreaterThan(weightBytes, embedder);
        Assert.IsLessThan(embedder + 10_000, pair);
    }

    [TestMethod]
    public void LabelIsScoreAtLeastThreshold()
    {
        var spec = CustomSpecs.L2Normalized();
        using var net = TrainedNetworks.Build(spec, 26);
        // Identical inputs: distance 0, score sigmoid(offset) = 0.5 exactly with offset 0, and 0.5 >= 0.5.
        var model = OnnxExporter.ExportPairScorer(spec, net.ExportWeights(), new PairScoring { DistanceOffset = 0f, Threshold = 0.5f });
        var x = TrainedNetworks.RandomInput(2 * 64, 27);
        var outputs = OnnxRuntimeRunner.Run(model, ("LeftFeatures", x, new long[] { 2, 64 }), ("RightFeatures", x, new long[] { 2, 64 }));
        CollectionAssert.AreEqual(new[] { 0f, 0f }, outputs["Distance"].Values);
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f }, outputs["Score"].Values);
        CollectionAssert.AreEqual(new[] { 1f, 1f }, outputs["PredictedLabel"].Values);
    }
}
