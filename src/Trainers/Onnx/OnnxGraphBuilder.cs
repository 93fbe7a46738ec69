namespace MLNet.Siamese.Onnx;

/// <summary>
/// Collects the nodes, initializers, inputs and outputs of one ONNX graph and writes the model. Initializers are
/// stored once per name, so two branches of a graph can share weights.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<ProtoMessage> _nodes = new();
    private readonly List<ProtoMessage> _initializers = new();
    private readonly HashSet<string> _initializerNames = new(StringComparer.Ordinal);
    private readonly List<ProtoMessage> _inputs = new();
    private readonly List<ProtoMessage> _outputs = new();

    /// <summary>Adds a float initializer unless one with that name exists.</summary>
    /// <returns>The name.</returns>
    public string FloatInitializer(string name, IReadOnlyList<long> dims, float[] values)
    {
        if (_initializerNames.Add(name)) _initializers.Add(OnnxProto.FloatTensor(name, dims, values));
        return name;
    }

    /// <summary>Adds a float scalar (rank 0) initializer unless one with that name exists.</summary>
    /// <returns>The name.</returns>
    public string FloatScalar(string name, float value) => FloatInitializer(name, Array.Empty<long>(), new[] { value });

    /// <summary>Adds an int64 initializer unless one with that name exists.</summary>
    /// <returns>The name.</returns>
    public string Int64Initializer(string name, IReadOnlyList<long> dims, long[] values)
    {
        if (_initializerNames.Add(name)) _initializers.Add(OnnxProto.Int64Tensor(name, dims, values));
        return name;
    }

    /// <summary>Adds a string initializer unless one with that name exists.</summary>
    /// <returns>The name.</returns>
    public string StringInitializer(string name, IReadOnlyList<long> dims, IReadOnlyList<string> values)
    {
        if (_initializerNames.Add(name)) _initializers.Add(OnnxProto.StringTensor(name, dims, values));
        return name;
    }

    /// <summary>Adds a node with several outputs; the node is named after its first output.</summary>
    /// <returns>The output names.</returns>
    public IReadOnlyList<string> MultiOutputNode(string opType, IReadOnlyList<string> outputs, IReadOnlyList<string> inputs, params ProtoMessage[] attributes)
    {
        _nodes.Add(OnnxProto.Node(opType, outputs[0], inputs, outputs, attributes));
        return outputs;
    }

    /// <summary>Adds a node with one output; the node is named after its output.</summary>
    /// <returns>The output name.</returns>
    public string Node(string opType, string output, IReadOnlyList<string> inputs, params ProtoMessage[] attributes)
    {
        _nodes.Add(OnnxProto.Node(opType, output, inputs, new[] { output }, attributes));
        return output;
    }

    /// <summary>Declares a graph input.</summary>
    public void Input(ProtoMessage valueInfo) => _inputs.Add(valueInfo);

    /// <summary>Declares a graph output.</summary>
    public void Output(ProtoMessage valueInfo) => _outputs.Add(valueInfo);

    /// <summary>Serializes the model.</summary>
    public byte[] ToModelBytes(string graphName, string docString, IReadOnlyDictionary<string, string>? metadata)
    {
        var graph = OnnxProto.Graph(graphName, docString, _nodes, _initializers, _inputs, _outputs);
        string version = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        return OnnxProto.Model(graph, "MLNet.Siamese", version, docString, metadata).ToByteArray();
    }
}
