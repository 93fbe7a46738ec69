using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Tests.Onnx;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Networks;

/// <summary>
/// <see cref="MomentNormalization"/> (<see cref="NetworkSpec.InputNormalization"/>): each image is centred on its ink's
/// centre of mass and scaled to a fixed radius of gyration, the same in TorchSharp and in the exported ONNX graph,
/// composed with the test-time views; the trainer normalizes its items once, before augmentation.
/// </summary>
[TestClass]
public sealed class MomentNormalizationTests
{
    private const int Side = 24;

    private static NetworkSpec Compact(MomentNormalization? normalization, IReadOnlyList<EmbeddingView>? views = null)
        => NetworkPresets.Compact(Side, 6, 8) with { InputNormalization = normalization, TestTimeViews = views };

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void OnnxRuntimeMatchesTorchSharpWithOrWithoutViews(bool views)
    {
        // The batch holds a blank image and one with a negative background: both must stay finite and agree too.
        var spec = Compact(new MomentNormalization(), views ? EmbeddingView.Standard : null);
        using var net = TrainedNetworks.Build(spec, 31);
        var input = Batch(
            Glyph(0.2, -0.1, 1.0),
            Glyph(-0.3, 0.25, 0.6),
            new float[Side * Side],
            Glyph(0.1, 0.1, 1.3).Select(v => v - 0.2f).ToArray());
        int batch = 4;
        var expected = TrainedNetworks.Forward(net, input, batch);
        Assert.IsTrue(expected.All(float.IsFinite), "TorchSharp embeddings are finite");

        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var embedding = OnnxRuntimeRunner.Run(model, ("Features", input, new long[] { batch, spec.InputSize }))["Embedding"];

        CollectionAssert.AreEqual(new long[] { batch, spec.EmbeddingDimension }, embedding.Shape);
        TrainedNetworks.AssertClose(expected, embedding.Values, 1e-4f, views ? "normalization with the standard views" : "normalization alone");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void NormalizingToASmallerImageMatchesOnnxRuntime(bool views)
    {
        // 24 px in, 16 px for the layers: the views are sampled at 16 px straight from the 24 px input.
        var spec = NetworkPresets.Compact(16, 6, 8) with
        {
            Height = Side, Width = Side,
            InputNormalization = new MomentNormalization(0.25, 16, 16),
            TestTimeViews = views ? EmbeddingView.Standard : null,
        };
        Assert.AreEqual(Side * Side, spec.InputSize);
        Assert.AreEqual((16, 16), (spec.Geometry.Height, spec.Geometry.Width));
        using var net = TrainedNetworks.Build(spec, 35);
        var input = Batch(Glyph(0.2, -0.1, 1.0), Glyph(-0.1, 0.2, 0.7), Glyph(0, 0, 1.2));
        var expected = TrainedNetworks.Forward(net, input, 3);
        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var embedding = OnnxRuntimeRunner.Run(model, ("Features", input, new long[] { 3, spec.InputSize }))["Embedding"];
        TrainedNetworks.AssertClose(expected, embedding.Values, 1e-4f, "24 px normalized to 16 px");

        using var scope = NewDisposeScope();
        var normalized = net.NormalizeInputs(tensor(input, new long[] { 3, spec.InputSize }));
        CollectionAssert.AreEqual(new long[] { 3, 1, 16, 16 }, normalized.shape);
    }

    [TestMethod]
    public void PairScorerNormalizesBothBranches()
    {
        var spec = Compact(new MomentNormalization(0.25));
        using var net = TrainedNetworks.Build(spec, 32);
        var left = Batch(Glyph(0.2, 0.1, 0.8), Glyph(-0.2, 0, 1.2));
        var right = Batch(Glyph(0, -0.3, 1.0), Glyph(0.3, 0.3, 0.7));
        TrainedNetworks.AssertPairScorerMatchesForward(net, left, right, 2);
    }

    [TestMethod]
    public void OneDrawingAtTwoPlacesAndSizesBecomesOneImage()
    {
        var small = Glyph(-0.2, -0.15, 0.6);
        var large = Glyph(0.1, 0.1, 1.0);
        using var net = new EmbeddingNetwork(Compact(new MomentNormalization()));
        using var scope = NewDisposeScope();
        var normalized = net.NormalizeInputs(tensor(Batch(small, large), new long[] { 2, Side * Side })).data<float>().ToArray();

        float rawDifference = small.Zip(large, (a, b) => Math.Abs(a - b)).Sum();
        float normalizedDifference = normalized.Take(Side * Side).Zip(normalized.Skip(Side * Side), (a, b) => Math.Abs(a - b)).Sum();
        Assert.IsLessThan(0.1f * rawDifference, normalizedDifference, $"raw L1 difference {rawDifference}, normalized {normalizedDifference}");
    }

    [TestMethod]
    public void MeasureFindsTheCentreAndTheZoom()
    {
        // A single blob of radius of gyration r at (0.2, -0.1): centre (0.2, -0.1), zoom r / (2 * 0.25).
        var image = Glyph(0.2, -0.1, 1.0, blobsOnly: 1);
        double r = RadiusOfGyration(image);
        using var scope = NewDisposeScope();
        var (centre, zoom) = new MomentNormalization(0.25).Measure(tensor(image, new long[] { 1, 1, Side, Side }));
        CollectionAssert.AreEqual(new long[] { 1, 1, 1, 2 }, centre.shape);
        CollectionAssert.AreEqual(new long[] { 1, 1, 1, 1 }, zoom.shape);
        var c = centre.data<float>().ToArray();
        Assert.AreEqual(0.2f, c[0], 0.01f, "x");
        Assert.AreEqual(-0.1f, c[1], 0.01f, "y");
        Assert.AreEqual((float)(r / 0.5), zoom.item<float>(), 1e-4f, "zoom");
    }

    [TestMethod]
    public void BlankDotAndNegativeImagesStayFinite()
    {
        // Blank: centre 0, zoom clamped to its minimum; a single pixel: zoom clamped, still finite; negative values are no ink.
        var blank = new float[Side * Side];
        var dot = new float[Side * Side];
        dot[5 * Side + 7] = 1;
        var negative = Enumerable.Repeat(-1f, Side * Side).ToArray();
        using var scope = NewDisposeScope();
        var (centre, zoom) = new MomentNormalization().Measure(tensor(Batch(blank, dot, negative), new long[] { 3, 1, Side, Side }));
        var c = centre.data<float>().ToArray();
        var z = zoom.data<float>().ToArray();
        Assert.IsTrue(c.All(float.IsFinite) && z.All(float.IsFinite));
        Assert.AreEqual(0f, c[0]);
        Assert.AreEqual(MomentNormalization.MinZoom, z[0]);
        Assert.AreEqual(MomentNormalization.MinZoom, z[1], "a single pixel has radius 0");
        Assert.AreEqual(0f, c[4], "all-negative: no ink");
    }

    [TestMethod]
    public void TrainerNormalizesItsItemsOnceBeforeAugmentation()
    {
        // Training with normalization on D takes exactly the steps of training without it on D normalized beforehand
        // (training mode does not normalize again), and the first model embeds x as the second embeds normalize(x).
        var ml = new MLContext(seed: 1);
        var items = SyntheticGlyphs.Make(6, 4, seed: 33);
        var spec = NetworkPresets.Compact(28, 16) with { InputNormalization = new MomentNormalization() };
        using var normalizer = new EmbeddingNetwork(spec);
        var normalizedItems = items.Select(i => new GlyphItem { Label = i.Label, Group = i.Group, Features = Normalize(normalizer, i.Features) }).ToList();

        SiameseTrainerOptions Options(NetworkSpec network)
        {
            var options = SmallRuns.Options(6);
            options.Network = network;
            options.Augmentation = new Augmentation.AffineAugmentation();
            return options;
        }
        var withNormalization = ml.Siamese().Train(Options(spec)).Fit(SyntheticGlyphs.Load(ml, items));
        var onNormalizedData = ml.Siamese().Train(Options(spec with { InputNormalization = null })).Fit(SyntheticGlyphs.Load(ml, normalizedItems));

        TrainedNetworks.AssertClose(onNormalizedData.Summary.LossHistory.ToArray(), withNormalization.Summary.LossHistory.ToArray(), 1e-5f, "loss history");
        var a = ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(withNormalization).Predict(items[0]).Embedding;
        var b = ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(onNormalizedData).Predict(normalizedItems[0]).Embedding;
        TrainedNetworks.AssertClose(b, a, 1e-4f, "embedding");
    }

    [TestMethod]
    public void TrainerNormalizationInChunksMatchesTheNetwork()
    {
        // The trainer normalizes its feature array chunk by chunk (here 2 + 2 + 1 images): the same values as the
        // network's own NormalizeInputs on the whole batch, at the smaller size the layers see.
        var spec = Compact(new MomentNormalization(0.25, 16, 16));
        var batch = Batch(Glyph(0.2, 0.1, 0.8), Glyph(-0.1, -0.2, 1.1), Glyph(0, 0, 0.5), new float[Side * Side], Glyph(0.3, -0.3, 0.6, 1));
        var chunked = ItemNormalization.Apply(spec, batch, 5, chunk: 2);
        using var net = new EmbeddingNetwork(spec);
        Assert.HasCount(5 * 16 * 16, chunked);
        TrainedNetworks.AssertClose(Normalize(net, batch, 5), chunked, 1e-6f, "normalized items");
    }

    [TestMethod]
    public void NormalizationCommutesWithTheClassCopies()
    {
        // The trainer normalizes first and makes the mirrored and rotated class copies of the small normalized images:
        // the same images as normalizing each copy made at the decoded size.
        var spec = Compact(new MomentNormalization(0.25, 16, 16));
        var raw = new TrainingData
        {
            Features = Batch(Glyph(0.2, 0.1, 0.8), Glyph(-0.1, -0.2, 1.1, 2)),
            FeatureSize = Side * Side,
            ClassOfItem = [0, 1],
            ClassNames = ["a", "b"],
            GroupOfClass = [0, 0],
        };
        var normalizedThenCopied = raw.WithFeatures(ItemNormalization.Apply(spec, raw.Features, raw.Count), 16 * 16)
            .WithMirroredClasses(1, 16, 16).WithRotatedClasses(1, 16);
        var copied = raw.WithMirroredClasses(1, Side, Side).WithRotatedClasses(1, Side);
        var copiedThenNormalized = ItemNormalization.Apply(spec, copied.Features, copied.Count);
        Assert.AreEqual(16, normalizedThenCopied.Count);
        CollectionAssert.AreEqual(copied.ClassOfItem, normalizedThenCopied.ClassOfItem);
        TrainedNetworks.AssertClose(copiedThenNormalized, normalizedThenCopied.Features, 1e-4f, "normalized copies");
    }

    [TestMethod]
    public void RotatedClassesAndExplicitPairsTrainOnImagesNormalizedToASmallerSize()
    {
        // 28 px items normalized to 16 px: the rotated copies are made at 16 px, and without validation data the
        // threshold is calibrated on the 28 px items as given (the network normalizes them itself in evaluation mode).
        var ml = new MLContext(seed: 1);
        var items = SyntheticGlyphs.Make(6, 4, seed: 35);
        var options = SmallRuns.Options(6);
        options.Network = NetworkPresets.Compact(28, 16) with { InputNormalization = new MomentNormalization(0.25, 16, 16) };
        options.RotatedClasses = true;
        var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, items));
        Assert.AreEqual(6, model.Summary.Iterations);
        Assert.IsFalse(model.Summary.CalibratedOnValidation);
        Assert.IsTrue(model.Summary.CalibrationAccuracy is > 0 and <= 1);
        Assert.HasCount(16, ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(model).Predict(items[0]).Embedding);

