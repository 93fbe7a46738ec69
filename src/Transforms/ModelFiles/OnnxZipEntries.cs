using System.IO.Compression;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// The ONNX models inside an ML.NET model zip: ML.NET stores each in an entry whose name ends with <c>OnnxModel</c>, as
/// a length prefix (32- or 64-bit) followed by the serialized <c>ModelProto</c>. In entry order, which is pipeline order.
/// </summary>
internal static class OnnxZipEntries
{
    /// <summary>Every ONNX model of the zip, in entry order, with the length prefix removed.</summary>
    /// <param name="path">The model zip (already verified to be a readable zip).</param>
    /// <returns>(entry name, ModelProto bytes) pairs.</returns>
    /// <exception cref="InvalidDataException">An entry is larger than an array can hold.</exception>
    public static List<(string Entry, byte[] Model)> Read(string path)
    {
        var models = new List<(string, byte[])>();
        using var archive = ZipFile.OpenRead(path);
        foreach (var entry in archive.Entries)
        {
            if (!entry.FullName.EndsWith("OnnxModel", StringComparison.Ordinal))
                continue;
            if (entry.Length > int.MaxValue)
                throw new InvalidDataException($"Model file '{path}': ONNX entry '{entry.FullName}' is too large ({entry.Length} bytes).");
            var bytes = new byte[entry.Length];
            using (var stream = entry.Open())
                stream.ReadExactly(bytes);
            int prefix = bytes.Length >= 4 && BitConverter.ToInt32(bytes, 0) == bytes.Length - 4 ? 4
                : bytes.Length >= 8 && BitConverter.ToInt64(bytes, 0) == bytes.Length - 8 ? 8 : 0;
            models.Add((entry.FullName, bytes[prefix..]));
        }
        return models;
    }
}
