using System.IO.Compression;
using System.Text;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Makes a hostile copy of a model zip: its ONNX graph gains an initializer stored as external data naming a file
/// (protobuf merges a repeated <c>graph</c> field into the first, so appending one is enough).
/// </summary>
internal static class OnnxExternalDataModel
{
    public static void Write(string model, string target, string location)
    {
        File.Copy(model, target, overwrite: true);
        using var zip = ZipFile.Open(target, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("OnnxModel", StringComparison.Ordinal));
        byte[] bytes;
        using (var stream = entry.Open())
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        Assert.AreEqual(bytes.Length - 4, BitConverter.ToInt32(bytes, 0), "ML.NET stores the ONNX model with a 32-bit length");
        byte[] entryProto = [.. Field(1, Encoding.UTF8.GetBytes("location")), .. Field(2, Encoding.UTF8.GetBytes(location))];
        byte[] tensor = [.. Field(8, Encoding.UTF8.GetBytes("stolen")), .. Field(13, entryProto), 0x70, 0x01];
        byte[] graph = Field(5, tensor);
        byte[] onnx = [.. bytes.AsSpan(4), .. Field(7, graph)];
        string name = entry.FullName;
        entry.Delete();
        using var output = zip.CreateEntry(name).Open();
        output.Write(BitConverter.GetBytes(onnx.Length));
        output.Write(onnx);
    }

    /// <summary>A length-delimited protobuf field.</summary>
    public static byte[] Field(int number, byte[] payload)
    {
        var result = new List<byte>();
        Varint(result, (ulong)(number << 3 | 2));
        Varint(result, (ulong)payload.Length);
        result.AddRange(payload);
        return result.ToArray();
    }

    private static void Varint(List<byte> target, ulong value)
    {
        while (value >= 0x80)
        {
            target.Add((byte)(value | 0x80));
            value >>= 7;
        }
        target.Add((byte)value);
    }
}
