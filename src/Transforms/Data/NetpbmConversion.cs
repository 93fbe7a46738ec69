using System.Security.Cryptography;

namespace MLNet.Siamese.Data;

/// <summary>
/// Netpbm files (.pbm, .pgm, .ppm, .pnm) converted to PNG once, into a content-addressed cache:
/// <c>&lt;cache&gt;/&lt;first 16 hex digits of the file's SHA-256&gt;/&lt;name&gt;.png</c>. A file already converted is
/// reused; a conversion is written to a temporary file and renamed into place, so a cached PNG is complete or absent.
/// </summary>
public static class NetpbmConversion
{
    /// <summary>
    /// The default cache folder: <c>mlnet-siamese/converted</c> in the user's cache folder (beside
    /// <see cref="SafeZipExtractor.DefaultCacheDirectory"/>'s archives).
    /// </summary>
    public static string DefaultCacheDirectory => Path.Combine(Path.GetDirectoryName(SafeZipExtractor.DefaultCacheDirectory)!, "converted");

    /// <summary>True for a Netpbm extension (with its dot), compared case-insensitively.</summary>
    /// <param name="extension">A file extension such as <c>.pgm</c>.</param>
    /// <returns>Whether <see cref="ToPng"/> converts such files.</returns>
    public static bool IsNetpbm(string extension) => NetpbmImage.Extensions.Contains(extension);

    /// <summary>A path ML.NET's image loader can read: <paramref name="path"/> itself, or for a Netpbm file its <see cref="ToPng"/> conversion.</summary>
    /// <param name="path">An image file.</param>
    /// <param name="cacheDirectory">The cache folder; <see langword="null"/> for <see cref="DefaultCacheDirectory"/>.</param>
    /// <returns>The path to give ML.NET.</returns>
    /// <exception cref="InvalidDataException">A Netpbm file is not a complete image; the message names it.</exception>
    public static string DecodablePath(string path, string? cacheDirectory = null)
        => IsNetpbm(Path.GetExtension(path)) ? ToPng(path, cacheDirectory) : path;

    /// <summary>
    /// The PNG conversion of a Netpbm image (8-bit gray for .pbm and .pgm, RGB for .ppm; 16-bit samples scaled to 8
    /// bits), made on the first call and reused afterwards.
    /// </summary>
    /// <param name="path">The .pbm, .pgm, .ppm or .pnm file.</param>
    /// <param name="cacheDirectory">The cache folder; <see langword="null"/> for <see cref="DefaultCacheDirectory"/>.</param>
    /// <returns>The absolute path of the PNG file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete Netpbm image; the message names it.</exception>
    public static string ToPng(string path, string? cacheDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        string cache = Path.GetFullPath(cacheDirectory ?? DefaultCacheDirectory);
        string hash;
        using (var stream = File.OpenRead(path))
            hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        string folder = Path.Combine(cache, hash);
        string png = Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + ".png");
        if (File.Exists(png)) return png;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string temp = $"{png}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            NetpbmImage.WritePng(path, temp);
            try
            {
                File.Move(temp, png, overwrite: false);
            }
            catch (IOException) when (File.Exists(png))
            {
                // Another process converted the same file first: its PNG is the same.
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return png;
    }
}
