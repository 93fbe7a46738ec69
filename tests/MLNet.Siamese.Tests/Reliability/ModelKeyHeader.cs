using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Reads and edits the 256-byte binary header ML.NET writes at the start of every <c>Model.key</c> entry of a model
/// zip (layout of Microsoft.ML.Core's internal <c>ModelHeader</c> struct, little-endian): the file signature
/// 'ML\0MODEL', the header format's version written/readable, block offsets, the component's own signature and
/// version written/readable, the loader signature (up to 24 ASCII characters) and the loader assembly name (UTF-16,
/// at FpAssemblyName). Edits go through <see cref="RewriteEntry"/>, which re-zips so every CRC-32 stays consistent.
/// </summary>
internal static class ModelKeyHeader
{
    public const int VerWritten = 0x08;
    public const int VerReadable = 0x0C;
    public const int ModelSignature = 0x40;
    public const int ModelVerWritten = 0x48;
    public const int ModelVerReadable = 0x4C;
    public const int LoaderSignature = 0x50;
    public const int FpAssemblyName = 0x90;
    public const int CbAssemblyName = 0x98;
    public const int Size = 0x100;

    public static uint ReadUInt32(byte[] key, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(key.AsSpan(offset));

    public static void WriteUInt32(byte[] key, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(key.AsSpan(offset), value);

    /// <summary>The loader signature, e.g. "OnnxTransform" or "TransformerChain".</summary>
    public static string ReadLoaderSignature(byte[] key) => Encoding.Latin1.GetString(key, LoaderSignature, 24).TrimEnd('\0');

    /// <summary>Overwrites the loader signature (at most 24 ASCII characters, zero-padded).</summary>
    public static void WriteLoaderSignature(byte[] key, string signature)
    {
        if (signature.Length > 24) throw new ArgumentException("at most 24 characters", nameof(signature));
        key.AsSpan(LoaderSignature, 24).Clear();
        Encoding.Latin1.GetBytes(signature).CopyTo(key, LoaderSignature);
    }

    /// <summary>The component's 8-character model signature, e.g. "ONNXSCOR".</summary>
    public static string ReadModelSignature(byte[] key) => Encoding.Latin1.GetString(key, ModelSignature, 8).TrimEnd('\0');

    /// <summary>The loader assembly name stored after the model block, or "" when none is stored.</summary>
    public static string ReadAssemblyName(byte[] key)
    {
        long fp = BinaryPrimitives.ReadInt64LittleEndian(key.AsSpan(FpAssemblyName));
        uint cb = ReadUInt32(key, CbAssemblyName);
        return fp == 0 ? "" : Encoding.Unicode.GetString(key, checked((int)fp), checked((int)cb));
    }

    /// <summary>
    /// Overwrites the loader assembly name in place with one of the same UTF-16 length (so every offset in the header
    /// stays valid); <paramref name="name"/> is padded with spaces or cut to fit.
    /// </summary>
    public static void WriteAssemblyNameSameLength(byte[] key, string name)
    {
        long fp = BinaryPrimitives.ReadInt64LittleEndian(key.AsSpan(FpAssemblyName));
        int length = checked((int)ReadUInt32(key, CbAssemblyName)) / 2;
        if (fp == 0) throw new InvalidOperationException("this Model.key stores no assembly name");
        Encoding.Unicode.GetBytes(name.PadRight(length)[..length]).CopyTo(key, checked((int)fp));
    }

    /// <summary>Every entry of the zip, in order, with its bytes.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new List<(string, byte[])>();
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries.Add((entry.FullName, copy.ToArray()));
        }
        return entries;
    }

    /// <summary>The name of the one Model.key entry whose loader signature is <paramref name="loaderSignature"/>.</summary>
    public static string FindKey(byte[] zip, string loaderSignature) =>
        Entries(zip).Single(e => e.Name.EndsWith("Model.key", StringComparison.Ordinal) && e.Bytes.Length >= Size
            && ReadLoaderSignature(e.Bytes) == loaderSignature).Name;

    /// <summary>A new zip with the same entries in the same order, <paramref name="edit"/> applied to one: CRCs all match.</summary>
    public static byte[] RewriteEntry(byte[] zip, string entryName, Action<byte[]> edit) =>
        ReplaceEntry(zip, entryName, bytes =>
        {
            edit(bytes);
            return bytes;
        });

    /// <summary>A new zip with the same entries in the same order, one replaced by <paramref name="replace"/>'s result.</summary>
    public static byte[] ReplaceEntry(byte[] zip, string entryName, Func<byte[], byte[]> replace)
    {
        var entries = Entries(zip);
        int index = entries.FindIndex(e => e.Name == entryName);
        if (index < 0) throw new ArgumentException($"no entry '{entryName}'", nameof(entryName));
        entries[index] = (entryName, replace(entries[index].Bytes));
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        }
        return memory.ToArray();
    }
}
