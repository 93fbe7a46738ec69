using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>
/// Early stopping and the "do no harm" start keep weights as tensors beside the network: taken again in place at every
/// better validation (no serialized copies left behind), put back exactly.
/// </summary>
[TestClass]
public sealed class WeightSnapshotTests
{
    private static float[] Weights(EmbeddingNetwork network) => network.state_dict().Values.SelectMany(t => t.detach().cpu().data<float>().ToArray()).ToArray();

    private static void Perturb(EmbeddingNetwork network, float by)
    {
        using var noGrad = no_grad();
        foreach (var p in network.parameters()) p.add_(by);
    }

    [TestMethod]
    public void Restore_PutsBackTheWeightsOfTheLastCapture_Exactly()
    {
        using var network = new EmbeddingNetwork(NetworkPresets.SeedMlp(imageSize: 4, embeddingDimension: 3));
        var first = Weights(network);
        using var snapshot = new WeightSnapshot(network);
        Perturb(network, 0.5f);
        var second = Weights(network);
        CollectionAssert.AreNotEqual(first, second);

        snapshot.Restore();
        CollectionAssert.AreEqual(first, Weights(network), "back to the weights copied at construction");

        Perturb(network, 0.5f);
        snapshot.Capture();
        Perturb(network, -2f);
        snapshot.Restore();
        CollectionAssert.AreEqual(second, Weights(network), "back to the weights of the later capture");
    }
}
