using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.AI;

/// <summary>
/// A trained MLNet.Siamese embedder as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>:
/// the input is an image path, the output its embedding (Euclidean distance is the model's similarity). Any component
/// of the .NET AI stack that takes an embedding generator (vector store collections, caches, pipelines) can use it.
/// </summary>
/// <remarks>
/// <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/> is the embedder's fingerprint (SHA-256 of the network), so
/// vectors from different models are never mixed unknowingly. Embedding runs synchronously on the calling thread
/// (ML.NET + ONNX Runtime); the returned task is already complete.
/// </remarks>
public sealed class SiameseEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly MLContext _context;
    private readonly GalleryEmbedder _embedder;

    /// <summary>Wraps an embedder that takes image paths.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="embedder">The embedder (<see cref="GalleryEmbedder.FromModel"/> or <see cref="GalleryEmbedder.FromFile"/>).</param>
    /// <exception cref="ArgumentException">The embedder takes feature vectors, not image paths.</exception>
    public SiameseEmbeddingGenerator(MLContext context, GalleryEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(embedder);
        if (!embedder.TakesImages)
            throw new ArgumentException($"The embedder takes feature vectors ('{embedder.InputColumnName}'), not image paths; an embedding generator of strings needs an image model.", nameof(embedder));
        _context = context;
        _embedder = embedder;
        Metadata = new EmbeddingGeneratorMetadata("MLNet.Siamese", null, embedder.Fingerprint, embedder.Dimension);
    }

    /// <summary>Provider "MLNet.Siamese", model id = the embedder's fingerprint, dimensions = its embedding length.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>Embeds image files.</summary>
    /// <param name="values">Image paths.</param>
    /// <param name="options">Ignored except <see cref="EmbeddingGenerationOptions.Dimensions"/>, which must be null or the model's.</param>
    /// <param name="cancellationToken">Checked before embedding.</param>
    /// <returns>One embedding per path, in order.</returns>
    /// <exception cref="FileNotFoundException">A path does not exist (named).</exception>
    /// <exception cref="InvalidDataException">An image does not decode (named).</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int dims && dims != _embedder.Dimension)
            throw new ArgumentException($"The model gives {_embedder.Dimension}-dimensional embeddings, not {dims}.", nameof(options));
        cancellationToken.ThrowIfCancellationRequested();
        var paths = values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(paths.Count);
        if (paths.Count == 0)
            return Task.FromResult(result);
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[nameof(PathRow.Path)].ColumnName = _embedder.InputColumnName;
        var data = _context.Data.LoadFromEnumerable(paths.Select(p => new PathRow { Path = p }), definition);
        var created = DateTimeOffset.UtcNow;
        foreach (var vector in _embedder.Embed(data, "input"))
            result.Add(new Embedding<float>(vector) { ModelId = _embedder.Fingerprint, CreatedAt = created });
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType == typeof(GalleryEmbedder)) return _embedder;
        return null;
    }

    /// <summary>Nothing to release: the ML.NET transformers are owned by the embedder.</summary>
    public void Dispose()
    {
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
