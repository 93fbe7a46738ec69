using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Turns <c>--gallery</c> and <c>--query</c> paths into rows an identifier reads: image paths (an image, a folder of
/// images at any depth, or a .zip of one) or IDX feature vectors (<c>IDXFILE</c> for all rows, <c>IDXFILE#index</c>
/// for one), with ids (the path, or <c>file#index</c>) and labels.
/// </summary>
internal static class IdentificationInputs
{
    private static readonly IReadOnlyList<string> ImageExtensions = MLNet.Siamese.Data.ImageFolderOptions.DecodableExtensions;

    /// <summary>The items as a view with the embedder's input column, Label and Id.</summary>
    public static IDataView ToDataView(MLContext ml, ItemSet items, GalleryEmbedder embedder, string option)
    {
        CheckKind(items, embedder, option);
        if (items.Kind == InputKind.Images)
            return ml.Data.LoadFromEnumerable(Enumerable.Range(0, items.Count).Select(i => new ImageRow { ImagePath = items.Paths[i], Label = items.Labels[i], Id = items.Ids[i] }));
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, items.FeatureLength);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, items.Count).Select(i => new FeatureRow { Features = items.FeatureRow(i), Label = items.Labels[i], Id = items.Ids[i] }), schema);
    }

    /// <summary>Checks that the items are what the embedder takes.</summary>
    public static void CheckKind(ItemSet items, GalleryEmbedder embedder, string option)
    {
        if (embedder.TakesImages != (items.Kind == InputKind.Images))
            throw new CliUsageException($"{option} holds {(items.Kind == InputKind.Images ? "image files" : "IDX feature vectors")} but the model takes {(embedder.TakesImages ? "image files" : "feature vectors")}.");
        if (!embedder.TakesImages)
        {
            int size = (embedder.InputSchema[embedder.InputColumnName].Type as VectorDataViewType)?.Size ?? 0;
            if (items.FeatureLength != size)
                throw new CliUsageException($"{option} has {items.FeatureLength} values per item but the model takes {size}.");
        }
    }

    /// <summary>Loads the queries: each path is an image, a folder or .zip of images, an IDX images file, or IDXFILE#index.</summary>
    public static ItemSet LoadQueries(IReadOnlyList<string> paths, bool images)
    {
        if (paths.Count == 0)
            throw new CliUsageException("--query is required.");
        var parts = paths.Select(p => images ? LoadImages(p) : LoadFeatures(p)).ToList();
        if (images)
            return ItemSet.FromImages(parts.SelectMany(p => p.Paths).ToList(), parts.SelectMany(p => p.Labels).ToList(), parts.SelectMany(p => p.Groups).ToList(),
                ids: parts.SelectMany(p => p.Ids).ToList());
        if (parts.Select(p => p.Side).Distinct().Count() > 1)
            throw new CliUsageException("--query IDX files have different image sizes.");
        return ItemSet.FromFeatures(parts.SelectMany(p => p.Ids).ToList(), parts.SelectMany(p => p.Labels).ToList(), parts.SelectMany(p => p.Groups).ToList(),
            parts.SelectMany(p => p.Features!).ToArray(), parts[0].Side);
    }

    private static ItemSet LoadImages(string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full) && full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            var entries = ImageFolder.Scan(full, new ImageFolderOptions { LabelDepth = 1 });
            return ItemSet.FromImages(entries.Select(e => e.ImagePath).ToList(), entries.Select(e => e.Label).ToList(), entries.Select(e => e.Group).ToList(),
                ids: entries.Select(e => e.SourcePath).ToList());
        }
        if (File.Exists(full))
            return ItemSet.FromImages([NetpbmConversion.DecodablePath(full)], [""], [""], ids: [full]);
        if (!Directory.Exists(full))
            throw new CliUsageException($"--query '{path}' does not exist.");
        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) || NetpbmConversion.IsNetpbm(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new CliUsageException($"--query folder '{path}' holds no image ({string.Join(", ", ImageExtensions)}, or Netpbm).");
        var labels = files.Select(f => Path.GetFileName(Path.GetDirectoryName(f)) ?? "").ToList();
        return ItemSet.FromImages(files.Select(f => NetpbmConversion.DecodablePath(f)).ToList(), labels, labels, ids: files);
    }


    private static ItemSet LoadFeatures(string query)
    {
        int hash = query.LastIndexOf('#');
        string file = hash > 0 ? query[..hash] : query;
        var all = DataSources.LoadOne(file, 1);
        if (hash <= 0)
            return all;
        if (!int.TryParse(query[(hash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) || index >= all.Count)
            throw new CliUsageException($"--query '{query}': the index must be a row number below {all.Count}.");
        return all.Select([index]);
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public string Id { get; set; } = "";
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
        public string Id { get; set; } = "";
    }
}
