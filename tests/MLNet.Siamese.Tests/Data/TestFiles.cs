using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace MLNet.Siamese.Tests.Data;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>All files below the folder, relative, with '/' separators, sorted.</summary>
    public string[] AllFiles() =>
        Directory.EnumerateFiles(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Writes small real image and IDX files for the tests.</summary>
internal static class TestFiles
{
    /// <summary>Writes a PNG: white background with a black square of <paramref name="square"/> pixels at (x, y).</summary>
    public static string WritePng(string path, int width = 8, int height = 8, int square = 0, int x = 0, int y = 0)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.White);
        for (int i = x; i < x + square; i++)
            for (int j = y; j < y + square; j++)
                bitmap.SetPixel(i, j, SKColors.Black);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>The bytes of an IDX file: 4-byte big-endian magic, big-endian dimensions, then the data.</summary>
    public static byte[] Idx(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return memory.ToArray();
    }

    /// <summary>Writes a zip with the given entries (name -> content), optionally tweaking each entry.</summary>
    public static string WriteZip(string path, IEnumerable<(string Name, byte[] Content)> entries,
        Action<ZipArchiveEntry>? tweak = null, CompressionLevel level = CompressionLevel.Optimal)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.Create);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            var entry = zip.CreateEntry(name, level);
            tweak?.Invoke(entry);
            using var target = entry.Open();
            target.Write(content);
        }
        return path;
    }
}
