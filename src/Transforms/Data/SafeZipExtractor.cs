using System.IO.Compression;
using System.Security.Cryptography;

namespace MLNet.Siamese.Data;

/// <summary>
/// Extracts a .zip archive into a content-addressed cache folder, refusing hostile or broken archives.
/// </summary>
/// <remarks>
/// The archive goes to <c>&lt;cache&gt;/&lt;name&gt;-&lt;first 16 hex digits of its SHA-256&gt;/</c>. It is first
/// extracted into a temporary folder inside the cache, a marker file is written last, and the folder is then
/// renamed into place, so a cache folder is either complete or absent; a later call with the same archive reuses
/// it without extracting again, but only after checking that it holds exactly the archive's files (no link, no extra
/// file, each of the declared size and CRC-32): a planted or altered folder is deleted and extracted afresh. The
/// cache folder is created readable by its owner only. The whole archive's expansion ratio is limited like each entry's. Entries that would escape the folder (<c>../</c>), absolute paths, symbolic links,
/// entries or totals over <see cref="ZipExtractionLimits"/> (checked on the declared sizes and again on the bytes
/// actually written, with the CRC-32 verified), excessive compression ratios, and truncated or corrupt archives are refused with an
/// <see cref="ArchiveRejectedException"/>, and the partial extraction is deleted.
/// </remarks>
public static class SafeZipExtractor
{
    /// <summary>Name of the marker file written last into a completely extracted cache folder.</summary>
    public const string CompleteMarkerFileName = ".mlnet-siamese-extracted";

