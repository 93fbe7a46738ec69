using SkiaSharp;

namespace MLNet.Siamese.Data;

/// <summary>
/// Checks an image file before ML.NET decodes it: ML.NET's LoadImages trusts the header's size (a few hundred bytes of
/// PNG claiming 100000x100000 pixels make it allocate gigabytes) and silently fills a truncated image with black.
/// The header is read with SkiaSharp (the decoder ML.NET uses), the size is checked against
/// <see cref="ImagePreprocessing.MaxImagePixels"/>, and the image is decoded once (to RGBA) to prove it complete.
/// This is the one guarded decode path: training (<see cref="ImagePreprocessing.DecodeToArray"/>) and every scoring
/// path of the command line (embed, evaluate, search, oneshot) call it before ML.NET sees a file; library users who
/// score image paths they did not make with ML.NET directly should call <see cref="CheckAll"/> first.
/// </summary>
public static class ImageFileCheck
{
    /// <summary>Largest image file accepted: 64 MiB. Larger files are refused before they are read.</summary>
    public const long MaxImageFileBytes = 64L << 20;

    /// <summary>Checks every distinct file of <paramref name="paths"/> with <see cref="Check"/>.</summary>
    /// <param name="paths">Image files (absolute or relative to the current folder).</param>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is refused; the message names it.</exception>
    public static void CheckAll(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            if (seen.Add(path))
                Check(path);
        }
    }

    /// <summary>
    /// Checks one image file: it exists, is at most <see cref="MaxImageFileBytes"/>, its header claims at most
    /// <see cref="ImagePreprocessing.MaxImagePixels"/> pixels, and it decodes completely.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">The file is empty, too large, not an image, claims too many pixels, or is truncated; the message names it.</exception>
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length == 0)
            throw new InvalidDataException($"Image file '{path}' is empty (0 bytes).");
        if (stream.Length > MaxImageFileBytes)
            throw new InvalidDataException($"Image file '{path}' is {stream.Length} bytes, more than the limit of {MaxImageFileBytes} bytes; it is refused without decoding.");
        using var codec = SKCodec.Create(stream, out SKCodecResult result)
            ?? throw new InvalidDataException($"Image file '{path}' is not an image that can be decoded ({result})."
                + (UndecodableImageFormats.Contains(Path.GetExtension(path)) ? " " + UndecodableImageFormats.Advice([Path.GetExtension(path).ToLowerInvariant()]) : ""));
        var info = codec.Info;
        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0 || pixels > ImagePreprocessing.MaxImagePixels)
            throw new InvalidDataException($"Image file '{path}' claims {info.Width}x{info.Height} pixels, more than the limit of {ImagePreprocessing.MaxImagePixels} pixels; it is refused without decoding.");
        var rgba = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var buffer = new byte[pixels * 4];
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            result = codec.GetPixels(rgba, pin.AddrOfPinnedObject());
        }
        finally
        {
            pin.Free();
        }
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"Image file '{path}' could not be decoded completely ({result}: truncated or corrupt image data).");
    }
}
