using Microsoft.Extensions.VectorData;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.AI;

/// <summary>
/// A gallery as a Microsoft.Extensions.VectorData record source: the collection definition of <see cref="GalleryRecord"/>
/// for a model's dimension, and the records of an enrolled gallery, ready for <c>UpsertAsync</c> on any vector store
/// collection (Qdrant, PostgreSQL + pgvector, Azure AI Search, Redis, in-memory...). The search side then uses the same
/// Euclidean distance as the identifier, and the store's top-k replaces the in-zip gallery past one machine.
/// </summary>
public static class GalleryRecords
{
    /// <summary>The definition of a <see cref="GalleryRecord"/> collection: key Id, indexed data Label, vector Embedding of <paramref name="dimensions"/> values, Euclidean distance.</summary>
    /// <param name="dimensions">The model's embedding length.</param>
    /// <returns>The definition, to pass to <c>VectorStore.GetCollection</c>.</returns>
    public static VectorStoreCollectionDefinition Definition(int dimensions)
    {
        if (dimensions < 1)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "The embedding dimension must be at least 1.");
        return new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(GalleryRecord.Id), typeof(string)),
                new VectorStoreDataProperty(nameof(GalleryRecord.Label), typeof(string)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(GalleryRecord.Embedding), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.EuclideanDistance },
            ],
        };
    }

    /// <summary>The records of an enrolled gallery, in enrolment order.</summary>
    /// <param name="gallery">The gallery (for example <see cref="IdentificationModel.Gallery"/> of a loaded identifier).</param>
    /// <returns>One record per item.</returns>
    public static IEnumerable<GalleryRecord> From(IdentificationGallery gallery)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        for (int i = 0; i < gallery.Count; i++)
            yield return new GalleryRecord { Id = gallery.Ids[i], Label = gallery.Labels[i], Embedding = gallery.Embedding(i).ToArray() };
    }

    /// <summary>The records back as a gallery of the embedder that produced them (for example to rebuild an in-zip identifier from a store).</summary>
    /// <param name="records">The records.</param>
    /// <param name="embedder">The embedder the embeddings came from (its fingerprint is recorded).</param>
    /// <returns>The gallery.</returns>
    /// <exception cref="ArgumentException">No records, a duplicate id, or an embedding of the wrong length.</exception>
    public static IdentificationGallery ToGallery(IEnumerable<GalleryRecord> records, GalleryEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(embedder);
        return new IdentificationGallery(embedder.Fingerprint, embedder.Dimension, records.Select(r => (r.Id, r.Label, r.Embedding.ToArray())));
    }
}
