using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// Writes a <see cref="ResidualBlockLayer"/> as ONNX nodes (Conv, BatchNormalization, Relu, Conv, BatchNormalization,
/// the shortcut, Add, Relu), with the weights named as <see cref="ResidualBlock"/> names them, under the layer's prefix
/// (e.g. "5.conv1.weight").
/// </summary>
internal sealed class ResidualBlockWriter
{
    private readonly OnnxGraphBuilder _graph;
    private readonly IReadOnlyDictionary<string, WeightTensor> _weights;
    private readonly string _prefix;

    /// <summary>Creates a writer for the block whose weights start with <paramref name="prefix"/> (e.g. "5.").</summary>
    public ResidualBlockWriter(OnnxGraphBuilder graph, IReadOnlyDictionary<string, WeightTensor> weights, string prefix)
    {
        _graph = graph;
        _weights = weights;
        _prefix = prefix;
    }

    /// <summary>Checks that every weight of the block is present with its shape.</summary>
    /// <exception cref="ArgumentException">A weight is missing or has the wrong shape.</exception>
    public static void RequireWeights(IReadOnlyDictionary<string, WeightTensor> weights, string prefix, int inChannels, ResidualBlockLayer block)
    {
        int c = block.OutChannels;
        NetworkGraphWriter.Require(weights, prefix + "conv1.weight", c, inChannels, 3, 3);
        NetworkGraphWriter.Require(weights, prefix + "conv2.weight", c, c, 3, 3);
        if (block.HasDownsample(inChannels))
            NetworkGraphWriter.Require(weights, prefix + "down_conv.weight", c, inChannels, 1, 1);
        foreach (var bn in block.BatchNormNames(inChannels))
            foreach (var part in ResidualBlockLayer.BatchNormParts)
                NetworkGraphWriter.Require(weights, prefix + bn + "." + part, c);
    }

    /// <summary>Writes the block from <paramref name="x"/> to <paramref name="y"/>.</summary>
    /// <returns><paramref name="y"/>.</returns>
    public string Write(ResidualBlockLayer block, int inChannels, string x, string y)
    {
        string a = BatchNorm(Conv(x, y + ".conv1", "conv1", 3, block.Stride, 1), y + ".bn1", "bn1", block.Epsilon);
        string b = BatchNorm(Conv(_graph.Node("Relu", y + ".relu1", new[] { a }), y + ".conv2", "conv2", 3, 1, 1), y + ".bn2", "bn2", block.Epsilon);
        string shortcut = block.HasDownsample(inChannels)
            ? BatchNorm(Conv(x, y + ".down_conv", "down_conv", 1, block.Stride, 0), y + ".down_bn", "down_bn", block.Epsilon)
            : x;
        return _graph.Node("Relu", y, new[] { _graph.Node("Add", y + ".sum", new[] { b, shortcut }) });
    }

    private string Conv(string x, string y, string name, int kernel, int stride, int padding) =>
        _graph.Node("Conv", y, new[] { x, Weight(name + ".weight") },
            OnnxProto.IntsAttribute("kernel_shape", kernel, kernel),
            OnnxProto.IntsAttribute("strides", stride, stride),
            OnnxProto.IntsAttribute("pads", padding, padding, padding, padding));

    private string BatchNorm(string x, string y, string name, double epsilon) =>
        _graph.Node("BatchNormalization", y,
            new[] { x, Weight(name + ".weight"), Weight(name + ".bias"), Weight(name + ".running_mean"), Weight(name + ".running_var") },
            OnnxProto.FloatAttribute("epsilon", (float)epsilon));

    private string Weight(string part)
    {
        string name = _prefix + part;
        var w = _weights[name];
        return _graph.FloatInitializer(name, w.Shape, w.Values);
    }
}
