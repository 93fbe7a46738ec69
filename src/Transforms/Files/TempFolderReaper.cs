namespace MLNet.Siamese.Files;

/// <summary>
/// Deletes the <see cref="OwnedTempFolder"/>s a root holds whose owning process is gone (<see cref="TempFolderOwner.IsStale"/>):
/// what a killed process, or one whose exit handlers did not run, left behind. Only folders whose name starts with the
/// prefix, that are real folders (not links) and that carry a stamp are considered; anything that cannot be read or deleted is left as it is.
/// </summary>
internal static class TempFolderReaper
{
    /// <summary>Deletes the stale folders named <paramref name="prefix"/>* directly under <paramref name="root"/>.</summary>
    /// <param name="root">The parent folder.</param>
    /// <param name="prefix">The start of the folders' names.</param>
    /// <returns>How many folders were deleted.</returns>
    public static int DeleteStale(string root, string prefix)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(root, prefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        int deleted = 0;
        foreach (string folder in candidates)
        {
            if (new DirectoryInfo(folder).LinkTarget is not null || !TempFolderOwner.IsStale(folder))
                continue;   // a link is never followed: only real folders this library stamped are deleted
            OwnedTempFolder.DeleteTree(folder);
            if (!Directory.Exists(folder))
                deleted++;
        }
        return deleted;
    }
}
