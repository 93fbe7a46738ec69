using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace MLNet.Siamese.Index;

/// <summary>
/// The file format of <see cref="SimilarityIndex.Save"/>, little-endian throughout:
/// <code>
/// offset  size  field
///      0     8  magic "MLNSIDX" 0x1A
///      8     4  version (uint32, 1)
///     12     4  dimension (int32, >= 1)
///     16     4  count (int32, >= 0)
///     20     4  distance (int32: 0 Euclidean, 1 Cosine)
///     24        count ids:    int32 byte length + UTF-8 bytes each
///               count labels: int32 byte length + UTF-8 bytes each
///               count x dimension float32 values, row-major, insertion order
///    end-32 32  SHA-256 of every preceding byte
/// </code>
/// </summary>
internal static class SimilarityIndexFile
{
    public const uint Version = 1;
    public const int HeaderSize = 24;
    public const int TrailerSize = 32;
    private static ReadOnlySpan<byte> Magic => "MLNSIDX\u001A"u8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes to a temporary file next to <paramref name="path"/>, flushes it to disk, and renames it over the target.</summary>
    /// <param name="index">The index.</param>
    /// <param name="path">The target.</param>
    /// <param name="wrap">Test hook: wraps the file stream (for example to fail part-way); null in normal use.</param>
    public static void Save(SimilarityIndex index, string path, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot save the similarity index to '{full}': the folder '{folder}' does not exist.");
        if (Directory.Exists(full))
            throw new IOException($"Cannot save the similarity index to '{full}': a folder of that name exists.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var target = wrap is null ? file : wrap(file);
                Write(index, target);
                target.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void Write(SimilarityIndex index, Stream target)
    {
        using var hashing = new HashingStream(target);
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], index.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], index.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], (int)index.Distance);
        hashing.Write(header);
        WriteStrings(hashing, index.Ids);
        WriteStrings(hashing, index.Labels);
        WriteFloats(hashing, index.Data);
        target.Write(hashing.GetHashAndReset());
    }

    public static SimilarityIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"The similarity index file '{full}' does not exist.", full);
        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long length = file.Length;
        InvalidDataException Bad(string why) => new($"'{full}' is not a valid similarity index file: {why}");
        if (length < HeaderSize + TrailerSize)
            throw Bad($"it is {length} bytes long, shorter than the {HeaderSize + TrailerSize}-byte header and checksum (truncated?).");

        Span<byte> header = stackalloc byte[HeaderSize];
        file.ReadExactly(header);
        if (!header[..8].SequenceEqual(Magic))
            throw Bad("it does not start with the magic bytes 'MLNSIDX' 0x1A (not a similarity index, or corrupted).");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != Version)
            throw Bad($"format version {version} is not supported (this library reads version {Version}).");

        // Verify the checksum before trusting any length in the body.
        file.Position = 0;
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[1 << 16];
            long remaining = length - TrailerSize;
            while (remaining > 0)
            {
                int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (n == 0) throw Bad("the file ended while reading it (truncated while open?).");
                hash.AppendData(buffer, 0, n);
                remaining -= n;
            }
            Span<byte> stored = stackalloc byte[TrailerSize];
            file.ReadExactly(stored);
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
                throw Bad("the SHA-256 checksum does not match its content (the file is corrupted or truncated).");
        }

        int dimension = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        int distance = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        if (dimension <= 0) throw Bad($"the dimension {dimension} is not positive.");
        if (count < 0) throw Bad($"the item count {count} is negative.");
        if (!Enum.IsDefined((VectorDistance)distance)) throw Bad($"the distance kind {distance} is unknown.");
        long dataBytes = (long)count * dimension * sizeof(float);
        if (dataBytes > length) throw Bad($"it claims {count} embeddings of dimension {dimension}, more than its {length} bytes hold.");

        file.Position = HeaderSize;
        long bodyEnd = length - TrailerSize;
        var index = new SimilarityIndex(dimension, (VectorDistance)distance);
        using var reader = new BinaryReader(new BufferedStream(file, 1 << 16), StrictUtf8, leaveOpen: true);
        long position = HeaderSize;
        string[] ids = ReadStrings(reader, count, "id", ref position, bodyEnd - dataBytes, Bad);
        string[] labels = ReadStrings(reader, count, "label", ref position, bodyEnd - dataBytes, Bad);
        if (position != bodyEnd - dataBytes)
            throw Bad($"after the ids and labels the embeddings take {bodyEnd - position} bytes instead of {dataBytes}.");

        index.EnsureCapacity(count);
        var row = new float[dimension];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(row.AsSpan()));
            if (!BitConverter.IsLittleEndian)
                for (int j = 0; j < dimension; j++)
                    row[j] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(row[j])));
            if (ids[i].Length == 0) throw Bad($"item {i} has an empty id.");
            if (!seen.Add(ids[i])) throw Bad($"the id '{ids[i]}' appears twice.");
            foreach (float v in row)
                if (!float.IsFinite(v)) throw Bad($"the embedding of item '{ids[i]}' contains NaN or infinity.");
            index.AppendTrusted(ids[i], labels[i], row);
        }
        return index;
    }

    private static string[] ReadStrings(BinaryReader reader, int count, string what, ref long position, long limit, Func<string, InvalidDataException> bad)
    {
        var values = new string[count];
        for (int i = 0; i < count; i++)
        {
            if (position + 4 > limit) throw bad($"the {what} of item {i} runs past the end of the text section.");
            int bytes = reader.ReadInt32();
            position += 4;
            if (bytes < 0 || position + bytes > limit)
                throw bad($"the {what} of item {i} claims {bytes} bytes, outside the text section.");
            byte[] raw = reader.ReadBytes(bytes);
            if (raw.Length != bytes) throw bad($"the file ended inside the {what} of item {i}.");
            try { values[i] = StrictUtf8.GetString(raw); }
            catch (DecoderFallbackException) { throw bad($"the {what} of item {i} is not valid UTF-8."); }
            position += bytes;
        }
        return values;
    }

    private static void WriteStrings(Stream target, IReadOnlyList<string> values)
    {
        Span<byte> length = stackalloc byte[4];
        foreach (string value in values)
        {
            byte[] bytes = StrictUtf8.GetBytes(value);
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            target.Write(length);
            target.Write(bytes);
        }
    }

    private static void WriteFloats(Stream target, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            target.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> four = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            target.Write(four);
        }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
