namespace MLNet.Siamese.Identification;

/// <summary>
/// The enrolled items of an identifier: unique ids, labels and embeddings, and the fingerprint of the embedder that
/// produced the embeddings (<see cref="GalleryEmbedder.Fingerprint"/>). Immutable: <see cref="Add"/> and
/// <see cref="Remove"/> return a new gallery, so an identifier can be updated without retraining.
/// </summary>
public sealed class IdentificationGallery
{
    private readonly string[] _ids;
    private readonly string[] _labels;
    private readonly float[] _embeddings;

    /// <summary>Creates a gallery, checking every item.</summary>
    /// <param name="embedderFingerprint">SHA-256 (hex) identifying the embedder the embeddings came from.</param>
    /// <param name="dimension">Embedding length.</param>
    /// <param name="items">The items.</param>
    /// <exception cref="ArgumentException">No items; an empty or duplicate id (the message names it); a null label; an embedding of the wrong length or with a NaN or infinite value.</exception>
    public IdentificationGallery(string embedderFingerprint, int dimension, IEnumerable<(string Id, string Label, float[] Embedding)> items)
    {
        ArgumentException.ThrowIfNullOrEmpty(embedderFingerprint);
        ArgumentNullException.ThrowIfNull(items);
        if (dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The embedding dimension must be at least 1.");
        var list = items.ToList();
        if (list.Count == 0)
            throw new ArgumentException("The gallery is empty: enrol at least one item.", nameof(items));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        _ids = new string[list.Count];
        _labels = new string[list.Count];
        _embeddings = new float[list.Count * dimension];
        for (int i = 0; i < list.Count; i++)
        {
            var (id, label, embedding) = list[i];
            if (string.IsNullOrEmpty(id))
                throw new ArgumentException($"Gallery item {i} has an empty id.", nameof(items));
            if (!seen.Add(id))
                throw new ArgumentException($"Gallery item {i}: the id '{id}' is duplicated; ids must be unique.", nameof(items));
            if (label is null)
                throw new ArgumentException($"Gallery item '{id}' has no label.", nameof(items));
            if (embedding is null || embedding.Length != dimension)
                throw new ArgumentException($"Gallery item '{id}' has an embedding of {embedding?.Length ?? 0} values; the embedder gives {dimension}.", nameof(items));
            foreach (float v in embedding)
                if (!float.IsFinite(v))
                    throw new ArgumentException($"Gallery item '{id}' has a NaN or infinite embedding value.", nameof(items));
            _ids[i] = id;
            _labels[i] = label;
            embedding.CopyTo(_embeddings, i * dimension);
        }
        EmbedderFingerprint = embedderFingerprint;
        Dimension = dimension;
    }

    /// <summary>SHA-256 (hex) of the embedder the embeddings came from.</summary>
    public string EmbedderFingerprint { get; }

    /// <summary>Embedding length.</summary>
    public int Dimension { get; }

    /// <summary>Number of items.</summary>
    public int Count => _ids.Length;

    /// <summary>Item ids, in enrolment order.</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>Item labels.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Number of distinct labels.</summary>
    public int ClassCount => _labels.Distinct(StringComparer.Ordinal).Count();

    /// <summary>The embedding of item <paramref name="index"/>.</summary>
    /// <param name="index">0 .. Count - 1.</param>
    /// <returns>A read-only view of the stored values.</returns>
    public ReadOnlySpan<float> Embedding(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The gallery holds {Count} items.");
        return _embeddings.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>All embeddings, row-major, as a new array.</summary>
    /// <returns>Count x Dimension values.</returns>
    public float[] EmbeddingsCopy() => (float[])_embeddings.Clone();

    /// <summary>A gallery with these items added after the existing ones.</summary>
    /// <param name="items">New items (ids not already present).</param>
    /// <returns>The new gallery.</returns>
    /// <exception cref="ArgumentException">An id is already enrolled or repeated, or an embedding is invalid.</exception>
    public IdentificationGallery Add(IEnumerable<(string Id, string Label, float[] Embedding)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        var present = new HashSet<string>(_ids, StringComparer.Ordinal);
        foreach (var item in list)
            if (item.Id is not null && present.Contains(item.Id))
                throw new ArgumentException($"The id '{item.Id}' is already enrolled; remove it first to replace it.", nameof(items));
        return new IdentificationGallery(EmbedderFingerprint, Dimension, Items().Concat(list));
    }

    /// <summary>A gallery without the items of these ids.</summary>
    /// <param name="ids">Ids to remove; each must be enrolled.</param>
    /// <returns>The new gallery.</returns>
    /// <exception cref="ArgumentException">An id is not in the gallery (named), or nothing would be left.</exception>
    public IdentificationGallery Remove(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var remove = new HashSet<string>(ids, StringComparer.Ordinal);
        var present = new HashSet<string>(_ids, StringComparer.Ordinal);
        foreach (var id in remove)
            if (!present.Contains(id))
                throw new ArgumentException($"Cannot remove '{id}': no gallery item has that id.", nameof(ids));
        if (remove.Count == Count)
            throw new ArgumentException("Removing every item would leave the gallery empty.", nameof(ids));
        return new IdentificationGallery(EmbedderFingerprint, Dimension, Items().Where(item => !remove.Contains(item.Id)));
    }

    /// <summary>The items as (id, label, embedding) tuples.</summary>
    /// <returns>The items, in order.</returns>
    public IEnumerable<(string Id, string Label, float[] Embedding)> Items()
    {
        for (int i = 0; i < Count; i++)
            yield return (_ids[i], _labels[i], Embedding(i).ToArray());
    }
}
