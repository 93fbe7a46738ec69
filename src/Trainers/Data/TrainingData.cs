using Microsoft.ML;
using MLNet.Siamese.Classes;
using MLNet.Siamese.Data;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Training items read once from an IDataView into one contiguous array: features (row-major, <see cref="FeatureSize"/>
/// per item), a dense class id per item and a dense group id per class.
/// </summary>
internal sealed class TrainingData
{
    public required float[] Features { get; init; }
    public required int FeatureSize { get; init; }
    public required int[] ClassOfItem { get; init; }
    public required string[] ClassNames { get; init; }
    public required int[] GroupOfClass { get; init; }
    public int Count => ClassOfItem.Length;

    /// <summary>Reads single labelled items, checking the feature length and that every value is finite.</summary>
    public static TrainingData ReadItems(IDataView data, string featureColumn, string labelColumn, string? groupColumn, int expectedSize, string what)
    {
        var featureCol = RequireColumn(data, featureColumn, what);
        var labelCol = RequireColumn(data, labelColumn, what);
        var groupCol = groupColumn is null ? (DataViewSchema.Column?)null : RequireColumn(data, groupColumn, what);
        CheckFeatureType(featureCol, expectedSize, what);
        var columns = new List<DataViewSchema.Column> { featureCol, labelCol };
        if (groupCol is { } g) columns.Add(g);
        var features = new List<float>();
        var labels = new List<string>();
        var groups = new List<string>();
        using (var cursor = data.GetRowCursor(columns))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featureCol);
            var getLabel = ClassKeyReader.Create(cursor, labelCol, "label", what);
            var getGroup = groupCol is { } gc ? ClassKeyReader.Create(cursor, gc, "group", what) : null;
            var buffer = default(VBuffer<float>);
            long row = 0;
            while (cursor.MoveNext())
            {
                getFeatures(ref buffer);
                AppendChecked(features, buffer, expectedSize, featureColumn, row, what);
                string label = getLabel() ??
                    throw new InvalidOperationException($"{what}: row {row} has an empty or missing value in label column '{labelColumn}'.");
                labels.Add(label);
                groups.Add(getGroup?.Invoke() ?? string.Empty);
                row++;
            }
        }
        if (labels.Count == 0)
            throw new InvalidOperationException($"{what}: the data has no rows.");
        return FromArrays(features.ToArray(), expectedSize, labels, groups);
    }

    /// <summary>The image paths of a column (resolved against <paramref name="folder"/> when relative), in row order.</summary>
    public static List<string> ReadPaths(IDataView data, string imageColumn, string? folder, string what)
    {
        var imageCol = RequireColumn(data, imageColumn, what);
        if (imageCol.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(data), $"{what}: image column '{imageColumn}' must hold text (file paths) but is {imageCol.Type}.");
        var paths = new List<string>();
        using var cursor = data.GetRowCursor([imageCol]);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(imageCol);
        ReadOnlyMemory<char> path = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            getPath(ref path);
            if (path.IsEmpty) throw new InvalidOperationException($"{what}: row {row} has an empty path in image column '{imageColumn}'.");
            string file = path.ToString();
            paths.Add(!string.IsNullOrEmpty(folder) && !Path.IsPathRooted(file) ? Path.Combine(folder, file) : file);
            row++;
        }
        return paths;
    }

    /// <summary>
    /// Reads image paths with labels and decodes every image once into one array; with <paramref name="featurize"/>, that
    /// function turns the (resolved) paths into the features instead (a pretrained backbone).
    /// </summary>
    public static TrainingData ReadImages(MLContext context, IDataView data, string imageColumn, string labelColumn, string? groupColumn,
        ImagePreprocessingOptions preprocessing, int expectedSize, string what, Func<IReadOnlyList<string>, float[]>? featurize = null)
    {
        CheckDecodedLength(preprocessing, expectedSize, what, featurize);
        var (paths, labels, groups) = ReadLabelledPaths(data, imageColumn, labelColumn, groupColumn, preprocessing.ImageFolder, what);
        var features = featurize?.Invoke(paths) ?? ImagePreprocessing.DecodeToArray(context, paths, preprocessing with { ImageFolder = null });
        return FromArrays(features, expectedSize, labels, groups);
    }

    /// <summary>Images decoded by the library (no <paramref name="featurize"/>) must give the values the network expects.</summary>
    /// <exception cref="ArgumentOutOfRangeException">They do not.</exception>
    public static void CheckDecodedLength(ImagePreprocessingOptions preprocessing, int expectedSize, string what, Func<IReadOnlyList<string>, float[]>? featurize)
    {
        if (featurize is null && preprocessing.FeatureLength != expectedSize)
            throw new ArgumentOutOfRangeException(nameof(preprocessing), $"{what}: images are decoded to {preprocessing.Channels}x{preprocessing.Height}x{preprocessing.Width} = {preprocessing.FeatureLength} values but the network expects {expectedSize}.");
    }

    /// <summary>
    /// Reads image paths with labels without decoding them: the items' classes and groups (no features; <see cref="Features"/>
    /// is empty) and each row's resolved path, so that parts of the data can be decoded one at a time
    /// (<see cref="ClassHoldOut.Split(TrainingData, double, int, string, int, Func{int[], float[]})"/>).
    /// </summary>
    public static (TrainingData Labels, List<string> Paths) ReadImageLabels(IDataView data, string imageColumn, string labelColumn, string? groupColumn, string? folder, string what)
    {
        var (paths, labels, groups) = ReadLabelledPaths(data, imageColumn, labelColumn, groupColumn, folder, what);
        return (FromArrays([], 0, labels, groups), paths);
    }

    /// <summary>
    /// The image paths of a column (resolved against <paramref name="folder"/> when relative) with each row's label and
    /// group (empty without a group column), in row order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or the image column does not hold text.</exception>
    /// <exception cref="InvalidOperationException">A path or label is empty (the message names the row), or there is no row.</exception>
    public static (List<string> Paths, List<string> Labels, List<string> Groups) ReadLabelledPaths(IDataView data, string imageColumn, string labelColumn, string? groupColumn,
        string? folder, string what)
    {
        var imageCol = RequireColumn(data, imageColumn, what);
        if (imageCol.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(data), $"{what}: image column '{imageColumn}' must hold text (file paths) but is {imageCol.Type}.");
        var labelCol = RequireColumn(data, labelColumn, what);
        var groupCol = groupColumn is null ? (DataViewSchema.Column?)null : RequireColumn(data, groupColumn, what);
        var columns = new List<DataViewSchema.Column> { imageCol, labelCol };
        if (groupCol is { } g) columns.Add(g);
        var paths = new List<string>();
        var labels = new List<string>();
        var groups = new List<string>();
        using (var cursor = data.GetRowCursor(columns))
        {
            var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(imageCol);
            var getLabel = ClassKeyReader.Create(cursor, labelCol, "label", what);
            var getGroup = groupCol is { } gc ? ClassKeyReader.Create(cursor, gc, "group", what) : null;
            ReadOnlyMemory<char> path = default;
            long row = 0;
            while (cursor.MoveNext())
            {
                getPath(ref path);
                if (path.IsEmpty) throw new InvalidOperationException($"{what}: row {row} has an empty path in image column '{imageColumn}'.");
                string label = getLabel() ?? throw new InvalidOperationException($"{what}: row {row} has an empty or missing value in label column '{labelColumn}'.");
                string file = path.ToString();
                if (!string.IsNullOrEmpty(folder) && !Path.IsPathRooted(file)) file = Path.Combine(folder, file);
                paths.Add(file);
                labels.Add(label);
                groups.Add(getGroup?.Invoke() ?? string.Empty);
                row++;
            }
        }
        if (labels.Count == 0) throw new InvalidOperationException($"{what}: the data has no rows.");
        return (paths, labels, groups);
    }

    private static TrainingData FromArrays(float[] features, int featureSize, List<string> labels, List<string> groups)
    {
        var classNames = labels.Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        var classId = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var classOfItem = labels.Select(l => classId[l]).ToArray();
        var groupNames = groups.Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var groupOfClass = new int[classNames.Length];
        for (int i = 0; i < classOfItem.Length; i++) groupOfClass[classOfItem[i]] = groupNames.IndexOf(groups[i]);
        return new TrainingData
        {
            Features = features,
            FeatureSize = featureSize,
            ClassOfItem = classOfItem,
            ClassNames = classNames,
            GroupOfClass = groupOfClass,
        };
    }

    /// <summary>The same items and classes with other features (<paramref name="featureSize"/> values per item).</summary>
    public TrainingData WithFeatures(float[] features, int featureSize)
    {
        if (features.Length != (long)Count * featureSize)
            throw new ArgumentException($"{features.Length} values are not {Count} items of {featureSize}.", nameof(features));
        return new TrainingData { Features = features, FeatureSize = featureSize, ClassOfItem = ClassOfItem, ClassNames = ClassNames, GroupOfClass = GroupOfClass };
    }

    /// <summary>
    /// Adds three copies of every item rotated by 90, 180 and 270 degrees, each rotation of a class being a new class
    /// of the same group (the "rotated classes" augmentation of prototypical networks on Omniglot): four times the
    /// classes to learn from. Items must be square images (<paramref name="channels"/> x side x side).
    /// </summary>
    public TrainingData WithRotatedClasses(int channels, int side)
    {
        if (channels * side * side != FeatureSize)
            throw new InvalidOperationException($"Rotated classes need square images; the network input is {FeatureSize} values, not {channels}x{side}x{side}.");
        return WithTransformedCopies(["@90", "@180", "@270"], (r, src, dst) =>
        {
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < side; y++)
                    for (int x = 0; x < side; x++)
                    {
                        // rotate by r * 90 degrees counter-clockwise
                        (int sy, int sx) = r switch { 1 => (x, side - 1 - y), 2 => (side - 1 - y, side - 1 - x), _ => (side - 1 - x, y) };
                        dst[c * side * side + y * side + x] = src[c * side * side + sy * side + sx];
                    }
        });
    }

    /// <summary>
    /// Adds a left-right mirrored copy of every item, the mirror of a class being a new class of the same group: twice
    /// the classes to learn from (a mirrored character is another plausible character). Items are images of
    /// <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.
    /// </summary>
    public TrainingData WithMirroredClasses(int channels, int height, int width)
    {
        if (channels * height * width != FeatureSize)
            throw new InvalidOperationException($"Mirrored classes need images; the network input is {FeatureSize} values, not {channels}x{height}x{width}.");
        return WithTransformedCopies(["@mirrored"], (_, src, dst) =>
        {
            src.CopyTo(dst);
            for (int row = 0; row < channels * height; row++)
                dst.Slice(row * width, width).Reverse();
        });
    }

    /// <summary>A span transform of one item into its copy number <c>copy</c> (1-based).</summary>
    private delegate void CopyTransform(int copy, ReadOnlySpan<float> source, Span<float> destination);

    /// <summary>
    /// The items followed by one transformed copy of every item per suffix; copy r of class c is the new class
    /// r * classes + c, named with the r-th suffix, in the group of c.
    /// </summary>
    private TrainingData WithTransformedCopies(string[] suffixes, CopyTransform transform)
    {
        int n = Count, copies = suffixes.Length + 1, classes = ClassNames.Length;
        var features = new float[(long)n * copies * FeatureSize];
        Array.Copy(Features, features, Features.Length);
        var classOfItem = new int[n * copies];
        var names = new string[classes * copies];
        var groups = new int[classes * copies];
        for (int r = 0; r < copies; r++)
        {
            for (int i = 0; i < n; i++)
            {
                classOfItem[r * n + i] = r * classes + ClassOfItem[i];
                if (r > 0)
                    transform(r, Features.AsSpan(i * FeatureSize, FeatureSize), features.AsSpan((r * n + i) * FeatureSize, FeatureSize));
            }
            for (int c = 0; c < classes; c++)
            {
                names[r * classes + c] = r == 0 ? ClassNames[c] : ClassNames[c] + suffixes[r - 1];
                groups[r * classes + c] = GroupOfClass[c];
            }
        }
        return new TrainingData { Features = features, FeatureSize = FeatureSize, ClassOfItem = classOfItem, ClassNames = names, GroupOfClass = groups };
    }

    /// <summary>Reads explicit pairs: two feature columns and a boolean label.</summary>
    public static (float[] Left, float[] Right, float[] Similar) ReadPairs(IDataView data, string leftColumn, string rightColumn, string labelColumn, int expectedSize, string what)
    {
        var leftCol = RequireColumn(data, leftColumn, what);
        var rightCol = RequireColumn(data, rightColumn, what);
        var labelCol = RequireColumn(data, labelColumn, what);
        CheckFeatureType(leftCol, expectedSize, what);
        CheckFeatureType(rightCol, expectedSize, what);
        if (labelCol.Type != BooleanDataViewType.Instance)
            throw new InvalidOperationException($"{what}: pair label column '{labelColumn}' must be Boolean (true = same class) but is {labelCol.Type}.");
        var left = new List<float>();
        var right = new List<float>();
        var similar = new List<float>();
        using var cursor = data.GetRowCursor(new[] { leftCol, rightCol, labelCol });
        var getLeft = cursor.GetGetter<VBuffer<float>>(leftCol);
        var getRight = cursor.GetGetter<VBuffer<float>>(rightCol);
        var getLabel = cursor.GetGetter<bool>(labelCol);
        var buffer = default(VBuffer<float>);
        bool label = false;
        long row = 0;
        while (cursor.MoveNext())
        {
            getLeft(ref buffer);
            AppendChecked(left, buffer, expectedSize, leftColumn, row, what);
            getRight(ref buffer);
            AppendChecked(right, buffer, expectedSize, rightColumn, row, what);
            getLabel(ref label);
            similar.Add(label ? 1f : 0f);
            row++;
        }
        if (similar.Count == 0)
            throw new InvalidOperationException($"{what}: the data has no rows.");
        return (left.ToArray(), right.ToArray(), similar.ToArray());
    }

    private static DataViewSchema.Column RequireColumn(IDataView data, string name, string what)
        => data.Schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(data),
            $"{what}: column '{name}' not found. Columns present: {string.Join(", ", data.Schema.Select(c => c.Name))}.");

    private static void CheckFeatureType(DataViewSchema.Column column, int expectedSize, string what)
    {
        if (column.Type is not VectorDataViewType v || v.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(column), $"{what}: column '{column.Name}' must be a vector of Single (float) but is {column.Type}.");
        if (v.IsKnownSize && v.Size != expectedSize)
            throw new ArgumentOutOfRangeException(nameof(column), $"{what}: column '{column.Name}' has vectors of {v.Size} values but the network expects {expectedSize} (channels x height x width).");
    }

    private static void AppendChecked(List<float> target, VBuffer<float> buffer, int expectedSize, string column, long row, string what)
    {
        if (buffer.Length != expectedSize)
            throw new InvalidOperationException($"{what}: row {row} of column '{column}' has {buffer.Length} values but the network expects {expectedSize}.");
        int start = target.Count;
        if (buffer.IsDense) target.AddRange(buffer.GetValues());   // one block copy per row, not one Add per value
        else foreach (var value in buffer.DenseValues()) target.Add(value);
        var added = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(target)[start..];
        for (int i = 0; i < added.Length; i++)
            if (!float.IsFinite(added[i]))
                throw new InvalidOperationException($"{what}: row {row} of column '{column}' holds a non-finite value ({added[i]}) at position {i}.");
    }
}
