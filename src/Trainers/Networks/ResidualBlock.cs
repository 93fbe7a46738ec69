using MLNet.Siamese.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Siamese.Networks;

/// <summary>
/// The TorchSharp module of a <see cref="ResidualBlockLayer"/>: conv1-bn1-relu-conv2-bn2, plus the shortcut (the input,
/// or down_conv-down_bn), then relu. Children are registered under the names the layer documents.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2dModule _bn1, _bn2;
    private readonly Conv2d? _downConv;
    private readonly BatchNorm2dModule? _downBn;

    /// <summary>Builds the block; the convolutions start He-normal, the batch norms at scale 1, shift 0.</summary>
    /// <param name="inChannels">Channels entering the block.</param>
    /// <param name="spec">The block's description.</param>
    public ResidualBlock(int inChannels, ResidualBlockLayer spec) : base("ResidualBlock")
    {
        int c = spec.OutChannels;
        _conv1 = Conv(inChannels, c, 3, spec.Stride, 1);
        _bn1 = new BatchNorm2dModule(c, spec.Epsilon);
        _conv2 = Conv(c, c, 3, 1, 1);
        _bn2 = new BatchNorm2dModule(c, spec.Epsilon);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        if (spec.HasDownsample(inChannels))
        {
            _downConv = Conv(inChannels, c, 1, spec.Stride, 0);
            _downBn = new BatchNorm2dModule(c, spec.Epsilon);
            register_module("down_conv", _downConv);
            register_module("down_bn", _downBn);
        }
    }

    private static Conv2d Conv(int inChannels, int outChannels, int kernel, int stride, int padding)
    {
        var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, bias: false);
        using var noGrad = no_grad();
        nn.init.normal_(conv.weight!, 0, Math.Sqrt(2.0 / (inChannels * kernel * kernel)));
        return conv;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = _bn2.forward(_conv2.forward(nn.functional.relu(_bn1.forward(_conv1.forward(input)))));
        var shortcut = _downConv is null ? input : _downBn!.forward(_downConv.forward(input));
        return nn.functional.relu(y.Plus(shortcut)).MoveToOuterDisposeScope();
    }
}
