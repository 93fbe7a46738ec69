using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Identification;

/// <summary>
/// The embedding half of an identifier: ML.NET transformers from one input column (image paths, or feature vectors)
/// to an <c>Embedding</c> column, and the <see cref="Fingerprint"/> of the network behind them. Comes from a trained
/// <see cref="SiameseModel"/>, or from a saved zip (a pair scorer as written by <c>siamese train</c>, an embedder, or
/// an identifier).
/// </summary>
public sealed class GalleryEmbedder
{
    private readonly ITransformer[] _parts;

    private GalleryEmbedder(MLContext context, IEnumerable<ITransformer> parts, DataViewSchema inputSchema, string inputColumnName, int dimension, string fingerprint, ImpostorDistanceProfile? impostors)
    {
        Impostors = impostors;
        Context = context;
        _parts = parts.ToArray();
        InputSchema = inputSchema;
        InputColumnName = inputColumnName;
        Dimension = dimension;
        Fingerprint = fingerprint;
    }

    /// <summary>Name of the embedding column the embedder adds.</summary>
    public const string EmbeddingColumnName = "Embedding";

    internal MLContext Context { get; }

    /// <summary>The transformers, in order (an identifier appends its gallery head to them).</summary>
    internal IReadOnlyList<ITransformer> Parts => _parts;

    /// <summary>The embedder as one ML.NET transformer: <see cref="InputColumnName"/> to <see cref="EmbeddingColumnName"/>.</summary>
    public ITransformer Transformer => new TransformerChain<ITransformer>(_parts);

    /// <summary>The input column: image paths (text) or feature vectors.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Name of the input column.</summary>
    public string InputColumnName { get; }

    /// <summary>True when the input column holds image paths.</summary>
    public bool TakesImages => InputSchema[InputColumnName].Type is TextDataViewType;

    /// <summary>Embedding length.</summary>
    public int Dimension { get; }

    /// <summary>SHA-256 (hex) of the network (specification and weights): two embedders with the same fingerprint embed identically.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The distances between items of different classes that the model measured when it was trained (null for models
    /// saved before they were measured): the identifier's reject threshold is read from them (<see cref="ThresholdCalibration.Model"/>).
    /// </summary>
    public ImpostorDistanceProfile? Impostors { get; }

#if !SIAMESE_SCORING_ONLY
    /// <summary>The embedder of a trained model.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">The model.</param>
    /// <returns>The embedder.</returns>
    public static GalleryEmbedder FromModel(MLContext context, SiameseModel model)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        string input = model.Images?.ImageColumnName ?? model.FeatureColumnName;
        return new GalleryEmbedder(context, Flatten(model.Embedder), model.EmbedderInputSchema, input, model.EmbeddingDimension,
            EmbedderNetwork.Fingerprint(model.EmbedderOnnx.Span, "The model's embedder"), model.Summary.Impostors);
    }
