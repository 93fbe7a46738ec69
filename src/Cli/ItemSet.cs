using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Cli;

/// <summary>What a model (or a data set) takes as input: image files, or flat feature vectors (IDX data).</summary>
internal enum InputKind
{
    /// <summary>Image files, by path (column ImagePath; the pair scorer takes LeftImagePath and RightImagePath).</summary>
    Images,

    /// <summary>Float vectors in 0..1 (column Features; the pair scorer takes LeftFeatures and RightFeatures).</summary>
    Features,
}

/// <summary>
/// Labelled items loaded from one or more <c>--data</c> sources: either image paths, or feature vectors read from IDX
/// files (one contiguous array). <see cref="Ids"/> names each item: its path as given, or <c>file#index</c> for IDX rows;
/// <see cref="Paths"/> is the file ML.NET reads (a converted Netpbm image's PNG).
/// </summary>
internal sealed class ItemSet
{
    public const string ImagePathColumn = "ImagePath";
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";
    public const string GroupColumn = "Group";

    private ItemSet(InputKind kind, string[] ids, string[] paths, string[] labels, string[] groups, float[]? features, int featureLength, int side)
    {
        Kind = kind;
        Ids = ids;
        Paths = paths;
        Labels = labels;
        Groups = groups;
        Features = features;
        FeatureLength = featureLength;
        Side = side;
    }

    /// <summary>Image items: the files ML.NET reads, and (when they differ, for converted Netpbm images) the paths as given.</summary>
    public static ItemSet FromImages(IReadOnlyList<string> paths, IReadOnlyList<string> labels, IReadOnlyList<string> groups, IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? ids = null)
        => new(InputKind.Images, (ids ?? paths).ToArray(), paths.ToArray(), labels.ToArray(), groups.ToArray(), null, 0, 0) { Warnings = warnings ?? [] };

    public static ItemSet FromFeatures(IReadOnlyList<string> ids, IReadOnlyList<string> labels, IReadOnlyList<string> groups, float[] features, int side)
        => new(InputKind.Features, ids.ToArray(), ids.ToArray(), labels.ToArray(), groups.ToArray(), features, side * side, side);

    public InputKind Kind { get; }

    /// <summary>Image path as given (a Netpbm original, not its PNG), or <c>file#index</c> for IDX rows.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>The image file ML.NET reads for each item (the PNG of a converted Netpbm image); the ids for IDX rows.</summary>
    public IReadOnlyList<string> Paths { get; }

    public IReadOnlyList<string> Labels { get; }

    public IReadOnlyList<string> Groups { get; }

    /// <summary>For <see cref="InputKind.Features"/>: all vectors, row-major.</summary>
    public float[]? Features { get; }

    /// <summary>Values per feature vector (Side * Side); 0 for images.</summary>
    public int FeatureLength { get; }

    /// <summary>Height and width of the IDX images; 0 for image files.</summary>
    public int Side { get; }

    /// <summary>Warnings about the sources, e.g. image files skipped because ML.NET cannot decode their format.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public int Count => Ids.Count;

    public int ClassCount => Labels.Distinct(StringComparer.Ordinal).Count();

    /// <summary>The feature vector of item <paramref name="index"/>.</summary>
    public float[] FeatureRow(int index) => Features!.AsSpan(index * FeatureLength, FeatureLength).ToArray();

    /// <summary>A subset, in the given order.</summary>
    public ItemSet Select(IReadOnlyList<int> indices)
    {
        string[] Pick(IReadOnlyList<string> source) => indices.Select(i => source[i]).ToArray();
        float[]? features = null;
        if (Features is not null)
        {
            features = new float[indices.Count * FeatureLength];
            for (int k = 0; k < indices.Count; k++)
                Features.AsSpan(indices[k] * FeatureLength, FeatureLength).CopyTo(features.AsSpan(k * FeatureLength));
        }
        return new ItemSet(Kind, Pick(Ids), Pick(Paths), Pick(Labels), Pick(Groups), features, FeatureLength, Side);
    }

    /// <summary>True when some group holds at least two classes (so sampling within groups is possible).</summary>
    public bool HasGroupWithTwoClasses() => Labels.Select((label, i) => (label, group: Groups[i])).Distinct()
        .GroupBy(x => x.group, StringComparer.Ordinal).Any(g => g.Count() >= 2);

    /// <summary>The items as a data view: ImagePath (or Features of known size), Label and Group.</summary>
    public IDataView ToDataView(MLContext ml)
    {
        if (Kind == InputKind.Images)
        {
            return ml.Data.LoadFromEnumerable(Enumerable.Range(0, Count).Select(i =>
                new ImageRow { ImagePath = Paths[i], Label = Labels[i], Group = Groups[i] }));
        }
        var schema = SchemaDefinition.Create(typeof(FeatureRowData));
        schema[nameof(FeatureRowData.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureLength);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, Count).Select(i =>
            new FeatureRowData { Features = FeatureRow(i), Label = Labels[i], Group = Groups[i] }), schema);
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public string Group { get; set; } = "";
    }

    private sealed class FeatureRowData
    {
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
        public string Group { get; set; } = "";
    }
}
