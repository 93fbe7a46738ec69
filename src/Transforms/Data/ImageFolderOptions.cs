namespace MLNet.Siamese.Data;

/// <summary>Options of <see cref="ImageFolder.Scan(string, ImageFolderOptions?)"/> and <c>LoadImageFolder</c>.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>
    /// How many folder names above each file form its label, nearest last, joined with <c>/</c>. Default 1 (the
    /// immediate parent folder); 2 gives e.g. <c>alphabet/character</c> for Omniglot.
    /// </summary>
    public int LabelDepth { get; set; } = 1;

    /// <summary>
    /// The file extensions of the formats ML.NET's image loader (<c>MLImage</c>, on SkiaSharp) decodes, and so the saved
    /// pipeline too: .png, .jpg, .jpeg, .bmp, .gif (the first frame) and .webp. Not TIFF; Netpbm (.pgm, .ppm, .pbm,
    /// .pnm) is converted to PNG by the loader (<see cref="ConvertNetpbm"/>).
    /// </summary>
    public static IReadOnlyList<string> DecodableExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>File extensions taken as images, compared case-insensitively. Default <see cref="DecodableExtensions"/>.</summary>
    public IReadOnlyList<string> Extensions { get; set; } = DecodableExtensions;

    /// <summary>
    /// Where .zip archives are extracted; <see langword="null"/> (the default) for
    /// <see cref="SafeZipExtractor.DefaultCacheDirectory"/> (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, then <c>mlnet-siamese/archives</c>).
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Take Netpbm images (.pbm, .pgm, .ppm, .pnm; the AT&amp;T faces are .pgm), which ML.NET's image loader cannot
    /// decode, by converting each to PNG once (<see cref="NetpbmConversion.ToPng"/>): the rows then hold the PNG's path
    /// in <see cref="ConversionCacheDirectory"/>, labelled by the original's folders. Default true.
    /// </summary>
    public bool ConvertNetpbm { get; set; } = true;

    /// <summary>Where converted Netpbm images go; <see langword="null"/> (the default) for <see cref="NetpbmConversion.DefaultCacheDirectory"/>.</summary>
    public string? ConversionCacheDirectory { get; set; }

    /// <summary>Limits enforced when extracting .zip archives. Default <see cref="ZipExtractionLimits.Default"/>.</summary>
    public ZipExtractionLimits ArchiveLimits { get; set; } = ZipExtractionLimits.Default;
}
