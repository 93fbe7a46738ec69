using Google.Protobuf;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// A protobuf message built field by field and written with <see cref="CodedOutputStream"/>, without generated code.
/// Nested messages are kept as objects and their sizes computed (and cached) once, so large tensors are copied only
/// into the final buffer. Only the wire forms ONNX needs: varint int64, float, length-delimited string/bytes/message,
/// and packed int64/float lists.
/// </summary>
internal sealed class ProtoMessage
{
    private readonly List<Field> _fields = new();
    private int _size = -1;

    /// <summary>Adds an int64 (varint) field.</summary>
    public ProtoMessage Int64(int number, long value) => Add(new Int64Field(number, value));

    /// <summary>Adds a float (fixed32) field.</summary>
    public ProtoMessage Float(int number, float value) => Add(new FloatField(number, value));

    /// <summary>Adds a UTF-8 string field.</summary>
    public ProtoMessage String(int number, string value) => Add(new BytesField(number, ByteString.CopyFromUtf8(value)));

    /// <summary>Adds a bytes field; the memory is wrapped, not copied, and must not change until written.</summary>
    public ProtoMessage Bytes(int number, ReadOnlyMemory<byte> value) => Add(new BytesField(number, UnsafeByteOperations.UnsafeWrap(value)));

    /// <summary>Adds a packed repeated int64 field.</summary>
    public ProtoMessage PackedInt64(int number, IReadOnlyList<long> values) => Add(new PackedInt64Field(number, values));

    /// <summary>Adds a packed repeated float field.</summary>
    public ProtoMessage PackedFloat(int number, IReadOnlyList<float> values) => Add(new PackedFloatField(number, values));

    /// <summary>Adds an embedded message field (call once per element for repeated fields).</summary>
    public ProtoMessage Message(int number, ProtoMessage value) => Add(new MessageField(number, value));

    /// <summary>Size of the serialized message in bytes.</summary>
    public int CalculateSize()
    {
        if (_size < 0)
        {
            long size = 0;
            foreach (var f in _fields) size += CodedOutputStream.ComputeTagSize(f.Number) + f.PayloadSize();
            if (size > int.MaxValue) throw new InvalidOperationException("The ONNX model exceeds the 2 GB protobuf limit.");
            _size = (int)size;
        }
        return _size;
    }

    /// <summary>Writes the fields, in the order they were added.</summary>
    public void WriteTo(CodedOutputStream output)
    {
        foreach (var f in _fields) f.Write(output);
    }

    /// <summary>Serializes the message.</summary>
    public byte[] ToByteArray()
    {
        var buffer = new byte[CalculateSize()];
        var output = new CodedOutputStream(buffer);
        WriteTo(output);
        output.CheckNoSpaceLeft();
        return buffer;
    }

    private ProtoMessage Add(Field field)
    {
        _fields.Add(field);
        _size = -1;
        return this;
    }

    private abstract record Field(int Number)
    {
        public abstract int PayloadSize();

        public abstract void Write(CodedOutputStream output);
    }

    private sealed record Int64Field(int Number, long Value) : Field(Number)
    {
        public override int PayloadSize() => CodedOutputStream.ComputeInt64Size(Value);

        public override void Write(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.Varint);
            output.WriteInt64(Value);
        }
    }

    private sealed record FloatField(int Number, float Value) : Field(Number)
    {
        public override int PayloadSize() => 4;

        public override void Write(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.Fixed32);
            output.WriteFloat(Value);
        }
    }

    private sealed record BytesField(int Number, ByteString Value) : Field(Number)
    {
        public override int PayloadSize() => CodedOutputStream.ComputeBytesSize(Value);

        public override void Write(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Value);
        }
    }

    private sealed record PackedInt64Field(int Number, IReadOnlyList<long> Values) : Field(Number)
    {
        private int ContentSize() => Values.Sum(CodedOutputStream.ComputeInt64Size);

        public override int PayloadSize() => CodedOutputStream.ComputeLengthSize(ContentSize()) + ContentSize();

        public override void Write(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.LengthDelimited);
            output.WriteLength(ContentSize());
            foreach (var v in Values) output.WriteInt64(v);
        }
    }

    private sealed record PackedFloatField(int Number, IReadOnlyList<float> Values) : Field(Number)
    {
        public override int PayloadSize() => CodedOutputStream.ComputeLengthSize(4 * Values.Count) + 4 * Values.Count;

        public override void Write(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.LengthDelimited);
            output.WriteLength(4 * Values.Count);
            foreach (var v in Values) output.WriteFloat(v);
        }
    }

    private sealed record MessageField(int Number, ProtoMessage Value) : Field(Number)
    {
        public override int PayloadSize() => CodedOutputStream.ComputeLengthSize(Value.CalculateSize()) + Value.CalculateSize();

        public override void Write(CodedOutputStream output)
        {
            output.WriteTag(Number, WireFormat.WireType.LengthDelimited);
            output.WriteLength(Value.CalculateSize());
            Value.WriteTo(output);
        }
    }
}
