using MLNet.Siamese.Data;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Resolves <c>--data</c> paths: an image folder, a .zip of one (<see cref="ImageFolder.Scan"/>), or an IDX images file
/// (<c>*-images-idx3-ubyte[.gz]</c>, or any file starting with the IDX image magic) with its labels file beside it
/// (the same name with images→labels and idx3→idx1). Several sources are concatenated; all must be of one kind.
/// </summary>
internal static class DataSources
{
    /// <summary>Loads and concatenates the sources.</summary>
    public static ItemSet Load(IReadOnlyList<string> paths, int labelDepth)
    {
        if (paths.Count == 0)
            throw new CliUsageException("--data is required: give an image folder, a .zip of one, or an IDX images file.");
        if (labelDepth < 1)
            throw new CliUsageException($"--label-depth must be at least 1 (got {labelDepth}).");
        var parts = paths.Select(p => LoadOne(p, labelDepth)).ToList();
        if (parts.Select(p => p.Kind).Distinct().Count() > 1)
            throw new CliUsageException("--data mixes image folders and IDX files; give sources of one kind.");
        if (parts.Count == 1)
            return parts[0];
        if (parts[0].Kind == InputKind.Images)
            return ItemSet.FromImages(parts.SelectMany(p => p.Ids).ToList(), parts.SelectMany(p => p.Labels).ToList(), parts.SelectMany(p => p.Groups).ToList());
        if (parts.Select(p => p.Side).Distinct().Count() > 1)
            throw new CliUsageException("--data IDX files have different image sizes (" + string.Join(", ", parts.Select(p => $"{p.Side}x{p.Side}")) + ").");
        return ItemSet.FromFeatures(parts.SelectMany(p => p.Ids).ToList(), parts.SelectMany(p => p.Labels).ToList(),
            parts.SelectMany(p => p.Groups).ToList(), parts.SelectMany(p => p.Features!).ToArray(), parts[0].Side);
    }

    /// <summary>Loads one source.</summary>
    public static ItemSet LoadOne(string path, int labelDepth)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full) && !File.Exists(full))
            throw new CliUsageException($"--data '{path}' does not exist.");
        if (IsIdxImages(full))
            return LoadIdx(full);
        if (File.Exists(full) && !full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            throw new CliUsageException($"--data '{path}' is neither a folder, a .zip archive, nor an IDX images file.");
        var entries = ImageFolder.Scan(full, new ImageFolderOptions { LabelDepth = labelDepth });
        return ItemSet.FromImages(entries.Select(e => e.ImagePath).ToList(), entries.Select(e => e.Label).ToList(), entries.Select(e => e.Group).ToList());
    }

    /// <summary>True for a file named like an IDX images file, or starting with the IDX image magic (raw or gzip).</summary>
    public static bool IsIdxImages(string path)
    {
        if (!File.Exists(path))
            return false;
        string name = Path.GetFileName(path);
        if (name.Contains("idx3-ubyte", StringComparison.OrdinalIgnoreCase) || name.Contains("idx3.ubyte", StringComparison.OrdinalIgnoreCase))
            return true;
        if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return false;
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
            return false;
        if (head[0] == 0x1f && head[1] == 0x8b)
        {
            using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
            try
            {
                if (gz.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
                    return false;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }
        return head[0] == 0 && head[1] == 0 && head[2] == 0x08 && head[3] == 0x03;
    }

    /// <summary>The labels file of an IDX images file: images→labels, idx3→idx1 in the file name.</summary>
    public static string IdxLabelsPath(string imagesPath)
    {
        string name = Path.GetFileName(imagesPath)
            .Replace("images", "labels", StringComparison.Ordinal)
            .Replace("Images", "Labels", StringComparison.Ordinal)
            .Replace("idx3", "idx1", StringComparison.Ordinal);
        return Path.Combine(Path.GetDirectoryName(imagesPath) ?? ".", name);
    }

    private static ItemSet LoadIdx(string imagesPath)
    {
        string labelsPath = IdxLabelsPath(imagesPath);
        if (string.Equals(labelsPath, imagesPath, StringComparison.Ordinal) || !File.Exists(labelsPath))
            throw new CliUsageException($"IDX images file '{imagesPath}' has no labels file beside it (expected '{labelsPath}').");
        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new CliUsageException($"IDX files '{imagesPath}' ({images.Count} images) and '{labelsPath}' ({labels.Length} labels) differ in length.");
        if (images.Rows != images.Columns)
            throw new CliUsageException($"IDX images in '{imagesPath}' are {images.Rows}x{images.Columns}; only square images are supported.");
        var features = new float[images.Pixels.Length];
        for (int i = 0; i < features.Length; i++)
            features[i] = images.Pixels[i] / 255f;
        string[] ids = Enumerable.Range(0, images.Count).Select(i => $"{imagesPath}#{i}").ToArray();
        string[] text = labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return ItemSet.FromFeatures(ids, text, text, features, images.Rows);
    }
}