        var pairs = SyntheticGlyphs.Pairs(items, 60, 5).Select(p => new SiameseTrainerTests.LabelledPair { LeftFeatures = p.Pair.LeftFeatures, RightFeatures = p.Pair.RightFeatures, Label = p.Same });
        options.RotatedClasses = false;
        options.LeftFeatureColumnName = "LeftFeatures";
        options.RightFeatureColumnName = "RightFeatures";
        var pairModel = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(pairs));
        Assert.AreEqual(6, pairModel.Summary.Iterations);
        Assert.IsTrue(pairModel.Summary.CalibrationAccuracy is > 0 and <= 1);
    }

    [TestMethod]
    public void TrainingModeDoesNotNormalize()
    {
        var input = Batch(Glyph(0.2, 0.1, 0.8), Glyph(-0.1, -0.2, 1.1));
        float[] TrainForward(MomentNormalization? normalization)
        {
            manual_seed(34);
            using var net = new EmbeddingNetwork(Compact(normalization));
            net.train();
            using var scope = NewDisposeScope();
            return net.forward(tensor(input, new long[] { 2, Side * Side })).detach().data<float>().ToArray();
        }
        CollectionAssert.AreEqual(TrainForward(null), TrainForward(new MomentNormalization()));
    }

    [TestMethod]
    public void NormalizationRoundTripsThroughJsonAndTakesPartInEquality()
    {
        var spec = Compact(new MomentNormalization(0.3, 16, 16), EmbeddingView.Standard);
        var back = NetworkSpec.FromJson(spec.ToJson());
        Assert.AreEqual(new MomentNormalization(0.3, 16, 16), back.InputNormalization);
        Assert.AreEqual(spec, back);
        Assert.AreNotEqual(spec, spec with { InputNormalization = new MomentNormalization(0.2, 16, 16) });
        Assert.AreNotEqual(spec, spec with { InputNormalization = new MomentNormalization(0.3) });
        Assert.AreNotEqual(spec, spec with { InputNormalization = null });
        Assert.DoesNotContain("InputNormalization", Compact(null).ToJson(), "specs without normalization serialize as before");
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-0.2)]
    [DataRow(1.5)]
    [DataRow(double.NaN)]
    [DataRow(double.PositiveInfinity)]
    public void BadSpreadIsRefusedByName(double spread)
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => new EmbeddingNetwork(Compact(new MomentNormalization(spread))).Dispose());
        StringAssert.Contains(ex.Message, "InputNormalization.Spread");
    }

    [TestMethod]
    public void NegativeOutputSizeIsRefused()
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => Compact(new MomentNormalization(0.25, -4, 12)).InferShapes());
        StringAssert.Contains(ex.Message, "output size -4x12");
    }

    private static float[] Normalize(EmbeddingNetwork net, float[] features, int count = 1)
    {
        using var scope = NewDisposeScope();
        return net.NormalizeInputs(tensor(features, new long[] { count, features.Length / count })).data<float>().ToArray();
    }

    private static float[] Batch(params float[][] images) => images.SelectMany(i => i).ToArray();

    /// <summary>
    /// A drawing of three Gaussian blobs (the first is the only one with <paramref name="blobsOnly"/> 1), centred at
    /// (<paramref name="cx"/>, <paramref name="cy"/>) in normalized coordinates and scaled by <paramref name="scale"/>;
    /// smooth, so that moving and scaling it resamples well.
    /// </summary>
    private static float[] Glyph(double cx, double cy, double scale, int blobsOnly = 3)
    {
        (double X, double Y, double Sigma)[] blobs = [(0, 0, 0.2), (0.4, -0.3, 0.12), (-0.3, 0.35, 0.15)];
        var image = new float[Side * Side];
        var centres = MomentNormalization.PixelCentres(Side);
        for (int i = 0; i < Side; i++)
            for (int j = 0; j < Side; j++)
            {
                double v = 0;
                foreach (var (bx, by, s) in blobs.Take(blobsOnly))
                {
                    double dx = centres[j] - (cx + scale * bx), dy = centres[i] - (cy + scale * by), sigma = scale * s;
                    v += Math.Exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                }
                image[i * Side + j] = (float)Math.Min(1, v);
            }
        return image;
    }

    private static double RadiusOfGyration(float[] image)
    {
        var c = MomentNormalization.PixelCentres(Side);
        double m = 0, mx = 0, my = 0;
        for (int i = 0; i < Side; i++)
            for (int j = 0; j < Side; j++) { double v = image[i * Side + j]; m += v; mx += v * c[j]; my += v * c[i]; }
        double x0 = mx / m, y0 = my / m, r2 = 0;
        for (int i = 0; i < Side; i++)
            for (int j = 0; j < Side; j++) { double v = image[i * Side + j]; r2 += v * ((c[j] - x0) * (c[j] - x0) + (c[i] - y0) * (c[i] - y0)); }
        return Math.Sqrt(r2 / m);
    }
}
