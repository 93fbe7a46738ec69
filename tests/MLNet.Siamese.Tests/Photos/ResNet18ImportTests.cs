using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Tests.Onnx;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// ResNet18 in TorchSharp with the weights of ML.NET's featurizer file: a known tensor read as the file holds it, the
/// whole imported trunk against ONNX Runtime on the original ResNet18.onnx, and the exported fine-tunable graph
/// (normalization, trunk, head) against TorchSharp.
/// </summary>
[TestClass]
public sealed class ResNet18ImportTests
{
    private static readonly string ModelDirectory = PretrainedBackbone.ResNet18.ResolveModelDirectory();

    private static IReadOnlyDictionary<string, WeightTensor>? s_weights;

    private static IReadOnlyDictionary<string, WeightTensor> Weights => s_weights ??= ResNet18Weights.Import(ModelDirectory, 224);

    [TestMethod]
    public void FirstConvolutionAndBatchNorm_AreTheFilesTensors()
    {
        // Values read from ResNet18.onnx with an independent protobuf reader (Parameter91, Parameter96, Constant99).
        var conv = Weights["1.weight"];
        CollectionAssert.AreEqual(new long[] { 64, 3, 7, 7 }, conv.Shape);
        float[] first = [-0.020473213866353035f, -0.011778326705098152f, -0.004239605739712715f, -0.015522853471338749f];
        CollectionAssert.AreEqual(first, conv.Values.Take(4).ToArray());
        Assert.AreEqual(710.8294836539336, conv.Values.Sum(v => Math.Abs((double)v)), 1e-3);
        Assert.AreEqual(-0.5832880790886499, conv.Values.Sum(v => (double)v), 1e-3);
        Assert.AreEqual(1.1404865980148315f, Weights["2.weight"].Values[0]);
        Assert.AreEqual(2997.018798828125f, Weights["2.running_var"].Values[0]);
        Assert.AreEqual(726674.6127344621, Weights["2.running_var"].Values.Sum(v => (double)v), 0.5);
        // Every weight of the trunk was imported: 22 convolutions (the stem, 9 blocks of two, 3 downsamples), their 22
        // batch norms (4 values each), the mean image.
        Assert.HasCount(22 + 22 * 4 + 1, Weights);
        CollectionAssert.AreEqual(new long[] { 512, 256, 1, 1 }, Weights["11.down_conv.weight"].Shape);
        CollectionAssert.AreEqual(new long[] { 512, 512, 3, 3 }, Weights["13.conv2.weight"].Shape);
    }

    [TestMethod]
    public void ImportedTrunk_MatchesOnnxRuntimeOnTheOriginalFiles()
    {
        const int batch = 2, size = 224;
        var pixels = TrainedNetworks.RandomInput(batch * 3 * size * size, 21).Select(v => v * 255f).ToArray();
        // ML.NET's featurizer: the preprocessing model, then ResNet18 itself (both take one image at a time).
        var prep = File.ReadAllBytes(Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        var main = File.ReadAllBytes(Path.Combine(ModelDirectory, "ResNet18Onnx", "ResNet18.onnx"));
        var one = new long[] { 1, 3, size, size };
        var expected = new List<float>();
        for (int i = 0; i < batch; i++)
        {
            var image = pixels.AsSpan(i * 3 * size * size, 3 * size * size).ToArray();
            var prepared = OnnxRuntimeRunner.Run(prep, ("OriginalInput", image, one))["PreprocessedInput"].Values;
            var features = OnnxRuntimeRunner.Run(main, ("Input247", prepared, one)).Single().Value;
            CollectionAssert.AreEqual(new long[] { 1, 512, 1, 1 }, features.Shape);
            expected.AddRange(features.Values);
        }

        using var net = new EmbeddingNetwork(ResNet18Network.Create(size));
        net.LoadWeights(Weights);
        net.eval();
        var actual = TrainedNetworks.Forward(net, pixels, batch);
        Assert.IsGreaterThan(0.1f, expected.Max(), "the features are not all zero");
        TrainedNetworks.AssertClose(expected.ToArray(), actual, 1e-4f, "ResNet18 features, TorchSharp vs ONNX Runtime");
    }

    [TestMethod]
    public void ExportedFineTunableNetwork_MatchesTorchSharp()
    {
        const int batch = 2, size = 224;
        var spec = ResNet18Network.Create(size, PretrainedBackbone.ResNet18.Head());
        using var net = new EmbeddingNetwork(spec);
        net.LoadWeights(Weights);
        using (no_grad())
            foreach (var (_, p) in net.named_parameters()) p.add_(randn_like(p) * 0.01);  // as if fine-tuned
        net.eval();
        var pixels = TrainedNetworks.RandomInput(batch * spec.InputSize, 22).Select(v => v * 255f).ToArray();
        var expected = TrainedNetworks.Forward(net, pixels, batch);
        var model = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var actual = OnnxRuntimeRunner.Run(model, ("Features", pixels, new long[] { batch, spec.InputSize }))["Embedding"];
        CollectionAssert.AreEqual(new long[] { batch, 512 }, actual.Shape);
        TrainedNetworks.AssertClose(expected, actual.Values, 1e-4f, "fine-tuned ResNet18 + head, ONNX Runtime vs TorchSharp");
    }

    [TestMethod]
    public void SmallerImages_ImportWithAResampledMeanImage()
    {
        var weights = ResNet18Weights.Import(ModelDirectory, 160);
        CollectionAssert.AreEqual(new long[] { 3, 160, 160 }, weights["0.mean"].Shape);
        double mean = weights["0.mean"].Values.Average(v => (double)v);
        Assert.AreEqual(Weights["0.mean"].Values.Average(v => (double)v), mean, 0.5, "resampling keeps the mean image's level");
        Assert.AreEqual(ResNet18Network.PoolingLayer, ResNet18Network.Create(160).Layers.Count - 1);
        Assert.AreEqual(11, ResNet18Network.FrozenLayerCount(1));
        Assert.AreEqual(14, ResNet18Network.FrozenLayerCount(0));
        Assert.AreEqual(5, ResNet18Network.FrozenLayerCount(4));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ResNet18Network.FrozenLayerCount(5));
    }

    [TestMethod]
    public void AFileThatIsNotResNet18_IsRefusedByName()
    {
        string dir = Path.Combine(Path.GetTempPath(), "resnet-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "ResNet18Onnx"));
        Directory.CreateDirectory(Path.Combine(dir, "ResNetPrepOnnx"));
        try
        {
            File.Copy(Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx"), Path.Combine(dir, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
            // A valid ONNX model, but a small network: its convolutions do not make a ResNet18.
            var small = CustomSpecs.Residual();
            using var net = TrainedNetworks.Build(small, 1);
            File.WriteAllBytes(Path.Combine(dir, "ResNet18Onnx", "ResNet18.onnx"), OnnxExporter.ExportEmbedder(small, net.ExportWeights()));
            var e = Assert.ThrowsExactly<InvalidDataException>(() => ResNet18Weights.Import(dir, 224));
            StringAssert.Contains(e.Message, "ResNet18.onnx");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
