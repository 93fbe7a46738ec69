using System.Buffers.Binary;
using Google.Protobuf;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// Reads back what <see cref="OnnxExporter"/> and the gallery writer store in an ONNX model: the metadata_props,
/// the graph's initializers (float, int64 and string tensors) and its nodes' operators and value names (how a pretrained
/// model's initializers map onto layers). Enough to recover a network's weights from a saved
/// model, or a gallery's items from an identification model, without ONNX Runtime. Other fields are skipped.
/// </summary>
internal static class OnnxModelReader
{
    /// <summary>Parses the model bytes.</summary>
    /// <param name="model">ONNX ModelProto bytes.</param>
    /// <returns>The metadata and initializers.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a readable ONNX model.</exception>
    public static OnnxModelContents Read(ReadOnlySpan<byte> model)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var nodes = new List<OnnxNode>();
        try
        {
            var input = new CodedInputStream(model.ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(tag);
                if (field == 7 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    ReadGraph(input.ReadBytes(), initializers, inputs, nodes);
                else if (field == 14 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    ReadEntry(input.ReadBytes(), metadata);
                else
                    input.SkipLastField();
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("Not a readable ONNX model: " + e.Message, e);
        }
        return new OnnxModelContents(metadata, initializers, inputs, nodes);
    }

    private static void ReadEntry(ByteString bytes, Dictionary<string, string> metadata)
    {
        var input = bytes.CreateCodedInput();
        string key = "", value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        metadata[key] = value;
    }

    private static void ReadGraph(ByteString bytes, Dictionary<string, OnnxTensor> initializers, List<string> inputs, List<OnnxNode> nodes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            bool delimited = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            if (WireFormat.GetTagFieldNumber(tag) == 5 && delimited)
            {
                var tensor = ReadTensor(input.ReadBytes());
                initializers[tensor.Name] = tensor;
            }
            else if (WireFormat.GetTagFieldNumber(tag) == 1 && delimited)
            {
                nodes.Add(ReadNode(input.ReadBytes()));
            }
            else if (WireFormat.GetTagFieldNumber(tag) == 11 && delimited)
            {
                inputs.Add(ReadName(input.ReadBytes()));
            }
            else
            {
                input.SkipLastField();
            }
        }
    }

    private static OnnxNode ReadNode(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var inputs = new List<string>();
        var outputs = new List<string>();
        string op = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 2: outputs.Add(input.ReadString()); break;
                case 4: op = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxNode(op, inputs, outputs);
    }

    private static string ReadName(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1) return input.ReadString();
            input.SkipLastField();
        }
        return "";
    }

    private static OnnxTensor ReadTensor(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        var floats = new List<float>();
        var longs = new List<long>();
        var strings = new List<string>();
        byte[]? raw = null;
        long type = 0;
        string name = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            bool packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: ReadInt64s(input, packed, dims); break;
                case 2: type = input.ReadInt64(); break;
                case 4:
                    if (packed)
                    {
                        var block = input.ReadBytes().Span;
                        for (int i = 0; i + 4 <= block.Length; i += 4) floats.Add(BinaryPrimitives.ReadSingleLittleEndian(block[i..]));
                    }
                    else
                    {
                        floats.Add(input.ReadFloat());
                    }
                    break;
                case 6: strings.Add(input.ReadBytes().ToStringUtf8()); break;
                case 7: ReadInt64s(input, packed, longs); break;
                case 8: name = input.ReadString(); break;
                case 9: raw = input.ReadBytes().ToByteArray(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (OnnxProto.DataType)type switch
        {
            OnnxProto.DataType.Float => new OnnxTensor(name, dims.ToArray(), raw is null ? floats.ToArray() : FloatsOf(raw), null, null),
            OnnxProto.DataType.Int64 => new OnnxTensor(name, dims.ToArray(), null, raw is null ? longs.ToArray() : LongsOf(raw), null),
            OnnxProto.DataType.String => new OnnxTensor(name, dims.ToArray(), null, null, strings.ToArray()),
            _ => new OnnxTensor(name, dims.ToArray(), null, null, null),
        };
    }

    private static void ReadInt64s(CodedInputStream input, bool packed, List<long> target)
    {
        if (!packed)
        {
            target.Add(input.ReadInt64());
            return;
        }
        var block = input.ReadBytes().CreateCodedInput();
        while (!block.IsAtEnd) target.Add(block.ReadInt64());
    }

    private static float[] FloatsOf(byte[] raw)
    {
        var values = new float[raw.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * i));
        return values;
    }

    private static long[] LongsOf(byte[] raw)
    {
        var values = new long[raw.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * i));
        return values;
    }
}

/// <summary>The metadata, initializers, graph input names and nodes of an ONNX model.</summary>
/// <param name="Metadata">metadata_props as a dictionary.</param>
/// <param name="Initializers">Initializers by name.</param>
/// <param name="Inputs">Names of the graph inputs, in order.</param>
/// <param name="Nodes">The graph's nodes, in order (operator type, input and output names; attributes are not read).</param>
internal sealed record OnnxModelContents(IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, OnnxTensor> Initializers, IReadOnlyList<string> Inputs, IReadOnlyList<OnnxNode> Nodes);

/// <summary>One node of an ONNX graph.</summary>
/// <param name="OpType">Operator, e.g. "Conv".</param>
/// <param name="Inputs">Input value names.</param>
/// <param name="Outputs">Output value names.</param>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>One initializer; exactly one of the value arrays is set for the float, int64 and string types.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Dims">Shape.</param>
/// <param name="Floats">Float values, or null.</param>
/// <param name="Longs">Int64 values, or null.</param>
/// <param name="Strings">String values, or null.</param>
internal sealed record OnnxTensor(string Name, long[] Dims, float[]? Floats, long[]? Longs, string[]? Strings);
