using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Identification;

/// <summary>
/// An identifier: a trained embedder followed by an enrolled gallery, as plain ML.NET transformers (ImageAnalytics for
/// image models, then two <c>ApplyOnnxModel</c>: the network, and the gallery head whose constants are the gallery's
/// embeddings, ids and labels). Saved with <see cref="Save"/> or <c>mlContext.Model.Save</c>, it loads with
/// <c>mlContext.Model.Load</c> and scores with ML.NET + ONNX Runtime alone.
/// </summary>
/// <remarks>
/// <para>Input and output columns:</para>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and meaning</description></listheader>
/// <item><term><see cref="GalleryEmbedder.InputColumnName"/></term><description>Input: image path (text) or feature vector.</description></item>
/// <item><term>NeighborIds, NeighborLabels</term><description>Text, k values: ids and labels of the k nearest gallery rows.</description></item>
/// <item><term>NeighborDistances</term><description>Single, k values, ascending Euclidean distances.</description></item>
/// <item><term>Distance, IsKnown, PredictedLabel, Confidence</term><description>One value each: nearest distance, whether it is within <see cref="Threshold"/>, the answer (or <see cref="UnknownLabel"/>), and 1 - the calibration impostors' false-accept rate at that distance.</description></item>
/// </list>
/// </remarks>
public sealed class IdentificationModel : ITransformer
{
    private readonly IdentifierSettings _settings;
    private readonly TransformerChain<ITransformer> _chain;
    private readonly byte[] _galleryOnnx;

    internal IdentificationModel(GalleryEmbedder embedder, IdentificationGallery gallery, IdentifierSettings settings)
    {
        if (!string.Equals(embedder.Fingerprint, gallery.EmbedderFingerprint, StringComparison.Ordinal))
            throw new InvalidOperationException($"The gallery was enrolled with a different embedder (fingerprint {Short(gallery.EmbedderFingerprint)}) than this model's ({Short(embedder.Fingerprint)}): its embeddings are not comparable. Enrol the items again with this model.");
        if (gallery.Dimension != embedder.Dimension)
            throw new InvalidOperationException($"The gallery's embeddings have {gallery.Dimension} values; the embedder gives {embedder.Dimension}.");
        if (gallery.Labels.Contains(settings.UnknownLabel, StringComparer.Ordinal))
            throw new ArgumentException($"A gallery label equals the unknown label '{settings.UnknownLabel}'; choose another {nameof(EnrollmentOptions.UnknownLabel)}.");
        Embedder = embedder;
        Gallery = gallery;
        _settings = settings;
        var rows = GalleryRows.Of(gallery, settings.Mode);
        RowCount = rows.Count;
        _galleryOnnx = GalleryGraphWriter.Write(gallery, rows, settings, GalleryEmbedder.EmbeddingColumnName);
        var embedded = embedder.Transformer.GetOutputSchema(embedder.InputSchema);
        var head = LoadedModelTempFolder.Run(embedder.Context, () => embedder.Context.Transforms.ApplyOnnxModel(new MemoryStream(_galleryOnnx)).Fit(OnnxTransformers.Empty(embedded)));
        _chain = new TransformerChain<ITransformer>(embedder.Parts.Append(head).ToArray());
    }

    /// <summary>The embedder.</summary>
    public GalleryEmbedder Embedder { get; }

    /// <summary>The enrolled items.</summary>
    public IdentificationGallery Gallery { get; }

    /// <summary>Items, or per-class prototypes.</summary>
    public GalleryMode Mode => _settings.Mode;

    /// <summary>Rows a query is compared with: the items, or the classes.</summary>
    public int RowCount { get; }

    /// <summary>Neighbours returned per query.</summary>
    public int K => _settings.K;

    /// <summary>The largest nearest distance accepted as known (+infinity: closed set).</summary>
    public float Threshold => _settings.Threshold;

    /// <summary>The predicted label of a rejected query.</summary>
    public string UnknownLabel => _settings.UnknownLabel;

    /// <summary>How the threshold was chosen, in one line.</summary>
    public string Calibration => _settings.Calibration;

    /// <summary>The calibration impostors' nearest distances (ascending; quantiles for large galleries).</summary>
    public IReadOnlyList<float> ImpostorDistances => _settings.ImpostorDistances;

    /// <summary>The input columns (the embedder's).</summary>
    public DataViewSchema InputSchema => Embedder.InputSchema;

    /// <summary>The gallery head as ONNX bytes (input Embedding, outputs the identification columns).</summary>
    public ReadOnlyMemory<byte> GalleryOnnx => _galleryOnnx;

    internal IdentifierSettings Settings => _settings;

