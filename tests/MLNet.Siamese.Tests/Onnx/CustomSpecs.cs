using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Tests.Onnx;

/// <summary>Small hand-written specifications that exercise layers and attributes the presets do not.</summary>
internal static class CustomSpecs
{
    /// <summary>Flatten, linear, tanh, L2 normalization.</summary>
    public static NetworkSpec L2Normalized() => new("l2", 1, 8, 8, new LayerSpec[]
    {
        new FlattenLayer(), new LinearLayer(16, WeightInit.Glorot), new TanhLayer(), new LinearLayer(5, WeightInit.Glorot), new L2NormalizeLayer(),
    });

    /// <summary>Strided padded convolution, overlapping pooling, batch norm, global average pooling, L2 normalization; 3 channels.</summary>
    public static NetworkSpec GlobalPooled() => new("global", 3, 20, 18, new LayerSpec[]
    {
        new Conv2dLayer(6, 5, Stride: 2, Padding: 2), new TanhLayer(), new MaxPool2dLayer(3, 2),
        new Conv2dLayer(8, 3, Padding: 1), new BatchNorm2dLayer(Epsilon: 1e-3), new ReluLayer(), new AvgPool2dLayer(3, 1),
        new GlobalAvgPoolLayer(), new L2NormalizeLayer(),
    });

    /// <summary>
    /// Pixel normalization (channel reorder, scale, mean image), a bias-free stem with padded max pooling, a residual block
    /// with the identity shortcut and one with the strided 1x1 downsample, global average pooling, L2 normalization.
    /// </summary>
    public static NetworkSpec Residual() => new("residual", 3, 16, 16, new LayerSpec[]
    {
        new PixelNormalizeLayer(2.0, [2, 0, 1]), new Conv2dLayer(8, 3, Padding: 1, Bias: false), new BatchNorm2dLayer(), new ReluLayer(),
        new MaxPool2dLayer(3, 2, 1), new ResidualBlockLayer(8), new ResidualBlockLayer(12, 2), new GlobalAvgPoolLayer(), new L2NormalizeLayer(),
    });

    /// <summary>A preset or a custom spec by name.</summary>
    public static NetworkSpec Create(string name) => name switch
    {
        "l2" => L2Normalized(),
        "global" => GlobalPooled(),
        "residual" => Residual(),
        _ => NetworkPresets.Create(name),
    };
}