#endif

    /// <summary>
    /// The embedder in a saved model zip: a pair scorer (inputs Left*/Right*: the left branch and its preprocessing are
    /// kept, fed from one column named without the "Left" prefix), an embedder, or an identifier (its embedder part).
    /// The zip's entries are verified first (<see cref="SiameseModelFile"/>).
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="path">The model zip.</param>
    /// <returns>The embedder.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The zip is damaged, or holds no MLNet.Siamese network (the message names the file).</exception>
    public static GalleryEmbedder FromFile(MLContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        var loaded = SiameseModelFile.Load(context, path, out var schema);
        if (schema is null || schema.Count == 0)
            throw new InvalidDataException($"Model file '{path}' was saved without its input schema; cannot tell what it takes.");
        var onnx = MLNet.Siamese.ModelFiles.OnnxZipEntries.Read(path).Select(m => m.Model).ToList();
        if (onnx.Count == 0)
            throw new InvalidDataException($"Model file '{path}' holds no ONNX model: it is not an MLNet.Siamese model.");
        var parts = Flatten(loaded).ToList();
        if (GalleryGraphReader.TryRead(onnx[^1]) is { } found)
            return new GalleryEmbedder(context, parts.Take(parts.Count - 1), schema, schema[0].Name, found.Gallery.Dimension, found.Gallery.EmbedderFingerprint,
                // The embedder graph's metadata, read without parsing the graphs (a photo model's ResNet18 is 63 MB).
                onnx.Take(onnx.Count - 1).Select(m => ImpostorDistanceProfile.FromMetadata(
                    SiameseModelInfo.ReadMetadataProps(m).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value))).LastOrDefault(p => p is not null));

        var contents = OnnxModelReader.Read(onnx[^1]);
        var (spec, weights) = EmbedderNetwork.Read(contents, $"Model file '{path}'");
        string fingerprint = EmbedderNetwork.Fingerprint(spec, weights);
        var impostors = ImpostorDistanceProfile.FromMetadata(contents.Metadata);
        var left = schema.FirstOrDefault(c => c.Name.StartsWith("Left", StringComparison.Ordinal));
        if (left.Name is null || schema.GetColumnOrNull("Right" + left.Name[4..]) is null)
            return new GalleryEmbedder(context, parts, schema, schema[0].Name, spec.EmbeddingDimension, fingerprint, impostors);

        // A pair scorer: copy the one input column to the left one, keep the left branch's preprocessing, embed with the left network.
        string input = left.Name[4..];
        var inputSchema = new DataViewSchema.Builder();
        inputSchema.AddColumn(input, left.Type);
        var single = inputSchema.ToSchema();
        var copy = context.Transforms.CopyColumns(left.Name, input).Fit(OnnxTransformers.Empty(single));
        var kept = new List<ITransformer> { copy };
        var current = copy.GetOutputSchema(single);
        foreach (var part in parts.Take(parts.Count - 1))
        {
            try
            {
                current = part.GetOutputSchema(current);
                kept.Add(part);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException or ArgumentException)
            {
                // Needs the right input: part of the other branch.
            }
        }
        string leftFeatures = contents.Inputs.FirstOrDefault(n => n.StartsWith("Left", StringComparison.Ordinal) && current.GetColumnOrNull(n) is not null)
            ?? throw new InvalidDataException($"Model file '{path}': no left input of its network ({string.Join(", ", contents.Inputs)}) is produced by its left preprocessing.");
        // The model's own description (network, loss, threshold, held-out choice) goes with it into the identifier.
        var described = contents.Metadata.Where(m => m.Key.StartsWith("mlnet_siamese.", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        var embedderOnnx = OnnxExporter.ExportEmbedder(spec, weights, leftFeatures, EmbeddingColumnName, described);
        var head = LoadedModelTempFolder.Run(context, () => context.Transforms.ApplyOnnxModel(new MemoryStream(embedderOnnx)).Fit(OnnxTransformers.Empty(current)));
        kept.Add(head);
        return new GalleryEmbedder(context, kept, single, input, spec.EmbeddingDimension, fingerprint, impostors);
    }

    /// <summary>Embeds every row of <paramref name="data"/> (which has <see cref="InputColumnName"/>).</summary>
    /// <param name="data">Rows to embed.</param>
    /// <param name="what">What the rows are, for error messages ("gallery", "query").</param>
    /// <returns>One embedding per row.</returns>
    /// <exception cref="ArgumentException">The input column is missing or of the wrong type.</exception>
    /// <exception cref="FileNotFoundException">An image file does not exist (named).</exception>
    /// <exception cref="InvalidDataException">An image does not decode (named).</exception>
    public float[][] Embed(IDataView data, string what = "input")
    {
        CheckInput(data, what);
        var embedded = Transformer.Transform(data);
        return DataColumns.ReadVectors(embedded, EmbeddingColumnName);
    }

    /// <summary>Checks that <paramref name="data"/> has the input column, and that every image file exists and decodes.</summary>
    internal void CheckInput(IDataView data, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentException($"The {what} has no '{InputColumnName}' column (it has: {string.Join(", ", data.Schema.Select(c => c.Name))}).", nameof(data));
        if (!column.Type.Equals(InputSchema[InputColumnName].Type))
            throw new ArgumentException($"The {what} column '{InputColumnName}' is {column.Type}; the embedder takes {InputSchema[InputColumnName].Type}.", nameof(data));
        if (TakesImages)
            foreach (var path in DataColumns.ReadText(data, InputColumnName))
            {
                if (!File.Exists(path))
                    throw new FileNotFoundException($"The {what} image '{path}' does not exist.", path);
                try
                {
                    ImageFileCheck.Check(path);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"The {what} image '{path}' does not decode: {e.Message}", e);
                }
            }
    }

    internal static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
                foreach (var leaf in Flatten(inner))
                    yield return leaf;
        }
        else
        {
            yield return transformer;
        }
    }
}
