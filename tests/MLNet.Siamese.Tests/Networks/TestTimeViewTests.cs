using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Tests.Onnx;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Networks;

/// <summary>
/// Test-time views (<see cref="NetworkSpec.TestTimeViews"/>): the embedding in evaluation mode is the mean over affine
/// views of the image, the same in TorchSharp and in the exported ONNX graph; training mode ignores them.
/// </summary>
[TestClass]
public sealed class TestTimeViewTests
{
    private static NetworkSpec Compact(IReadOnlyList<EmbeddingView>? views) => NetworkPresets.Compact(20, 6, 8) with { TestTimeViews = views };

    [TestMethod]
    [DataRow(2)]
    [DataRow(5)]
    public void OnnxRuntimeMatchesTorchSharpWithTheStandardViews(int batch)
    {
        var spec = Compact(EmbeddingView.Standard);
        using var net = TrainedNetworks.Build(spec, 21);
        var input = ImageLikeInput(batch, spec, 22);
        var expected = TrainedNetworks.Forward(net, input, batch);

        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var embedding = OnnxRuntimeRunner.Run(model, ("Features", input, new long[] { batch, spec.InputSize }))["Embedding"];

        CollectionAssert.AreEqual(new long[] { batch, spec.EmbeddingDimension }, embedding.Shape);
        TrainedNetworks.AssertClose(expected, embedding.Values, 1e-4f, "standard views");
    }

    [TestMethod]
    public void PairScorerUsesTheViewsOnBothBranches()
    {
        var spec = Compact(EmbeddingView.Standard);
        using var net = TrainedNetworks.Build(spec, 23);
        var left = ImageLikeInput(3, spec, 24);
        var right = ImageLikeInput(3, spec, 25);
        TrainedNetworks.AssertPairScorerMatchesForward(net, left, right, 3);
    }

    [TestMethod]
    public void TheMeanIsTakenOverTheViews()
    {
        // The mean over [identity, v] equals the mean of the single-view embeddings of identity and of v.
        var shifted = new EmbeddingView(ShiftX: 0.1, RotationDegrees: 8);
        var input = ImageLikeInput(4, Compact(null), 26);
        float[] Embed(IReadOnlyList<EmbeddingView>? views)
        {
            using var net = TrainedNetworks.Build(Compact(views), 27);
            return TrainedNetworks.Forward(net, input, 4);
        }
        var plain = Embed(null);
        var identityOnly = Embed([EmbeddingView.Identity]);
        var shiftedOnly = Embed([shifted]);
        var both = Embed([EmbeddingView.Identity, shifted]);

        TrainedNetworks.AssertClose(plain, identityOnly, 1e-5f, "the identity view resamples every pixel onto itself");
        Assert.IsGreaterThan(1e-3f, plain.Zip(shiftedOnly, (a, b) => Math.Abs(a - b)).Max(), "a shifted, rotated view gives another embedding");
        TrainedNetworks.AssertClose(plain.Zip(shiftedOnly, (a, b) => (a + b) / 2).ToArray(), both, 1e-5f, "mean of two views");
    }

    [TestMethod]
    public void TrainingModeIgnoresTheViews()
    {
        var input = ImageLikeInput(4, Compact(null), 28);
        float[] TrainForward(IReadOnlyList<EmbeddingView>? views)
        {
            manual_seed(29);
            using var net = new EmbeddingNetwork(Compact(views));
            net.train();
            using var scope = NewDisposeScope();
            return net.forward(tensor(input, new long[] { 4, net.Spec.InputSize })).detach().data<float>().ToArray();
        }
        CollectionAssert.AreEqual(TrainForward(null), TrainForward(EmbeddingView.Standard));
    }

    [TestMethod]
    public void ViewsRoundTripThroughJsonAndTakePartInEquality()
    {
        var spec = Compact(EmbeddingView.Standard);
        var back = NetworkSpec.FromJson(spec.ToJson());
        CollectionAssert.AreEqual(EmbeddingView.Standard.ToArray(), back.TestTimeViews!.ToArray());
        Assert.AreEqual(spec, back);
        Assert.AreNotEqual(spec, Compact(null));
        Assert.DoesNotContain("TestTimeViews", Compact(null).ToJson(), "specs without views serialize as before");
    }

    [TestMethod]
    public void BadViewsAreRefusedWithTheirPosition()
    {
        // An empty list, a null view, a zero or negative scale and a non-finite value are refused when the network is built.
        var empty = Assert.ThrowsExactly<InvalidOperationException>(() => Compact([]).InferShapes());
        StringAssert.Contains(empty.Message, "empty");
        var nullView = Assert.ThrowsExactly<InvalidOperationException>(() => Compact([EmbeddingView.Identity, null!]).InferShapes());
        StringAssert.Contains(nullView.Message, "view 1 is null");
        foreach (var bad in new[] { new EmbeddingView(Scale: 0), new EmbeddingView(Scale: -1), new EmbeddingView(ShiftX: double.NaN), new EmbeddingView(RotationDegrees: double.PositiveInfinity) })
        {
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => new EmbeddingNetwork(Compact([EmbeddingView.Identity, bad])).Dispose(), bad.ToString());
            StringAssert.Contains(ex.Message, "view 1");
        }
    }

    [TestMethod]
    public void SamplingGridMatchesTorchAffineGrid()
    {
        var view = new EmbeddingView(ShiftX: 0.03, ShiftY: -0.05, RotationDegrees: 7, Scale: 1.1);
        using var scope = NewDisposeScope();
        var theta = tensor(view.Theta(), new long[] { 1, 2, 3 });
        var expected = nn.functional.affine_grid(theta, new long[] { 1, 1, 9, 13 }, align_corners: false).data<float>().ToArray();
        TrainedNetworks.AssertClose(expected, view.SamplingGrid(9, 13), 1e-6f, "grid");
    }

    /// <summary>Dark strokes on a light-free background: a few bright bars, so that resampling moves real structure.</summary>
    private static float[] ImageLikeInput(int batch, NetworkSpec spec, int seed)
    {
        var random = new Random(seed);
        var x = new float[batch * spec.InputSize];
        for (int b = 0; b < batch; b++)
            for (int bar = 0; bar < 4; bar++)
            {
                int row = random.Next(spec.Height), col = random.Next(spec.Width - 6);
                for (int k = 0; k < 6; k++) x[b * spec.InputSize + row * spec.Width + col + k] = 0.5f + (float)random.NextDouble() / 2;
            }
        return x;
    }
}
