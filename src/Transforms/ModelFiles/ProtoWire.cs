namespace MLNet.Siamese.ModelFiles;

/// <summary>The two primitives of the protobuf wire format the ONNX readers need, bounds-checked.</summary>
internal static class ProtoWire
{
    /// <summary>Reads a base-128 varint at <paramref name="position"/> and moves past it.</summary>
    /// <exception cref="InvalidDataException">The data ends inside the varint, or it is longer than 10 bytes.</exception>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
                throw new InvalidDataException("the message ends inside a varint");
            byte b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
        }
        throw new InvalidDataException("a varint longer than 10 bytes");
    }

    /// <summary>Moves past a fixed-size field of <paramref name="count"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The data ends inside the field.</exception>
    public static void Skip(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (data.Length - position < count)
            throw new InvalidDataException("the message ends inside a fixed-size field");
        position += count;
    }

    /// <summary>Reads the length prefix of a length-delimited field and returns its payload, moving past it.</summary>
    /// <exception cref="InvalidDataException">The field runs past the end of its message.</exception>
    public static ReadOnlySpan<byte> ReadPayload(ReadOnlySpan<byte> data, ref int position)
    {
        ulong length = ReadVarint(data, ref position);
        if (length > (ulong)(data.Length - position))
            throw new InvalidDataException($"a field of {length} bytes runs past the end of its message");
        var payload = data.Slice(position, (int)length);
        position += (int)length;
        return payload;
    }
}
