using System.IO.Compression;

namespace MLNet.Siamese.Data;

/// <summary>Verifies an extraction-cache folder against its archive before <see cref="SafeZipExtractor"/> reuses it.</summary>
internal static class ZipCacheCheck
{
    /// <summary>
    /// Whether <paramref name="folder"/> holds exactly the archive's files: no link anywhere, no extra file, and every
    /// file of the size and CRC-32 the archive declares (the archive itself was checked when it was extracted).
    /// </summary>
    public static bool MatchesArchive(string archivePath, string folder, ZipExtractionLimits limits)
    {
        try
        {
            if (new DirectoryInfo(folder).LinkTarget is not null)
                return false;
            string root = Path.GetFullPath(folder);
            string rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
            using var zip = ZipFile.OpenRead(archivePath);
            if (zip.Entries.Count > limits.MaxEntries)
                return false;
            var expected = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
                    continue;
                expected[SafeZipExtractor.ResolveEntryPath(archivePath, entry, rootWithSeparator)] = entry;
            }
            var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            int files = 0;
            byte[] buffer = new byte[SafeZipExtractor.CopyBufferSize];
            foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", everything))
            {
                if (info.LinkTarget is not null)
                    return false;
                if (info is DirectoryInfo)
                    continue;
                if (info.FullName == Path.Combine(root, SafeZipExtractor.CompleteMarkerFileName))
                    continue;
                files++;
                if (!expected.TryGetValue(info.FullName, out var entry) || ((FileInfo)info).Length != entry.Length)
                    return false;
                var crc = new System.IO.Hashing.Crc32();
                using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    crc.Append(buffer.AsSpan(0, read));
                if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                    return false;
            }
            return files == expected.Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArchiveRejectedException)
        {
            return false;
        }
    }
}
