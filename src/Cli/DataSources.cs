using MLNet.Siamese.Data;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Resolves <c>--data</c> paths: an image folder, a .zip of one (<see cref="ImageFolder.Scan(string, ImageFolderOptions?)"/>), or an IDX images file
/// with its labels file beside it (<see cref="IdxDataset"/>: <c>*-images-idx3-ubyte[.gz]</c>, or any file starting with
/// the IDX image magic; the same name with images→labels and idx3→idx1). Several sources are concatenated; all must be of one kind.
/// </summary>
internal static class DataSources
{
    /// <summary>Loads and concatenates the sources; prints their <see cref="ItemSet.Warnings"/> (image files skipped because ML.NET cannot decode them) through <paramref name="io"/> when given.</summary>
    public static ItemSet Load(IReadOnlyList<string> paths, int labelDepth, CliIO? io = null)
    {
        var items = LoadAll(paths, labelDepth);
        if (io is not null)
            foreach (string warning in items.Warnings) io.Info(warning);
        return items;
    }

    private static ItemSet LoadAll(IReadOnlyList<string> paths, int labelDepth)
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
            return ItemSet.FromImages(parts.SelectMany(p => p.Paths).ToList(), parts.SelectMany(p => p.Labels).ToList(), parts.SelectMany(p => p.Groups).ToList(),
                parts.SelectMany(p => p.Warnings).ToList(), parts.SelectMany(p => p.Ids).ToList());
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
        if (IdxDataset.IsImagesFile(full))
            return LoadIdx(full);
        if (File.Exists(full) && !full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            throw new CliUsageException($"--data '{path}' is neither a folder, a .zip archive, nor an IDX images file.");
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = ImageFolder.Scan(full, new ImageFolderOptions { LabelDepth = labelDepth }, skipped);
        string? warning = ImageFolder.UndecodableFiles(skipped);
        return ItemSet.FromImages(entries.Select(e => e.ImagePath).ToList(), entries.Select(e => e.Label).ToList(), entries.Select(e => e.Group).ToList(),
            warning is null ? [] : [$"'{path}': {warning}"], entries.Select(e => e.SourcePath).ToList());
    }

    private static ItemSet LoadIdx(string imagesPath)
    {
        var set = IdxDataset.Read(imagesPath);
        if (set.Images.Rows != set.Images.Columns)
            throw new CliUsageException($"IDX images in '{imagesPath}' are {set.Images.Rows}x{set.Images.Columns}; only square images are supported.");
        string[] ids = [.. Enumerable.Range(0, set.Count).Select(i => $"{imagesPath}#{i}")];
        string[] text = set.LabelTexts();
        return ItemSet.FromFeatures(ids, text, text, set.ScaledPixels(), set.Images.Rows);
    }
}
