using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Runtime;

/// <summary>
/// Where a training run goes: <see cref="SiameseDevice.Auto"/> follows the MLContext as ML.NET's own GPU components do
/// (<c>GpuDeviceId</c> null: the CPU; set: that CUDA device, or the CPU when it is missing and <c>FallbackToCpu</c> is
/// true); <see cref="SiameseDevice.Cpu"/> and <see cref="SiameseDevice.Cuda"/> override it.
/// </summary>
internal static class TrainingDevice
{
    /// <summary>The device, as TorchSharp names it (<c>cpu</c>, <c>cuda:N</c>).</summary>
    /// <exception cref="InvalidOperationException">A CUDA device was asked for (explicitly, or by <c>GpuDeviceId</c> without
    /// <c>FallbackToCpu</c>) and TorchSharp reports none; the message says which setting asked and what to do.</exception>
    public static string Choose(SiameseDevice device, int? gpuDeviceId, bool fallbackToCpu, bool cudaAvailable) => device switch
    {
        SiameseDevice.Cpu => "cpu",
        SiameseDevice.Cuda => cudaAvailable ? $"cuda:{gpuDeviceId ?? 0}"
            : throw new InvalidOperationException("Device Cuda was requested but TorchSharp reports no CUDA device. Reference a libtorch-cuda-* package in the application and check the NVIDIA driver, or use Device Auto/Cpu."),
        _ when gpuDeviceId is null => "cpu",
        _ when cudaAvailable => $"cuda:{gpuDeviceId}",
        _ when fallbackToCpu => "cpu",
        _ => throw new InvalidOperationException($"MLContext.GpuDeviceId is {gpuDeviceId} but TorchSharp reports no CUDA device, and MLContext.FallbackToCpu is false. Reference a libtorch-cuda-* package in the application, set FallbackToCpu = true, or leave GpuDeviceId unset to train on the CPU."),
    };

    /// <summary>The TorchSharp device of <see cref="Choose"/> for this machine.</summary>
    public static Device Resolve(SiameseDevice device, int? gpuDeviceId, bool fallbackToCpu)
        => new(Choose(device, gpuDeviceId, fallbackToCpu, cuda.is_available()));
}
