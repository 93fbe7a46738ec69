namespace MLNet.Siamese.Data;

/// <summary>
/// Thrown when an archive is refused by <see cref="SafeZipExtractor"/>: an entry that would escape the
/// extraction folder, an absolute path, a symbolic link, a size or compression-ratio bomb, or a truncated or
/// corrupt archive. Nothing is left in the cache for a refused archive.
/// </summary>
public sealed class ArchiveRejectedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="archivePath">The archive that was refused.</param>
    /// <param name="entryName">The offending entry, or <see langword="null"/> when the archive as a whole is at fault.</param>
    /// <param name="reason">Why it was refused.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ArchiveRejectedException(string archivePath, string? entryName, string reason, Exception? innerException = null)
        : base(BuildMessage(archivePath, entryName, reason), innerException)
    {
        ArchivePath = archivePath;
        EntryName = entryName;
        Reason = reason;
    }

    /// <summary>The archive that was refused.</summary>
    public string ArchivePath { get; }

    /// <summary>The offending entry, or <see langword="null"/> when the archive as a whole is at fault.</summary>
    public string? EntryName { get; }

    /// <summary>Why the archive was refused, without the archive and entry names.</summary>
    public string Reason { get; }

    private static string BuildMessage(string archivePath, string? entryName, string reason) =>
        entryName is null
            ? $"Archive '{archivePath}' was refused: {reason}"
            : $"Archive '{archivePath}' was refused at entry '{entryName}': {reason}";
}
