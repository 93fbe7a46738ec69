namespace MLNet.Siamese.Examples.Shared;

/// <summary>
/// Data helper of this repository's examples, benchmarks and tests (linked as source; not part of the library).
/// Finds the small Omniglot archives vendored with the repository (<c>data/omniglot/*.zip</c>, MIT licence):
/// first in <c>AppContext.BaseDirectory/data/omniglot</c> (where the test project copies them), then in
/// <c>data/omniglot</c> under each parent of the base directory and of the current directory (so programs run
/// with <c>dotnet run</c> from the repository find them).
/// </summary>
internal static class EmbeddedOmniglot
{
    /// <summary>Name of the first small background set (5 alphabets, 136 characters, 2720 images).</summary>
    public const string Small1 = "images_background_small1";

    /// <summary>Name of the second small background set (5 alphabets, 3120 images).</summary>
    public const string Small2 = "images_background_small2";

    /// <summary>Path of <c>images_background_small1.zip</c>.</summary>
    /// <returns>The absolute path of the archive.</returns>
    /// <exception cref="FileNotFoundException">The archive was not found; the message lists where it was looked for.</exception>
    public static string FindSmall1() => Find(Small1);

    /// <summary>Path of <c>images_background_small2.zip</c>.</summary>
    /// <returns>The absolute path of the archive.</returns>
    /// <exception cref="FileNotFoundException">The archive was not found; the message lists where it was looked for.</exception>
    public static string FindSmall2() => Find(Small2);

    /// <summary>Path of the vendored archive <paramref name="name"/> (with or without <c>.zip</c>).</summary>
    /// <param name="name">Archive name, e.g. <see cref="Small1"/>.</param>
    /// <returns>The absolute path of the archive.</returns>
    /// <exception cref="FileNotFoundException">The archive was not found; the message lists where it was looked for.</exception>
    public static string Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string fileName = name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? name : name + ".zip";
        if (fileName.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException("Give an archive name, not a path.", nameof(name));

        var looked = new List<string>();
        foreach (string folder in CandidateFolders())
        {
            if (looked.Contains(folder, StringComparer.Ordinal))
                continue;
            looked.Add(folder);
            string candidate = Path.Combine(folder, fileName);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException(
            $"Embedded Omniglot archive '{fileName}' was not found. Looked in: {string.Join(", ", looked)}.", fileName);
    }

    private static IEnumerable<string> CandidateFolders()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, "data", "omniglot");
        }
    }
}
