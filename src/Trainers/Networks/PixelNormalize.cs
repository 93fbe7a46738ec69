using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Networks;

/// <summary>
/// The TorchSharp module of a <see cref="PixelNormalizeLayer"/>: reorders the channels, scales, and subtracts the mean
/// image, a buffer named "mean" (C x H x W, zeros until a pretrained network's mean is loaded; never trained).
/// </summary>
internal sealed class PixelNormalize : nn.Module<Tensor, Tensor>
{
    private readonly long[] _order;
    private readonly double _scale;
    private readonly Tensor _mean;

    /// <summary>Builds the module for images of <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public PixelNormalize(PixelNormalizeLayer spec, int channels, int height, int width) : base("PixelNormalize")
    {
        _order = spec.ChannelOrder.Select(c => (long)c).ToArray();
        _scale = spec.Scale;
        _mean = zeros(channels, height, width);
        register_buffer("mean", _mean);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var reordered = input.index_select(1, tensor(_order, device: input.device));
        using Scalar scale = _scale;
        return (reordered * scale - _mean).MoveToOuterDisposeScope();
    }
}
