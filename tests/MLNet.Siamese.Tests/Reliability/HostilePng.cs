using System.Buffers.Binary;
using System.IO.Compression;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>Builds PNG files byte by byte, with valid chunk CRCs, so headers can lie.</summary>
internal static class HostilePng
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        data.CopyTo(chunk.AsSpan(8));
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(chunk.AsSpan(4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), crc.GetCurrentHashAsUInt32());
        return chunk;
    }

    /// <summary>An 8-bit grayscale PNG header claiming <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] Ihdr(int width, int height)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = 8; // bit depth
        data[9] = 0; // grayscale
        return Chunk("IHDR", data);
    }

    /// <summary>
    /// A PNG whose header claims <paramref name="width"/> x <paramref name="height"/> and whose image data holds
    /// <paramref name="rows"/> rows of zeros (a few kilobytes on disk however large the claim).
    /// </summary>
    public static byte[] WithClaimedSize(int width, int height, int rows)
    {
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte + pixels
            for (int r = 0; r < rows; r++) zlib.Write(row);
        }
        return [.. Signature, .. Ihdr(width, height), .. Chunk("IDAT", raw.ToArray()), .. Chunk("IEND", [])];
    }
}
