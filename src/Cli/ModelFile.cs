using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Cli;

/// <summary>
/// A model zip written by <c>siamese train</c>: the whole pair scorer (image paths or IDX features to Score, Distance,
/// PredictedLabel, LeftEmbedding, RightEmbedding), saved with <c>mlContext.Model.Save</c>. Whether it takes images or
/// features is read from the saved input schema. One item is embedded by feeding it as both the left and the right
/// input and reading LeftEmbedding (twice the cost of an embedder, but one file holds everything). Image files are
/// checked with <see cref="ImageFileCheck"/> before ML.NET decodes them. Dispose it: that deletes the copy of the ONNX
/// graph ML.NET writes to the temporary folder while the model is loaded.
/// </summary>
internal sealed class ModelFile : IDisposable
{
    public const string LeftImage = "LeftImagePath";
    public const string RightImage = "RightImagePath";
    public const string LeftFeatures = "LeftFeatures";
    public const string RightFeatures = "RightFeatures";

    private readonly MLContext _ml;

    private ModelFile(MLContext ml, string path, ITransformer scorer, InputKind kind, int featureLength)
    {
        _ml = ml;
        Path = path;
        Scorer = scorer;
        Kind = kind;
        FeatureLength = featureLength;
    }

    public string Path { get; }

    public ITransformer Scorer { get; }

    public InputKind Kind { get; }

    /// <summary>Values per feature vector for feature models; 0 for image models.</summary>
    public int FeatureLength { get; }

    /// <summary>Loads a model zip; any failure is reported as a usage error naming the file.</summary>
    public static ModelFile Load(MLContext ml, string path)
        => TryLoad(ml, path, out var notAPairScorer) ?? throw new CliUsageException(notAPairScorer!);