    /// <summary>Saves the identifier with its input schema, atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The zip to write.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temp = full + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Embedder.Context.Model.Save(_chain, InputSchema, temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Loads an identifier saved by <see cref="Save"/> (entries verified first), with its gallery, to score or update.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="path">The zip.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="InvalidDataException">The file is damaged or is not an identifier (named).</exception>
    public static IdentificationModel Load(MLContext context, string path)
    {
        var embedder = GalleryEmbedder.FromFile(context, path);
        var onnx = MLNet.Siamese.ModelFiles.OnnxZipEntries.Read(path).Select(m => m.Model).ToList();
        var found = GalleryGraphReader.TryRead(onnx[^1])
            ?? throw new InvalidDataException($"Model file '{path}' is not an identifier (it holds no gallery); enrol one with 'Enroll'.");
        return new IdentificationModel(embedder, found.Gallery, found.Settings);
    }

    /// <summary>True when <paramref name="path"/> is a model zip whose last ONNX model is a gallery (an identifier).</summary>
    /// <param name="path">A model zip.</param>
    /// <returns>Whether it is an identifier.</returns>
    public static bool IsIdentifierFile(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            var onnx = MLNet.Siamese.ModelFiles.OnnxZipEntries.Read(path).Select(m => m.Model).ToList();
            return onnx.Count > 0 && GalleryGraphReader.TryRead(onnx[^1]) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>The same embedder and settings with another gallery, recalibrated by the same rule.</summary>
    /// <param name="gallery">The new gallery; it must come from the same embedder.</param>
    /// <returns>The new identifier.</returns>
    /// <exception cref="InvalidOperationException">The gallery comes from another embedder.</exception>
    public IdentificationModel WithGallery(IdentificationGallery gallery)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        if (!string.Equals(Embedder.Fingerprint, gallery.EmbedderFingerprint, StringComparison.Ordinal))
            throw new InvalidOperationException($"The gallery was enrolled with a different embedder (fingerprint {Short(gallery.EmbedderFingerprint)}) than this model's ({Short(Embedder.Fingerprint)}): its embeddings are not comparable. Enrol the items again with this model.");
        var options = _settings.ToOptions();
        options.K = Math.Min(options.K, GalleryRows.Of(gallery, options.Mode).Count);
        return Identifiers.Create(Embedder, gallery, options, null);
    }

    /// <summary>Adds items (embedded by this identifier's embedder) and recalibrates.</summary>
    /// <param name="items">Rows with the input column, the id column and the label column of <paramref name="options"/> (defaults: "Id", "Label").</param>
    /// <param name="options">Column names; the threshold rule and k are kept from this identifier.</param>
    /// <returns>The new identifier.</returns>
    public IdentificationModel WithItems(IDataView items, EnrollmentOptions? options = null)
    {
        var added = Identifiers.ReadItems(Embedder, items, options ?? _settings.ToOptions(), "added items");
        return WithGallery(Gallery.Add(added));
    }

    /// <summary>Removes items by id and recalibrates.</summary>
    /// <param name="ids">Ids to remove.</param>
    /// <returns>The new identifier.</returns>
    public IdentificationModel WithoutItems(IEnumerable<string> ids) => WithGallery(Gallery.Remove(ids));

    /// <summary>Identifies every row of <paramref name="queries"/> in one batch (image files are checked first).</summary>
    /// <param name="queries">Rows with the embedder's input column.</param>
    /// <returns>One result per row, in order.</returns>
    /// <exception cref="ArgumentException">The input column is missing or of the wrong type.</exception>
    /// <exception cref="FileNotFoundException">A query image does not exist (named).</exception>
    /// <exception cref="InvalidDataException">A query image does not decode (named).</exception>
    public IReadOnlyList<IdentificationResult> Identify(IDataView queries)
    {
        Embedder.CheckInput(queries, "query");
        return IdentificationResultReader.ReadAll(Transform(queries));
    }

    /// <summary>The same gallery and threshold returning <paramref name="k"/> neighbours.</summary>
    /// <param name="k">1 .. <see cref="RowCount"/>.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k is below 1 or larger than the gallery.</exception>
    public IdentificationModel WithK(int k)
    {
        if (k < 1 || k > RowCount)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k = {k} but the gallery has {RowCount} {(Mode == GalleryMode.Prototypes ? "classes" : "items")}; k must be between 1 and {RowCount}.");
        return k == K ? this : new IdentificationModel(Embedder, Gallery, _settings with { K = k });
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => ((ITransformer)_chain).IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)_chain).GetRowToRowMapper(inputSchema);

    /// <summary>Adds the identification columns.</summary>
    /// <param name="input">Data with the embedder's input column.</param>
    /// <returns>The scored data.</returns>
    public IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <summary>Saves the chain of ML.NET transformers (what <c>mlContext.Model.Load</c> reads back).</summary>
    /// <param name="ctx">The save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_chain).Save(ctx);

    internal static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;
}
