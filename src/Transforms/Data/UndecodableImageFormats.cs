namespace MLNet.Siamese.Data;

/// <summary>
/// Image formats people keep pictures in that ML.NET's image loader (SkiaSharp) does not decode: Netpbm (the AT&amp;T
/// faces are .pgm; the folder loader converts them itself unless told not to, but a saved model given such a path
/// cannot), TIFF, HEIF/AVIF and JPEG 2000. Their files are named, with how to convert them, instead of being called
/// "not an image".
/// </summary>
internal static class UndecodableImageFormats
{
    private static readonly HashSet<string> Extensions = new([".pgm", ".ppm", ".pbm", ".pnm", ".tif", ".tiff", ".heic", ".heif", ".avif", ".jp2"], StringComparer.OrdinalIgnoreCase);

    /// <summary>True for the extension (with its dot) of such a format.</summary>
    public static bool Contains(string extension) => Extensions.Contains(extension);

    /// <summary>The advice for files of <paramref name="extensions"/>: convert them to PNG.</summary>
    public static string Advice(IEnumerable<string> extensions)
        => $"ML.NET's image loader cannot decode {string.Join(" or ", extensions)}: convert the files to PNG first (for example ImageMagick's `mogrify -format png *{extensions.First()}` in each folder), or to JPEG."
            + (extensions.Any(NetpbmConversion.IsNetpbm) ? " Netpbm files are converted by the folder loader and the siamese tool themselves (ImageFolderOptions.ConvertNetpbm), and one at a time by NetpbmConversion.ToPng." : "");
}
