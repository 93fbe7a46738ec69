using MLNet.Siamese.Runtime;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Tests.Trainers;

namespace MLNet.Siamese.Tests.Runtime;

/// <summary>The trainer's device follows MLContext.GpuDeviceId / FallbackToCpu unless the options name one.</summary>
[TestClass]
public sealed class TrainingDeviceTests
{
    [TestMethod]
    public void AutoFollowsTheContext()
    {
        Assert.AreEqual("cpu", TrainingDevice.Choose(SiameseDevice.Auto, gpuDeviceId: null, fallbackToCpu: false, cudaAvailable: true), "no GpuDeviceId: the CPU, as in ML.NET");
        Assert.AreEqual("cuda:1", TrainingDevice.Choose(SiameseDevice.Auto, 1, fallbackToCpu: false, cudaAvailable: true));
        Assert.AreEqual("cpu", TrainingDevice.Choose(SiameseDevice.Auto, 0, fallbackToCpu: true, cudaAvailable: false));
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => TrainingDevice.Choose(SiameseDevice.Auto, 0, fallbackToCpu: false, cudaAvailable: false));
        StringAssert.Contains(ex.Message, "GpuDeviceId");
        StringAssert.Contains(ex.Message, "FallbackToCpu");
    }

    [TestMethod]
    public void AnExplicitDeviceOverridesTheContext()
    {
        Assert.AreEqual("cpu", TrainingDevice.Choose(SiameseDevice.Cpu, 0, fallbackToCpu: false, cudaAvailable: true));
        Assert.AreEqual("cuda:0", TrainingDevice.Choose(SiameseDevice.Cuda, null, fallbackToCpu: false, cudaAvailable: true));
        Assert.ThrowsExactly<InvalidOperationException>(() => TrainingDevice.Choose(SiameseDevice.Cuda, null, fallbackToCpu: true, cudaAvailable: false));
    }

    [TestMethod]
    public void TrainingWithAGpuIdAndNoCudaSaysWhyBeforeTraining()
    {
        if (TorchSharp.torch.cuda.is_available())
            return;  // a CUDA machine trains on the GPU here; the refusal is what this machine can check
        var data = SyntheticGlyphs.Load(new Microsoft.ML.MLContext(seed: 1), SyntheticGlyphs.Make(3, 6, seed: 2));
        var options = SmallRuns.Options(iterations: 2);
        options.Device = SiameseDevice.Auto;
        var strict = new Microsoft.ML.MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = false };
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => strict.Siamese().Train(options).Fit(data));
        StringAssert.Contains(ex.Message, "FallbackToCpu");
    }
}
