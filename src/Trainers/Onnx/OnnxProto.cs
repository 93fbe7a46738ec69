using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// Builds the few ONNX protobuf messages the exporter writes, with the field numbers of the official onnx.proto
/// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto,
/// OperatorSetIdProto, StringStringEntryProto). Messages are built bottom-up and serialized once.
/// </summary>
internal static class OnnxProto
{
    /// <summary>IR version 8 (ONNX 1.10+, opsets up to 17).</summary>
    public const long IrVersion = 8;

    /// <summary>Default-domain opset the graphs use: ReduceL2/ReduceSumSquare still take "axes" as an attribute.</summary>
    public const long OpsetVersion = 17;

    /// <summary>TensorProto.DataType values.</summary>
    public enum DataType
    {
        /// <summary>32-bit float.</summary>
        Float = 1,
        /// <summary>64-bit integer.</summary>
        Int64 = 7,
        /// <summary>UTF-8 string.</summary>
        String = 8,
        /// <summary>Boolean.</summary>
        Bool = 9,
    }

    /// <summary>ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8, metadata_props 14.</summary>
    public static ProtoMessage Model(ProtoMessage graph, string producerName, string producerVersion, string docString, IReadOnlyDictionary<string, string>? metadata)
    {
        var model = new ProtoMessage()
            .Int64(1, IrVersion)
            .String(2, producerName)
            .String(3, producerVersion)
            .String(6, docString)
            .Message(7, graph)
            .Message(8, new ProtoMessage().String(1, "").Int64(2, OpsetVersion));
        if (metadata is not null)
            foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                model.Message(14, new ProtoMessage().String(1, key).String(2, value));
        return model;
    }

    /// <summary>GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12.</summary>
    public static ProtoMessage Graph(string name, string docString, IEnumerable<ProtoMessage> nodes, IEnumerable<ProtoMessage> initializers,
        IEnumerable<ProtoMessage> inputs, IEnumerable<ProtoMessage> outputs)
    {
        var graph = new ProtoMessage();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, name);
        foreach (var t in initializers) graph.Message(5, t);
        graph.String(10, docString);
        foreach (var i in inputs) graph.Message(11, i);
        foreach (var o in outputs) graph.Message(12, o);
        return graph;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.</summary>
    public static ProtoMessage Node(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IEnumerable<ProtoMessage> attributes)
    {
        var node = new ProtoMessage();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, name).String(4, opType);
        foreach (var a in attributes) node.Message(5, a);
        return node;
    }

    /// <summary>AttributeProto of type INT (2): name 1, i 3, type 20.</summary>
    public static ProtoMessage IntAttribute(string name, long value) => new ProtoMessage().String(1, name).Int64(3, value).Int64(20, 2);

    /// <summary>AttributeProto of type FLOAT (1): name 1, f 2, type 20.</summary>
    public static ProtoMessage FloatAttribute(string name, float value) => new ProtoMessage().String(1, name).Float(2, value).Int64(20, 1);

    /// <summary>AttributeProto of type STRING (3): name 1, s 4, type 20.</summary>
    public static ProtoMessage StringAttribute(string name, string value) => new ProtoMessage().String(1, name).String(4, value).Int64(20, 3);

    /// <summary>AttributeProto of type INTS (7): name 1, ints 8, type 20.</summary>
    public static ProtoMessage IntsAttribute(string name, params long[] values) => new ProtoMessage().String(1, name).PackedInt64(8, values).Int64(20, 7);

    /// <summary>TensorProto holding float32 values: dims 1, data_type 2, name 8, raw_data 9 (little-endian).</summary>
    public static ProtoMessage FloatTensor(string name, IReadOnlyList<long> dims, float[] values)
    {
        byte[] raw;
        if (BitConverter.IsLittleEndian)
        {
            raw = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        }
        else
        {
            raw = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
        }
        return Tensor(name, dims, DataType.Float, raw);
    }

    /// <summary>TensorProto holding int64 values (raw_data, little-endian).</summary>
    public static ProtoMessage Int64Tensor(string name, IReadOnlyList<long> dims, long[] values)
    {
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        return Tensor(name, dims, DataType.Int64, raw);
    }

    /// <summary>TensorProto holding UTF-8 strings: dims 1, data_type 2, string_data 6 (one bytes field per value), name 8.</summary>
    public static ProtoMessage StringTensor(string name, IReadOnlyList<long> dims, IReadOnlyList<string> values)
    {
        var tensor = new ProtoMessage();
        if (dims.Count > 0) tensor.PackedInt64(1, dims);
        tensor.Int64(2, (long)DataType.String);
        foreach (var v in values) tensor.String(6, v);
        return tensor.String(8, name);
    }

    private static ProtoMessage Tensor(string name, IReadOnlyList<long> dims, DataType type, byte[] raw)
    {
        var tensor = new ProtoMessage();
        if (dims.Count > 0) tensor.PackedInt64(1, dims);
        return tensor.Int64(2, (long)type).String(8, name).Bytes(9, raw);
    }

    /// <summary>
    /// ValueInfoProto (name 1, type 2) of a tensor: TypeProto.tensor_type 1 { elem_type 1, shape 2 { dim 1 { dim_value 1 | dim_param 2 } } }.
    /// </summary>
    /// <param name="name">Value name.</param>
    /// <param name="type">Element type.</param>
    /// <param name="dims">Each dimension: a positive size, or null for the symbolic batch dimension "N".</param>
    public static ProtoMessage TensorValueInfo(string name, DataType type, params long?[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var d in dims)
            shape.Message(1, d is long size ? new ProtoMessage().Int64(1, size) : new ProtoMessage().String(2, "N"));
        var tensorType = new ProtoMessage().Int64(1, (long)type).Message(2, shape);
        return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }
}
