using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Data;

/// <summary>
/// Finds labelled images in a folder tree (<c>root/&lt;class&gt;/*.png</c>, or deeper such as Omniglot's
/// <c>root/&lt;alphabet&gt;/&lt;character&gt;/*.png</c>) or in a .zip archive of one, usable with or without an
/// <see cref="MLContext"/>.
/// </summary>
/// <remarks>
/// Labels are taken from the folders nearest each file, so a wrapper folder around everything (as in a zip
/// holding <c>images_background_small1/...</c>) does not matter. Hidden files and folders (names starting with
/// <c>.</c>), <c>__MACOSX</c> folders and symbolic links are skipped. A file or folder whose name is not valid UTF-8
/// (which .NET cannot open) is refused with its path, rather than silently skipped. Rows are sorted by path, ordinally.
/// </remarks>
public static class ImageFolder
{
    /// <summary>Name of the column holding the absolute image path.</summary>
    public const string ImagePathColumnName = "ImagePath";

    /// <summary>Name of the column holding the label.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>Name of the column holding the group (first label part).</summary>
    public const string GroupColumnName = "Group";

    /// <summary>Lists the labelled images under a folder or inside a .zip archive.</summary>
    /// <param name="path">A folder, or a .zip archive (extracted safely into a cache by <see cref="SafeZipExtractor"/>).</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>The images, sorted ordinally by path.</returns>
    /// <exception cref="DirectoryNotFoundException">The path is neither a folder nor an existing file.</exception>
    /// <exception cref="InvalidDataException">No image was found, or an image lies too shallow for the label depth.</exception>
    /// <exception cref="ArchiveRejectedException">The archive was refused.</exception>
    public static IReadOnlyList<ImageFolderEntry> Scan(string path, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ImageFolderOptions();
        if (options.LabelDepth < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.LabelDepth, "LabelDepth must be at least 1.");
        if (options.Extensions is null || options.Extensions.Count == 0)
            throw new ArgumentException("At least one image file extension is needed.", nameof(options));

        string fullPath = Path.GetFullPath(path);
        string root;
        if (Directory.Exists(fullPath))
            root = fullPath;
        else if (File.Exists(fullPath) && fullPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            root = SafeZipExtractor.Extract(fullPath, options.CacheDirectory, options.ArchiveLimits);
        else if (File.Exists(fullPath))
            throw new ArgumentException($"'{fullPath}' is a file but not a .zip archive; give a folder or a .zip archive.", nameof(path));
        else
            throw new DirectoryNotFoundException($"Image folder or archive '{fullPath}' does not exist.");

        var extensions = new HashSet<string>(
            options.Extensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);

        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
            MatchType = MatchType.Simple,
        };

        var entries = new List<ImageFolderEntry>();
        var skipped = new List<string>();   // the extensions of files that are not taken as images, for the message when none is
        foreach (string file in Directory.EnumerateFileSystemEntries(root, "*", enumeration))
        {
            string relative = Path.GetRelativePath(root, file);
            string[] parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            if (parts.Any(p => p.StartsWith('.') || p.Equals("__MACOSX", StringComparison.OrdinalIgnoreCase)))
                continue;
            if (file.Contains('\uFFFD') && !File.Exists(file) && !Directory.Exists(file))
                throw new InvalidDataException(
                    $"'{file}' under '{path}' has a name that is not valid UTF-8 (shown with \uFFFD); it cannot be opened, and its images would be skipped. Rename it.");
            if (!extensions.Contains(Path.GetExtension(file)) || !File.Exists(file))
            {
                if (File.Exists(file)) skipped.Add(Path.GetExtension(file));
                continue;
            }
            int folders = parts.Length - 1;
            if (folders < options.LabelDepth)
                throw new InvalidDataException(
                    $"Image '{file}' lies {folders} folder(s) below '{path}', but LabelDepth {options.LabelDepth} needs at least {options.LabelDepth}.");
            string[] labelParts = parts[(folders - options.LabelDepth)..folders];
            entries.Add(new ImageFolderEntry(file, string.Join('/', labelParts), labelParts[0]));
        }

        if (entries.Count == 0)
            throw new InvalidDataException(
                $"No image ({string.Join(", ", extensions.Order(StringComparer.Ordinal))}) was found under '{path}'.{SkippedFiles(skipped)}");

        entries.Sort((a, b) => string.CompareOrdinal(a.ImagePath, b.ImagePath));
        return entries;
    }

    /// <summary>What the folder holds instead of images, most common extensions first, and how to convert image formats the loader cannot read.</summary>
    private static string SkippedFiles(List<string> skipped)
    {
        if (skipped.Count == 0) return " It holds no other files.";
        var counts = skipped.GroupBy(e => e.Length == 0 ? "(no extension)" : e.ToLowerInvariant()).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        string held = string.Join(", ", counts.Take(5).Select(g => $"{g.Count()} {g.Key}")) + (counts.Count > 5 ? $" and {counts.Count - 5} other kinds" : "");
        var convertible = counts.Where(g => UndecodableImageFormats.Contains(g.Key)).Select(g => g.Key).ToList();
        return $" It holds {held} file(s)." + (convertible.Count == 0 ? "" : " " + UndecodableImageFormats.Advice(convertible));
    }

    /// <summary>Loads the labelled images under a folder or inside a .zip archive as an <see cref="IDataView"/>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="path">A folder or a .zip archive.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>A view with text columns <c>ImagePath</c>, <c>Label</c> and <c>Group</c>, sorted by path.</returns>
    public static IDataView Load(MLContext mlContext, string path, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var rows = Scan(path, options).Select(e => new ImageFolderRow { ImagePath = e.ImagePath, Label = e.Label, Group = e.Group }).ToArray();
        return mlContext.Data.LoadFromEnumerable(rows);
    }

    private sealed class ImageFolderRow
    {
        [ColumnName(ImagePathColumnName)]
        public string ImagePath { get; set; } = "";

        [ColumnName(LabelColumnName)]
        public string Label { get; set; } = "";

        [ColumnName(GroupColumnName)]
        public string Group { get; set; } = "";
    }
}
