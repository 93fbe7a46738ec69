using System.IO.Compression;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// The ONNX models inside an ML.NET model zip: ML.NET stores each in an entry whose name ends with <c>OnnxModel</c>, as
/// a 32-bit length followed by the serialized <c>ModelProto</c>.
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
            bool prefixed = bytes.Length >= 4 && BitConverter.ToInt32(bytes, 0) == bytes.Length - 4;
            models.Add((entry.FullName, prefixed ? bytes[4..] : bytes));
        }
        return models;
    }
}
