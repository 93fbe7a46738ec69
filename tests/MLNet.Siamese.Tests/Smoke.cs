namespace MLNet.Siamese.Tests;

[TestClass]
public sealed class Smoke
{
    [TestMethod]
    public void TensorAdds()
    {
        using var t = TorchSharp.torch.ones(3) + TorchSharp.torch.ones(3);
        Assert.AreEqual(6f, t.sum().item<float>());
    }
}