    /// <summary>
    /// The default cache folder: <c>mlnet-siamese/archives</c> in the user's cache folder (<c>$XDG_CACHE_HOME</c>, else
    /// <c>~/.cache</c>; the temporary folder only when neither is known), so that the shared temporary folder is left
    /// clean and other users cannot plant folders in it.
    /// </summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrWhiteSpace(cache) || !Path.IsPathFullyQualified(cache))
            {
                string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                cache = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
            }
            return Path.Combine(cache, "mlnet-siamese", "archives");
        }
    }

    internal const int CopyBufferSize = 81920;

    /// <summary>Extracts <paramref name="archivePath"/> into the cache (or reuses a previous extraction) and returns the folder.</summary>
    /// <param name="archivePath">The .zip archive.</param>
    /// <param name="cacheDirectory">The cache folder; <see langword="null"/> for <see cref="DefaultCacheDirectory"/>.</param>
    /// <param name="limits">Size and count limits; <see langword="null"/> for <see cref="ZipExtractionLimits.Default"/>.</param>
    /// <returns>The absolute path of the folder holding the archive's contents.</returns>
    /// <exception cref="FileNotFoundException">The archive does not exist.</exception>
    /// <exception cref="ArchiveRejectedException">The archive is hostile, over a limit, truncated or corrupt.</exception>
    public static string Extract(string archivePath, string? cacheDirectory = null, ZipExtractionLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(archivePath);
        limits ??= ZipExtractionLimits.Default;
        limits.Validate();
        archivePath = Path.GetFullPath(archivePath);
        if (!File.Exists(archivePath))
            throw new FileNotFoundException($"Archive '{archivePath}' does not exist.", archivePath);

        string cache = Path.GetFullPath(string.IsNullOrWhiteSpace(cacheDirectory) ? DefaultCacheDirectory : cacheDirectory);
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(cache);
        else
            Directory.CreateDirectory(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string target = Path.Combine(cache, $"{SafeName(archivePath)}-{ShortHash(archivePath)}");
        if (IsComplete(target))
        {
            // Never trust a folder because of its name and marker: it must hold exactly the archive's files, byte for byte.
            if (ZipCacheCheck.MatchesArchive(archivePath, target, limits))
                return target;
            TryDelete(target);
        }

        string temp = Path.Combine(cache, $".partial-{Path.GetFileName(target)}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            ExtractInto(archivePath, temp, limits);
            File.WriteAllText(Path.Combine(temp, CompleteMarkerFileName), archivePath);

            if (Directory.Exists(target) && !IsComplete(target))
                Directory.Delete(target, recursive: true); // left by something other than this class; never trusted
            try
            {
                Directory.Move(temp, target);
            }
            catch (IOException) when (IsComplete(target))
            {
                // Another process finished the same extraction first: use its folder.
                TryDelete(temp);
            }
            return target;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Whether <paramref name="folder"/> is a complete extraction (its marker file exists).</summary>
    /// <param name="folder">A folder returned by <see cref="Extract"/>.</param>
    /// <returns><see langword="true"/> when the folder exists and holds the marker file.</returns>
    public static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, CompleteMarkerFileName));

    private static void ExtractInto(string archivePath, string destination, ZipExtractionLimits limits)
    {
        string root = Path.GetFullPath(destination);
        string rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;

        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(archivePath);
        }
        catch (Exception e) when (e is InvalidDataException or (IOException and not ArchiveRejectedException))
        {
            throw new ArchiveRejectedException(archivePath, null, $"not a readable zip archive (truncated or corrupt): {e.Message}", e);
        }

        using (zip)
        {
            IReadOnlyCollection<ZipArchiveEntry> entries;
            try
            {
                entries = zip.Entries;
            }
            catch (Exception e) when (e is InvalidDataException or (IOException and not ArchiveRejectedException))
            {
                throw new ArchiveRejectedException(archivePath, null, $"the central directory is truncated or corrupt: {e.Message}", e);
            }

            if (entries.Count > limits.MaxEntries)
                throw new ArchiveRejectedException(archivePath, null, $"it has {entries.Count} entries, more than the limit of {limits.MaxEntries}.");

            // First pass: validate every entry from its metadata before writing anything.
            var plan = new List<(ZipArchiveEntry Entry, string Path, bool IsDirectory)>(entries.Count);
            long declaredTotal = 0;
            foreach (var entry in entries)
            {
                string fullPath = ResolveEntryPath(archivePath, entry, rootWithSeparator);
                bool isDirectory = entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');
                if (!isDirectory)
                {
                    CheckDeclaredSizes(archivePath, entry, limits);
                    declaredTotal += entry.Length;
                    if (declaredTotal > limits.MaxTotalBytes)
                        throw new ArchiveRejectedException(archivePath, entry.FullName,
                            $"the declared uncompressed total exceeds the limit of {limits.MaxTotalBytes} bytes.");
                }
                plan.Add((entry, fullPath, isDirectory));
            }

            // The whole archive is held to the compression ratio too: many entries each below the per-entry threshold
            // (2,100 entries of 1 MB in a 2.3 MB zip) would otherwise expand a thousand times without any entry being checked.
            long archiveBytes = new FileInfo(archivePath).Length;
            if (declaredTotal >= limits.CompressionRatioThresholdBytes && declaredTotal > limits.MaxCompressionRatio * Math.Max(1, archiveBytes))
                throw new ArchiveRejectedException(archivePath, null,
                    $"its {entries.Count} entries expand to {declaredTotal} bytes in total from {archiveBytes} bytes, a ratio of {(double)declaredTotal / Math.Max(1, archiveBytes):0.#}, above the limit of {limits.MaxCompressionRatio} (zip bomb?).");

            // Second pass: write, counting the bytes actually produced since declared sizes can lie.
            long writtenTotal = 0;
            byte[] buffer = new byte[CopyBufferSize];
            foreach (var (entry, fullPath, isDirectory) in plan)
            {
                try
                {
                    Directory.CreateDirectory(isDirectory ? fullPath : Path.GetDirectoryName(fullPath)!);
                }
                catch (IOException e)
                {
                    throw new ArchiveRejectedException(archivePath, entry.FullName, "the entry's folder clashes with a file of the same name.", e);
                }
                if (isDirectory)
                    continue;
                if (File.Exists(fullPath) || Directory.Exists(fullPath))
                    throw new ArchiveRejectedException(archivePath, entry.FullName, "the archive holds this path twice.");
                writtenTotal += CopyEntry(archivePath, entry, fullPath, buffer, limits, writtenTotal);
            }
        }
    }

    private static long CopyEntry(string archivePath, ZipArchiveEntry entry, string fullPath, byte[] buffer,
        ZipExtractionLimits limits, long writtenBefore)
    {
        long written = 0;
        var crc = new System.IO.Hashing.Crc32();
        try
        {
            using Stream source = entry.Open();
            using var target = new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                written += read;
                if (written > entry.Length)
                    throw new ArchiveRejectedException(archivePath, entry.FullName,
                        $"the entry expands to more than its declared size of {entry.Length} bytes (lying header).");
                if (written > limits.MaxEntryBytes)
                    throw new ArchiveRejectedException(archivePath, entry.FullName,
                        $"the entry expands to more than the per-entry limit of {limits.MaxEntryBytes} bytes.");
                if (writtenBefore + written > limits.MaxTotalBytes)
                    throw new ArchiveRejectedException(archivePath, entry.FullName,
                        $"the archive expands to more than the total limit of {limits.MaxTotalBytes} bytes.");
                crc.Append(buffer.AsSpan(0, read));
                target.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is not ArchiveRejectedException && e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new ArchiveRejectedException(archivePath, entry.FullName, $"the entry could not be extracted (truncated or corrupt): {e.Message}", e);
        }
        if (written != entry.Length)
            throw new ArchiveRejectedException(archivePath, entry.FullName,
                $"the entry expanded to {written} bytes but declares {entry.Length} (truncated or lying header).");
        if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
            throw new ArchiveRejectedException(archivePath, entry.FullName,
                $"the entry's CRC-32 is 0x{crc.GetCurrentHashAsUInt32():X8} but the archive declares 0x{entry.Crc32:X8} (corrupt data or lying header).");
        return written;
    }

    internal static string ResolveEntryPath(string archivePath, ZipArchiveEntry entry, string rootWithSeparator)
    {
        string name = entry.FullName;
        if (name.Length == 0)
            throw new ArchiveRejectedException(archivePath, name, "the entry has an empty name.");
        if (name.Contains('\0'))
            throw new ArchiveRejectedException(archivePath, name, "the entry name contains a NUL character.");
        if (name[0] is '/' or '\\' || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':'))
            throw new ArchiveRejectedException(archivePath, name, "the entry has an absolute path.");

        int unixMode = (int)((uint)entry.ExternalAttributes >> 16);
        int fileType = unixMode & 0xF000;
        if (fileType == 0xA000)
            throw new ArchiveRejectedException(archivePath, name, "the entry is a symbolic link.");
        if (fileType is not (0 or 0x8000 or 0x4000))
            throw new ArchiveRejectedException(archivePath, name, $"the entry is a special file (unix mode 0x{unixMode:X4}).");

        string[] parts = name.Split('/', '\\');
        foreach (string part in parts)
        {
            if (part == "..")
                throw new ArchiveRejectedException(archivePath, name, "the entry escapes the extraction folder ('..').");
        }
        string relative = Path.Combine(parts.Where(p => p.Length > 0 && p != ".").ToArray());
        if (relative.Length == 0)
            throw new ArchiveRejectedException(archivePath, name, "the entry names no file.");
        string full = Path.GetFullPath(Path.Combine(rootWithSeparator, relative));
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw new ArchiveRejectedException(archivePath, name, "the entry escapes the extraction folder.");
        return full;
    }

    private static void CheckDeclaredSizes(string archivePath, ZipArchiveEntry entry, ZipExtractionLimits limits)
    {
        if (entry.Length < 0 || entry.CompressedLength < 0)
            throw new ArchiveRejectedException(archivePath, entry.FullName, "the entry declares a negative size.");
        if (entry.Length > limits.MaxEntryBytes)
            throw new ArchiveRejectedException(archivePath, entry.FullName,
                $"the entry declares {entry.Length} bytes, more than the per-entry limit of {limits.MaxEntryBytes} bytes.");
        if (entry.Length >= limits.CompressionRatioThresholdBytes && entry.Length > 0)
        {
            double ratio = entry.CompressedLength == 0 ? double.PositiveInfinity : (double)entry.Length / entry.CompressedLength;
            if (ratio > limits.MaxCompressionRatio)
                throw new ArchiveRejectedException(archivePath, entry.FullName,
                    $"the entry's compression ratio {ratio:0.#} exceeds the limit of {limits.MaxCompressionRatio} (zip bomb?).");
        }
    }

    private static string ShortHash(string path)
    {
        using var stream = File.OpenRead(path);
        byte[] hash = SHA256.HashData(stream);
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    private static string SafeName(string archivePath)
    {
        string name = Path.GetFileNameWithoutExtension(archivePath);
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        string safe = new string(chars).Trim('.');
        return safe.Length == 0 ? "archive" : safe;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
