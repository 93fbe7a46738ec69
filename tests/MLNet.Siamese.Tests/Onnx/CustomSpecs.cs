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

    /// <summary>A preset or a custom spec by name.</summary>
    public static NetworkSpec Create(string name) => name switch
    {
        "l2" => L2Normalized(),
        "global" => GlobalPooled(),
        _ => NetworkPresets.Create(name),
    };
}
