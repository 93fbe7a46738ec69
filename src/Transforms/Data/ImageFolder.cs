using System.IO.Enumeration;
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
/// <c>.</c>) and <c>__MACOSX</c> folders are skipped. A symbolic link to an image is taken (under the link's own path and
/// label); a symbolic link to a folder is not followed (links can make a cycle). Netpbm images (.pgm, .ppm, .pbm, .pnm)
/// are converted to PNG once, into a cache, and listed under the PNG's path (<see cref="ImageFolderOptions.ConvertNetpbm"/>). A file or folder whose name is not valid UTF-8
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
    public static IReadOnlyList<ImageFolderEntry> Scan(string path, ImageFolderOptions? options = null) => Scan(path, options, null);

    /// <summary>
    /// Lists the labelled images under a folder or inside a .zip archive, and counts the files it did not take, by
    /// extension (lower case, with its dot; "(no extension)" for none): <see cref="UndecodableFiles"/> turns those counts
    /// into a warning when some are images in a format ML.NET cannot decode.
    /// </summary>
    /// <param name="path">A folder, or a .zip archive.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="skipped">Receives the counts of the files not taken (hidden files and folders are not counted); null to ignore them.</param>
    /// <returns>The images, sorted ordinally by path (a converted image by its original's path).</returns>
    /// <exception cref="DirectoryNotFoundException">The path is neither a folder nor an existing file.</exception>
    /// <exception cref="InvalidDataException">No image was found, an image lies too shallow for the label depth, or a Netpbm image does not decode (named).</exception>
    /// <exception cref="ArchiveRejectedException">The archive was refused.</exception>
    public static IReadOnlyList<ImageFolderEntry> Scan(string path, ImageFolderOptions? options, IDictionary<string, int>? skipped)
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
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            IgnoreInaccessible = true,
        };
        var found = new FileSystemEnumerable<(string Path, bool Link)>(root,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), (entry.Attributes & FileAttributes.ReparsePoint) != 0), enumeration)
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

        var entries = new List<ImageFolderEntry>();
        var notTaken = new Dictionary<string, int>(StringComparer.Ordinal);   // files not taken as images, by extension
        int folderLinks = 0;
        foreach (var (file, link) in found)
        {
            string relative = Path.GetRelativePath(root, file);
            string[] parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            if (parts.Any(p => p.StartsWith('.') || p.Equals("__MACOSX", StringComparison.OrdinalIgnoreCase)))
                continue;
            if (file.Contains('\uFFFD') && !File.Exists(file) && !Directory.Exists(file))
                throw new InvalidDataException(
                    $"'{file}' under '{path}' has a name that is not valid UTF-8 (shown with \uFFFD); it cannot be opened, and its images would be skipped. Rename it.");
            if (link && Directory.Exists(file))
            {
                folderLinks++;
                continue;
            }
            bool netpbm = options.ConvertNetpbm && NetpbmConversion.IsNetpbm(Path.GetExtension(file));
            if ((!extensions.Contains(Path.GetExtension(file)) && !netpbm) || !File.Exists(file))
            {
                if (File.Exists(file))
                {
                    string extension = Path.GetExtension(file).ToLowerInvariant();
                    if (extension.Length == 0) extension = "(no extension)";
                    notTaken[extension] = notTaken.GetValueOrDefault(extension) + 1;
                }
                continue;
            }
            int folders = parts.Length - 1;
            if (folders < options.LabelDepth)
                throw new InvalidDataException(
                    $"Image '{file}' lies {folders} folder(s) below '{path}', but LabelDepth {options.LabelDepth} needs at least {options.LabelDepth}.");
            string[] labelParts = parts[(folders - options.LabelDepth)..folders];
            string image = netpbm ? NetpbmConversion.ToPng(file, options.ConversionCacheDirectory) : file;
            entries.Add(new ImageFolderEntry(image, string.Join('/', labelParts), labelParts[0]) { SourcePath = file });
        }

        if (entries.Count == 0)
            throw new InvalidDataException(
                $"No image ({string.Join(", ", extensions.Order(StringComparer.Ordinal))}) was found under '{path}'.{SkippedFiles(notTaken)}"
                + (folderLinks == 0 ? "" : $" {folderLinks} symbolic link(s) to folders were not followed: give the folders they point to, or copy them in."));
        if (skipped is not null)
            foreach (var (extension, count) in notTaken) skipped[extension] = count;

        entries.Sort((a, b) => string.CompareOrdinal(a.SourcePath, b.SourcePath));
        return entries;
    }

    /// <summary>What the folder holds instead of images, most common extensions first, and how to convert image formats the loader cannot read.</summary>
    private static string SkippedFiles(Dictionary<string, int> notTaken)
    {
        if (notTaken.Count == 0) return " It holds no other files.";
        var counts = notTaken.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        string held = string.Join(", ", counts.Take(5).Select(p => $"{p.Value} {p.Key}")) + (counts.Count > 5 ? $" and {counts.Count - 5} other kinds" : "");
        var convertible = counts.Where(p => UndecodableImageFormats.Contains(p.Key)).Select(p => p.Key).ToList();
        return $" It holds {held} file(s)." + (convertible.Count == 0 ? "" : " " + UndecodableImageFormats.Advice(convertible));
    }

    /// <summary>
    /// A warning for the files <see cref="Scan(string, ImageFolderOptions?, IDictionary{string, int}?)"/> skipped that
    /// are images in a format ML.NET's image loader cannot decode (Netpbm, TIFF, HEIF, AVIF, JPEG 2000), with how to
    /// convert them; null when there are none.
    /// </summary>
    /// <param name="skipped">The counts <c>Scan</c> gave, by extension.</param>
    /// <returns>One sentence, or null.</returns>
    public static string? UndecodableFiles(IReadOnlyDictionary<string, int> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        var formats = skipped.Where(p => UndecodableImageFormats.Contains(p.Key)).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        return formats.Count == 0 ? null
            : $"Skipped {string.Join(", ", formats.Select(p => $"{p.Value} {p.Key}"))} file(s): {UndecodableImageFormats.Advice(formats.Select(p => p.Key))}";
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
