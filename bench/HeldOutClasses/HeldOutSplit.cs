using MLNet.Siamese.Data;
using Microsoft.ML;

namespace MLNet.Siamese.Bench.HeldOutClasses;

/// <summary>A labelled set cut by class: the training classes' items and the held-out classes' items.</summary>
internal sealed class HeldOutSplit
{
    public required IDataView Train { get; init; }
    public required IDataView Test { get; init; }
    public required IReadOnlyList<string> TrainClasses { get; init; }
    public required IReadOnlyList<string> TestClasses { get; init; }
    public required long TestCount { get; init; }
    /// <summary>Image side of IDX data (fixed-size features); null for image files.</summary>
    public int? Side { get; init; }

    public static HeldOutSplit Load(MLContext ml, Arguments a)
    {
        if (File.Exists(a.Data) && !a.Data.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return LoadIdx(ml, a);
        var folderOptions = new ImageFolderOptions { LabelDepth = a.LabelDepth };
        var entries = ImageFolder.Scan(a.Data, folderOptions);
        if (a.TestData is not null)
            return LoadSeparateTest(ml, entries, ImageFolder.Scan(a.TestData, folderOptions), a.TestData);
        var (train, test) = Cut(entries.Select(e => e.Label), a.HeldOutFraction);
        var testEntries = entries.Where(e => test.Contains(e.Label)).ToList();
        return new HeldOutSplit
        {
            Train = ml.Data.LoadFromEnumerable(entries.Where(e => train.Contains(e.Label))),
            Test = ml.Data.LoadFromEnumerable(testEntries),
            TrainClasses = train.Order(StringComparer.Ordinal).ToList(),
            TestClasses = test.Order(StringComparer.Ordinal).ToList(),
            TestCount = testEntries.Count,
        };
    }

    /// <summary>
    /// Every class of the training images trains; the test images' classes that training does not have are evaluated
    /// (e.g. Omniglot: an alphabet present in both archives is left out of the evaluation).
    /// </summary>
    private static HeldOutSplit LoadSeparateTest(MLContext ml, IReadOnlyList<ImageFolderEntry> trainEntries, IReadOnlyList<ImageFolderEntry> testEntries, string testPath)
    {
        var train = trainEntries.Select(e => e.Label).ToHashSet();
        var unseen = testEntries.Where(e => !train.Contains(e.Label)).ToList();
        if (unseen.Count == 0)
            throw new InvalidDataException($"--test-data '{testPath}' has no class that the training data lacks: nothing unseen to evaluate.");
        return new HeldOutSplit
        {
            Train = ml.Data.LoadFromEnumerable(trainEntries),
            Test = ml.Data.LoadFromEnumerable(unseen),
            TrainClasses = train.Order(StringComparer.Ordinal).ToList(),
            TestClasses = unseen.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToList(),
            TestCount = unseen.Count,
        };
    }

    private static HeldOutSplit LoadIdx(MLContext ml, Arguments a)
    {
        var (trainItems, side) = ReadIdx(a.Data);
        var testItems = a.TestData is null ? trainItems : ReadIdx(a.TestData).Items;
        var (train, test) = Cut(trainItems.Select(i => i.Label), a.HeldOutFraction);
        var testRows = testItems.Where(i => test.Contains(i.Label)).ToList();
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(IdxItem));
        schema[nameof(IdxItem.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, side * side);
        return new HeldOutSplit
        {
            Train = ml.Data.LoadFromEnumerable(trainItems.Where(i => train.Contains(i.Label)), schema),
            Test = ml.Data.LoadFromEnumerable(testRows, schema),
            TrainClasses = train.Order(StringComparer.Ordinal).ToList(),
            TestClasses = test.Order(StringComparer.Ordinal).ToList(),
            TestCount = testRows.Count,
            Side = side,
        };
    }

    private static (List<IdxItem> Items, int Side) ReadIdx(string imagesPath)
    {
        string labelsPath = Path.Combine(Path.GetDirectoryName(imagesPath)!, Path.GetFileName(imagesPath).Replace("images", "labels", StringComparison.Ordinal).Replace("idx3", "idx1", StringComparison.Ordinal));
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath);
        int size = images.Rows * images.Columns;
        var items = new List<IdxItem>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            var features = new float[size];
            for (int j = 0; j < size; j++) features[j] = images.Pixels[(long)i * size + j] / 255f;
            items.Add(new IdxItem { Features = features, Label = labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        return (items, images.Rows);
    }

    /// <summary>The last <paramref name="fraction"/> of the class names in ordinal order are held out.</summary>
    private static (HashSet<string> Train, HashSet<string> Test) Cut(IEnumerable<string> labels, double fraction)
    {
        var classes = labels.Distinct().Order(StringComparer.Ordinal).ToList();
        int held = Math.Max(2, (int)Math.Round(classes.Count * fraction));
        return (classes.Take(classes.Count - held).ToHashSet(), classes.Skip(classes.Count - held).ToHashSet());
    }

    private sealed class IdxItem
    {
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
    }
}
