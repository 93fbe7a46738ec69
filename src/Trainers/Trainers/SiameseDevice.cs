namespace MLNet.Siamese.Trainers;

/// <summary>Where training runs.</summary>
public enum SiameseDevice
{
    /// <summary>CUDA when TorchSharp reports it available, else CPU.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>The first CUDA GPU; fails when none is available.</summary>
    Cuda,
}