    /// <summary>
    /// Loads a pair scorer, or returns null (with why) for an ML.NET model zip that is not one: an embedder or an
    /// identifier, which <c>embed</c> reads through the gallery's embedder instead. Any other failure is a usage error.
    /// </summary>
    public static ModelFile? TryLoad(MLContext ml, string path, out string? notAPairScorer)
    {
        notAPairScorer = null;
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new CliUsageException($"--model '{path}' does not exist.");
        ITransformer scorer;
        DataViewSchema schema;
        try
        {
            // Entry CRC-32s are verified first: ML.NET would load a damaged zip and score differently without a word.
            scorer = MLNet.Siamese.ModelFiles.SiameseModelFile.Load(ml, full, out schema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CliUsageException($"--model '{path}' is not a siamese model zip ({FirstLine(e.Message)}).", e);
        }
        if (schema?.GetColumnOrNull(LeftImage) is not null && schema.GetColumnOrNull(RightImage) is not null)
            return new ModelFile(ml, full, scorer, InputKind.Images, 0);
        if (schema?.GetColumnOrNull(LeftFeatures) is { } left && schema.GetColumnOrNull(RightFeatures) is not null)
            return new ModelFile(ml, full, scorer, InputKind.Features, (left.Type as VectorDataViewType)?.Size ?? 0);
        (scorer as IDisposable)?.Dispose();
        string columns = schema is null ? "none" : string.Join(", ", schema.Select(c => c.Name));
        notAPairScorer = $"--model '{path}' is an ML.NET model but not a siamese pair scorer (its inputs are: {columns}).";
        return null;
    }

    /// <summary>Checks that items can be fed to this model.</summary>
    public void CheckCompatible(ItemSet items, string what)
    {
        if (items.Kind != Kind)
            throw new CliUsageException($"{what} holds {Describe(items.Kind)} but the model '{Path}' takes {Describe(Kind)}.");
        if (Kind == InputKind.Features && items.FeatureLength != FeatureLength)
            throw new CliUsageException($"{what} has {items.FeatureLength} values per item but the model '{Path}' takes {FeatureLength}.");
    }

    /// <summary>Checks every image file of <paramref name="items"/> before ML.NET decodes it (nothing for IDX items).</summary>
    public static void CheckImages(ItemSet items)
    {
        if (items.Kind == InputKind.Images)
            ImageFileCheck.CheckAll(items.Paths);
    }

    /// <summary>Deletes what ML.NET extracted to load the model (the ONNX graph in the temporary folder).</summary>
    public void Dispose() => (Scorer as IDisposable)?.Dispose();

    /// <summary>Embeds every item in one pass (each item fed as both left and right input).</summary>
    public float[][] Embed(ItemSet items)
    {
        CheckImages(items);
        var pairs = Enumerable.Range(0, items.Count).Select(i => (i, i)).ToArray();
        var scored = Scorer.Transform(PairView(items, items, pairs));
        return ReadVectors(scored, "LeftEmbedding", pairs.Length);
    }

    /// <summary>Scores (left item, right item) pairs in one pass: Score (higher = same) and Distance.</summary>
    public (float[] Score, float[] Distance) ScorePairs(ItemSet left, ItemSet right, IReadOnlyList<(int Left, int Right)> pairs)
    {
        if (pairs.Count == 0)
            return ([], []);
        CheckImages(left);
        if (!ReferenceEquals(left, right))
            CheckImages(right);
        var scored = Scorer.Transform(PairView(left, right, pairs));
        var score = ReadVectors(scored, "Score", pairs.Count).Select(v => v[0]).ToArray();
        var distance = ReadVectors(scored, "Distance", pairs.Count).Select(v => v[0]).ToArray();
        return (score, distance);
    }

    /// <summary>An empty view with the pair scorer's input columns, for saving a model with its input schema.</summary>
    public static IDataView EmptyInput(MLContext ml, InputKind kind, int featureLength)
    {
        var none = ItemSet.FromImages([], [], []);
        return PairView(ml, kind, featureLength, none, none, []);
    }

    private IDataView PairView(ItemSet left, ItemSet right, IReadOnlyList<(int Left, int Right)> pairs) => PairView(_ml, Kind, FeatureLength, left, right, pairs);

    private static IDataView PairView(MLContext ml, InputKind kind, int featureLength, ItemSet left, ItemSet right, IReadOnlyList<(int Left, int Right)> pairs)
    {
        if (kind == InputKind.Images)
        {
            return ml.Data.LoadFromEnumerable(pairs.Select(p => new ImagePairRow { LeftImagePath = left.Paths[p.Left], RightImagePath = right.Paths[p.Right] }));
        }
        var schema = SchemaDefinition.Create(typeof(FeaturePairRow));
        schema[LeftFeatures].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureLength);
        schema[RightFeatures].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureLength);
        return ml.Data.LoadFromEnumerable(pairs.Select(p => new FeaturePairRow { LeftFeatures = left.FeatureRow(p.Left), RightFeatures = right.FeatureRow(p.Right) }), schema);
    }

    private static float[][] ReadVectors(IDataView data, string columnName, int expected)
    {
        var column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new CliUsageException($"The model's output has no '{columnName}' column; is it a siamese model zip?");
        var result = new float[expected][];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (row >= expected)
                throw new InvalidOperationException($"The model returned more than {expected} rows.");
            result[row++] = buffer.DenseValues().ToArray();
        }
        if (row != expected)
            throw new InvalidOperationException($"The model returned {row} rows instead of {expected}.");
        return result;
    }

    private static string Describe(InputKind kind) => kind == InputKind.Images ? "image files" : "IDX feature vectors";

    internal static string FirstLine(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }

    private sealed class ImagePairRow
    {
        public string LeftImagePath { get; set; } = "";
        public string RightImagePath { get; set; } = "";
    }

    private sealed class FeaturePairRow
    {
        public float[] LeftFeatures { get; set; } = [];
        public float[] RightFeatures { get; set; } = [];
    }
}
