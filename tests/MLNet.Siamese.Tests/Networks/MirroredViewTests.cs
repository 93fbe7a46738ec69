using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Tests.Onnx;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Networks;

/// <summary>
/// The mirrored view (<see cref="EmbeddingView.Mirrored"/>) is an exact left-right flip, and test-time views merged after
/// some layers (<see cref="NetworkSpec.TestTimeViewsMergeAfter"/>) average those layers' outputs and run the rest once,
/// the same in TorchSharp and in the exported ONNX graph.
/// </summary>
[TestClass]
public sealed class MirroredViewTests
{
    private static readonly NetworkSpec Small = new("small", 3, 8, 10,
        [new Conv2dLayer(4, 3, Padding: 1), new ReluLayer(), new GlobalAvgPoolLayer(), new LinearLayer(5), new ReluLayer(), new LinearLayer(3), new L2NormalizeLayer()]);

    private static NetworkSpec Merged(int? after) => Small with { TestTimeViews = EmbeddingView.PhotoAndMirror, TestTimeViewsMergeAfter = after };

    [TestMethod]
    public void TheMirroredViewIsAnExactFlip()
    {
        var x = TrainedNetworks.RandomInput(2 * Small.InputSize, seed: 3);
        var grid = EmbeddingView.Mirrored.SamplingGrid(8, 10);
        using var scope = NewDisposeScope();
        var image = tensor(x, [2, 3, 8, 10]);
        var sampled = nn.functional.grid_sample(image, tensor(grid, [1, 8, 10, 2]).expand(2, 8, 10, 2), align_corners: false, padding_mode: GridSamplePaddingMode.Border);
        TrainedNetworks.AssertClose(image.flip(3).contiguous().data<float>().ToArray(), sampled.contiguous().data<float>().ToArray(), 1e-6f, "mirrored view");
    }

    [TestMethod]
    public void MergedAfterTheTrunk_TheRestTakesTheMeanOfTheViews()
    {
        const int batch = 3;
        var x = TrainedNetworks.RandomInput(batch * Small.InputSize, seed: 5);
        using var merged = TrainedNetworks.Build(Merged(3), 11);
        var actual = TrainedNetworks.Forward(merged, x, batch);

        // By hand: the first three layers on the photos and on their mirror images, the mean, then the last four.
        var weights = merged.ExportWeights();
        using var trunk = new EmbeddingNetwork(new NetworkSpec("trunk", 3, 8, 10, [.. Small.Layers.Take(3)]));
        trunk.LoadWeights(weights.Where(w => w.Key.StartsWith("0.", StringComparison.Ordinal)).ToDictionary());
        trunk.eval();
        using var head = new EmbeddingNetwork(new NetworkSpec("head", 4, 1, 1, [new FlattenLayer(), .. Small.Layers.Skip(3)]));
        head.LoadWeights(weights.Where(w => !w.Key.StartsWith("0.", StringComparison.Ordinal))
            .ToDictionary(w => (int.Parse(w.Key[..w.Key.IndexOf('.')], System.Globalization.CultureInfo.InvariantCulture) - 2) + w.Key[w.Key.IndexOf('.')..], w => w.Value));
        head.eval();
        var mirrored = new float[x.Length];
        for (int row = 0; row < x.Length / 10; row++)
            for (int col = 0; col < 10; col++) mirrored[row * 10 + col] = x[row * 10 + 9 - col];
        var features = TrainedNetworks.Forward(trunk, x, batch).Zip(TrainedNetworks.Forward(trunk, mirrored, batch), (a, b) => (a + b) / 2).ToArray();
        var expected = TrainedNetworks.Forward(head, features, batch);
        TrainedNetworks.AssertClose(expected, actual, 1e-5f, "views merged after layer 3");
        using var atTheEnd = TrainedNetworks.Build(Merged(null), 11);
        var embeddingsAveraged = TrainedNetworks.Forward(atTheEnd, x, batch);
        Assert.IsTrue(expected.Zip(embeddingsAveraged).Any(p => MathF.Abs(p.First - p.Second) > 1e-3f), "merging before the head differs from averaging the embeddings");
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(7)]
    public void OnnxRuntimeMatchesTorchSharp_ForTheEmbedderAndThePairScorer(int after)
    {
        var spec = Merged(after);
        using var net = TrainedNetworks.Build(spec, 13);
        var x = TrainedNetworks.RandomInput(4 * spec.InputSize, seed: 14);
        var expected = TrainedNetworks.Forward(net, x, 4);
        var embedding = OnnxRuntimeRunner.Run(OnnxExporter.ExportEmbedder(spec, net.ExportWeights()), ("Features", x, new long[] { 4, spec.InputSize }))["Embedding"];
        CollectionAssert.AreEqual(new long[] { 4, 3 }, embedding.Shape);
        TrainedNetworks.AssertClose(expected, embedding.Values, 1e-5f, $"merged after {after}");
        TrainedNetworks.AssertPairScorerMatchesForward(net, x, TrainedNetworks.RandomInput(4 * spec.InputSize, seed: 15), 4);
    }

    [TestMethod]
    public void AMergePointOutOfRangeOrWithoutViewsIsRefused()
    {
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => Merged(0).InferShapes()).Message, "TestTimeViewsMergeAfter 0");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => Merged(8).InferShapes()).Message, "must be 1 to 7");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => (Small with { TestTimeViewsMergeAfter = 2 }).InferShapes()).Message, "needs TestTimeViews");
        var json = Merged(3).ToJson();
        Assert.AreEqual(Merged(3), NetworkSpec.FromJson(json), "the merge point and the mirrored view survive JSON");
        Assert.AreNotEqual(Merged(3), Merged(4));
    }
}
