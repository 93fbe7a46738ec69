using MLNet.Siamese.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The sentence a divergence error adds when the network meets a known fault of libtorch 2.10's CPU convolution kernels:
/// on a CPU with AVX-512, convolutions whose channel count is not a multiple of 16 have turned the loss into NaN within
/// a few to a few hundred steps, with finite weights and inputs, while the same network on AVX2 (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>)
/// or with 32 or 48 channels trains normally. Measured with the Omniglot example (<c>--channels 20, 24, 40, 56</c>:
/// NaN at iterations 2-257; 32 and 48: none).
/// </summary>
internal static class CpuKernelHint
{
    /// <summary>The hint for <paramref name="spec"/> trained on <paramref name="device"/>, or an empty string when it does not apply.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="device">The training device.</param>
    /// <returns>A sentence starting with a space, or "".</returns>
    public static string For(NetworkSpec spec, Device device)
    {
        if (device.type != DeviceType.CPU) return string.Empty;
        var odd = spec.Layers
            .Select((layer, index) => layer is Conv2dLayer { OutChannels: var c } && c % 16 != 0 ? $"layer {index}: {c}" : null)
            .OfType<string>()
            .ToList();
        if (odd.Count == 0) return string.Empty;
        return $" Note: on CPUs with AVX-512, libtorch's convolution kernels have produced NaN losses with channel counts that are not a multiple of 16 ({string.Join(", ", odd)}); use multiples of 16, or set the environment variable ONEDNN_MAX_CPU_ISA=AVX2 before the process starts.";
    }
}
