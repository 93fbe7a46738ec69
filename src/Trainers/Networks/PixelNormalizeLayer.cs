namespace MLNet.Siamese.Networks;

/// <summary>
/// The input normalization of a pretrained image network, inside the graph: output channel c is input channel
/// <c>ChannelOrder[c]</c> times <paramref name="Scale"/>, minus a mean image (the weight "{layer}.mean", shape C x H x W,
/// not trained). For ML.NET's ImageNet ResNet18 (<see cref="Backbones.ResNet18Network"/>): RGB 0..255 planes in, BGR
/// planes minus ImageNet's mean image out, exactly what the featurizer's preprocessing model does.
/// </summary>
/// <param name="Scale">Multiplies every input value (e.g. 1 for 0..255 input, 255 for 0..1 input).</param>
/// <param name="ChannelOrder">For each output channel, the input channel it reads (a permutation, e.g. 2, 1, 0 for RGB to BGR).</param>
public sealed record PixelNormalizeLayer(double Scale, IReadOnlyList<int> ChannelOrder) : LayerSpec
{
    /// <summary>Value equality including the channel order's elements.</summary>
    /// <param name="other">The other layer.</param>
    /// <returns>True when the scale and every channel index are equal.</returns>
    public bool Equals(PixelNormalizeLayer? other) => other is not null && Scale.Equals(other.Scale)
        && (ChannelOrder ?? []).SequenceEqual(other.ChannelOrder ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scale, ChannelOrder?.Count ?? 0);
}
