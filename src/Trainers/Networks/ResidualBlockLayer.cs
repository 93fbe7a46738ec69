namespace MLNet.Siamese.Networks;

/// <summary>
/// A residual basic block (ResNet18/34): 3x3 convolution (stride <paramref name="Stride"/>), batch norm, ReLU, 3x3
/// convolution, batch norm, plus the shortcut, then ReLU. The shortcut is the input itself, or, when the block changes
/// the channel count or the stride is not 1, a 1x1 convolution with that stride and a batch norm ("downsample").
/// Convolutions have no bias (the batch norms shift). Weights are named "{layer}.conv1.weight", "{layer}.bn1.weight",
/// "{layer}.bn1.bias", "{layer}.bn1.running_mean", "{layer}.bn1.running_var", the same for conv2/bn2, and
/// "{layer}.down_conv.weight", "{layer}.down_bn.*" for the downsample.
/// </summary>
/// <param name="OutChannels">Output channels of both convolutions.</param>
/// <param name="Stride">Stride of the first convolution (and of the downsample): 1 keeps the size, 2 halves it.</param>
/// <param name="Epsilon">Batch-norm epsilon.</param>
public sealed record ResidualBlockLayer(int OutChannels, int Stride = 1, double Epsilon = 1e-5) : LayerSpec
{
    /// <summary>Whether a block with <paramref name="inChannels"/> input channels needs the 1x1 downsample shortcut.</summary>
    /// <param name="inChannels">Channels entering the block.</param>
    /// <returns>True when the channel count changes or the stride is not 1.</returns>
    public bool HasDownsample(int inChannels) => inChannels != OutChannels || Stride != 1;

    /// <summary>The names of the block's batch norms.</summary>
    /// <param name="inChannels">Channels entering the block.</param>
    /// <returns>"bn1", "bn2" and, with a downsample, "down_bn".</returns>
    public IReadOnlyList<string> BatchNormNames(int inChannels) => HasDownsample(inChannels) ? ["bn1", "bn2", "down_bn"] : ["bn1", "bn2"];

    /// <summary>The parts of a batch norm's state, as TorchSharp names them.</summary>
    public static IReadOnlyList<string> BatchNormParts { get; } = ["weight", "bias", "running_mean", "running_var"];
}
