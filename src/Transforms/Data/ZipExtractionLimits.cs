namespace MLNet.Siamese.Data;

/// <summary>
/// Limits that <see cref="SafeZipExtractor"/> enforces on an archive before and while extracting it. An archive
/// over any limit is refused with an <see cref="ArchiveRejectedException"/>.
/// </summary>
public sealed class ZipExtractionLimits
{
    /// <summary>Most bytes all entries may expand to together (declared and actually written). Default 2 GiB.</summary>
    public long MaxTotalBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most bytes one entry may expand to (declared and actually written). Default 512 MiB.</summary>
    public long MaxEntryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most entries (files and folders) the archive may hold. Default 100,000.</summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>
    /// Highest ratio of uncompressed to compressed size allowed for an entry of at least
    /// <see cref="CompressionRatioThresholdBytes"/> bytes. Default 200.
    /// </summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>
    /// Entries smaller than this many bytes (uncompressed) are not checked against
    /// <see cref="MaxCompressionRatio"/>, since small files legitimately compress well. Default 1 MiB.
    /// </summary>
    public long CompressionRatioThresholdBytes { get; set; } = 1024 * 1024;

    /// <summary>The default limits.</summary>
    public static ZipExtractionLimits Default => new();

    internal void Validate()
    {
        if (MaxTotalBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTotalBytes), MaxTotalBytes, "Must be positive.");
        if (MaxEntryBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxEntryBytes), MaxEntryBytes, "Must be positive.");
        if (MaxEntries <= 0) throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries, "Must be positive.");
        if (!(MaxCompressionRatio >= 1)) throw new ArgumentOutOfRangeException(nameof(MaxCompressionRatio), MaxCompressionRatio, "Must be at least 1.");
        if (CompressionRatioThresholdBytes < 0) throw new ArgumentOutOfRangeException(nameof(CompressionRatioThresholdBytes), CompressionRatioThresholdBytes, "Must not be negative.");
    }
}
