namespace MLNet.Siamese.Data;

/// <summary>Options of <see cref="ImageFolder.Scan(string, ImageFolderOptions?)"/> and <c>LoadImageFolder</c>.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>
    /// How many folder names above each file form its label, nearest last, joined with <c>/</c>. Default 1 (the
    /// immediate parent folder); 2 gives e.g. <c>alphabet/character</c> for Omniglot.
    /// </summary>
    public int LabelDepth { get; set; } = 1;

    /// <summary>File extensions taken as images, compared case-insensitively. Default .png, .jpg, .jpeg, .bmp.</summary>
    public IReadOnlyList<string> Extensions { get; set; } = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>
    /// Where .zip archives are extracted; <see langword="null"/> (the default) for
    /// <see cref="SafeZipExtractor.DefaultCacheDirectory"/> (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, then <c>mlnet-siamese/archives</c>).
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Limits enforced when extracting .zip archives. Default <see cref="ZipExtractionLimits.Default"/>.</summary>
    public ZipExtractionLimits ArchiveLimits { get; set; } = ZipExtractionLimits.Default;
}
