namespace MLNet.Siamese.Trainers;

/// <summary>Where training runs.</summary>
public enum SiameseDevice
{
    /// <summary>
    /// The MLContext's choice, as ML.NET's GPU components make it: <c>GpuDeviceId</c> unset trains on the CPU; set, on that
    /// CUDA device, or on the CPU when it is missing and <c>FallbackToCpu</c> is true (otherwise training fails).
    /// </summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>A CUDA GPU (<c>GpuDeviceId</c>, or the first); fails when none is available.</summary>
    Cuda,
}
