using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNet.Siamese.Identification;

/// <summary>
/// Finds the ONNX models inside an ML.NET model zip: ML.NET's OnnxTransformer stores each one as a binary stream
/// (a length prefix, then the ONNX bytes). Returned in the order the zip lists them, which is pipeline order.
/// </summary>
internal static class ModelZipOnnx
{
    public static List<byte[]> ReadAll(string path)
    {
        var result = new List<byte[]>();
        using var archive = ZipFile.OpenRead(path);
        foreach (var entry in archive.Entries)
        {
            if (!entry.FullName.EndsWith("OnnxModel", StringComparison.Ordinal) || entry.Length < 8) continue;
            var bytes = new byte[entry.Length];
            using (var stream = entry.Open()) stream.ReadExactly(bytes);
            if (BinaryPrimitives.ReadInt32LittleEndian(bytes) == bytes.Length - 4)
                result.Add(bytes[4..]);
            else if (BinaryPrimitives.ReadInt64LittleEndian(bytes) == bytes.Length - 8)
                result.Add(bytes[8..]);
            else
                result.Add(bytes);
        }
        return result;
    }
}
