using MLNet.Siamese.Networks;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Networks;

[TestClass]
public sealed class NetworkSpecTests
{
    [TestMethod]
    [DataRow("compact", 28, 64)]
    [DataRow("conv4", 28, 64)]
    [DataRow("mlp", 28, 2)]
    [DataRow("keras", 28, 10)]
    [DataRow("koch", 105, 4096)]
    public void PresetsInferTheirEmbeddingSize(string name, int size, int dimension)
    {
        var spec = NetworkPresets.Create(name);
        Assert.AreEqual(size * size, spec.InputSize);
        Assert.AreEqual(dimension, spec.EmbeddingDimension);
    }

    [TestMethod]
    public void Conv4IsCompactWithoutItsProjectionAndGrowsWithTheInput()
    {
        var conv4 = NetworkPresets.Conv4(48);
        var compact = NetworkPresets.Compact(48, 64);
        CollectionAssert.AreEqual(compact.Layers.Take(compact.Layers.Count - 1).ToArray(), conv4.Layers.ToArray());
        Assert.AreEqual(64 * 3 * 3, conv4.EmbeddingDimension);
    }

    [TestMethod]
    public void CompactTakesItsWidth()
    {
        var narrow = NetworkPresets.Compact(48, 32, channels: 48);
        Assert.AreEqual(32, narrow.EmbeddingDimension);
        Assert.IsTrue(narrow.Layers.OfType<Conv2dLayer>().All(c => c.OutChannels == 48));
        Assert.AreEqual(4, narrow.Layers.OfType<Conv2dLayer>().Count());
        Assert.AreNotEqual(NetworkPresets.Compact(48, 32), narrow, "the width is part of the specification (checkpoints check it)");
    }

    [TestMethod]
    public void JsonRoundTripKeepsEveryLayer()
    {
        foreach (var name in NetworkPresets.Names)
        {
            var spec = NetworkPresets.Create(name);
            var back = NetworkSpec.FromJson(spec.ToJson());
            Assert.AreEqual(spec, back, name);
        }
    }

    [TestMethod]
    public void KernelLargerThanInputIsRefusedNamingTheLayer()
    {
        var spec = NetworkPresets.Koch(20);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => spec.InferShapes());
        StringAssert.Contains(ex.Message, "layer");
    }

    [TestMethod]
    public void MalformedJsonIsInvalidData()
    {
        Assert.ThrowsExactly<InvalidDataException>(() => NetworkSpec.FromJson("{\"Name\":\"x\""));
        Assert.ThrowsExactly<InvalidDataException>(() => NetworkSpec.FromJson("{\"Name\":\"x\",\"Channels\":1,\"Height\":4,\"Width\":4,\"Layers\":[{\"type\":\"conv2d\",\"OutChannels\":2,\"KernelSize\":9}]}"));
    }

    [TestMethod]
    public void ModuleForwardsAndExportsWeightsNamedByLayerIndex()
    {
        manual_seed(1);
        using var net = new EmbeddingNetwork(NetworkPresets.Compact(28, 16));
        using var x = rand(3, 784);
        using var y = net.forward(x);
        CollectionAssert.AreEqual(new long[] { 3, 16 }, y.shape);
        var weights = net.ExportWeights();
        CollectionAssert.Contains(weights.Keys.ToList(), "0.weight");
        CollectionAssert.Contains(weights.Keys.ToList(), "1.running_var");
        CollectionAssert.Contains(weights.Keys.ToList(), "17.bias");
        Assert.IsFalse(weights.Keys.Any(k => k.Contains("num_batches", StringComparison.Ordinal)));
        CollectionAssert.AreEqual(new long[] { 64, 1, 3, 3 }, weights["0.weight"].Shape);
    }

    [TestMethod]
    public void ForwardBackwardChangesWeights()
    {
        manual_seed(2);
        using var net = new EmbeddingNetwork(NetworkPresets.SeedMlp());
        using var opt = optim.Adam(net.parameters(), 1e-3);
        var before = net.ExportWeights()["1.weight"].Values.ToArray();
        using (NewDisposeScope())
        {
            var loss = net.forward(rand(4, 784)).pow(2).sum();
            loss.backward();
            opt.step();
        }
        CollectionAssert.AreNotEqual(before, net.ExportWeights()["1.weight"].Values);
    }
}
