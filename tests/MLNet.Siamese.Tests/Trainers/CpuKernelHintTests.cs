using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>
/// <see cref="CpuKernelHint"/>: a divergence on the CPU names the convolutions whose channel count is not a multiple of 16
/// (the AVX-512 kernel fault) and the two ways around it; networks without such layers, and GPU training, get no hint.
/// </summary>
[TestClass]
public sealed class CpuKernelHintTests
{
    [TestMethod]
    public void NamesEachConvolutionWithAChannelCountThatIsNotAMultipleOf16()
    {
        string hint = CpuKernelHint.For(NetworkPresets.Compact(28, 16, channels: 40), CPU);
        StringAssert.Contains(hint, "layer 0: 40, layer 4: 40, layer 8: 40, layer 12: 40");
        StringAssert.Contains(hint, "ONEDNN_MAX_CPU_ISA=AVX2");
        StringAssert.StartsWith(hint, " ");
    }

    [TestMethod]
    public void MultiplesOf16NetworksWithoutConvolutionsAndTheGpuGetNoHint()
    {
        Assert.AreEqual(string.Empty, CpuKernelHint.For(NetworkPresets.Compact(28, 16, channels: 48), CPU));
        Assert.AreEqual(string.Empty, CpuKernelHint.For(NetworkPresets.SeedMlp(), CPU));
        Assert.AreEqual(string.Empty, CpuKernelHint.For(NetworkPresets.Compact(28, 16, channels: 40), new Device(TorchSharp.DeviceType.CUDA, 0)));
    }
}
