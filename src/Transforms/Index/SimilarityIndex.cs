using System.Numerics.Tensors;
using MLNet.Siamese.Distances;

namespace MLNet.Siamese.Index;

/// <summary>
/// An exact, in-memory nearest-neighbour index over embeddings: every query is compared with every stored item
/// (brute force, vectorised with System.Numerics.Tensors <see cref="TensorPrimitives"/> over one contiguous row-major
/// <see cref="float"/> array), and the k nearest are returned ordered by distance, equal distances by insertion order.
/// </summary>
/// <remarks>
/// <para>Items are (id, label, embedding): ids are unique, labels are free text (for example the class). Embeddings must
/// have <see cref="Dimension"/> finite values. Distances are <see cref="VectorDistance"/>'s: with
/// <see cref="VectorDistance.Cosine"/> an all-zero embedding or query is at distance 1 from everything.</para>
/// <para>Searches may run concurrently with each other; <see cref="Add"/> and <see cref="AddRange"/> must not run
/// concurrently with anything else on the same index.</para>
/// <para>Persist with <see cref="Save"/> / <see cref="Load"/> (little-endian binary format with a SHA-256 trailer, described in docs/similarity-index.md).
/// Exact search costs O(Count x Dimension) per query; see the documented latency table before going past ~10^6 items.</para>
/// </remarks>
public sealed class SimilarityIndex
{
    /// <summary>Rows scanned per distance block: distances of a block are written to a buffer, then offered to the top-k heap.</summary>
    private const int BlockSize = 1024;

    /// <summary>Below this many stored values (Count x Dimension) a single query is scanned on one thread.</summary>
    private const long ParallelScanThreshold = 1L << 20;

    private readonly List<string> _ids = [];
    private readonly List<string> _labels = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private float[] _data = [];
    private float[] _norms = [];

    /// <summary>Creates an empty index.</summary>
    /// <param name="dimension">The length of every embedding (at least 1).</param>
    /// <param name="distance">The distance to rank neighbours by.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive, or <paramref name="distance"/> is not a defined value.</exception>
    public SimilarityIndex(int dimension, VectorDistance distance = VectorDistance.Euclidean)
    {
        if (dimension <= 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The embedding dimension must be at least 1.");
        if (!Enum.IsDefined(distance))
            throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Unknown distance {(int)distance}; use {nameof(VectorDistance.Euclidean)} or {nameof(VectorDistance.Cosine)}.");
        Dimension = dimension;
        Distance = distance;
    }

    /// <summary>The length of every embedding.</summary>
    public int Dimension { get; }

    /// <summary>The distance neighbours are ranked by.</summary>
    public VectorDistance Distance { get; }

    /// <summary>The number of items.</summary>
    public int Count => _ids.Count;

    /// <summary>The ids of the items, in insertion order.</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>The labels of the items, in insertion order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Whether an item with this id is stored.</summary>
    /// <param name="id">The id.</param>
    /// <returns><see langword="true"/> when the id is present.</returns>
    public bool Contains(string id) => _positions.ContainsKey(id ?? throw new ArgumentNullException(nameof(id)));

    /// <summary>A copy of the embedding stored at <paramref name="position"/> (insertion order), as it was added.</summary>
    /// <param name="position">0 .. <see cref="Count"/> - 1.</param>
    /// <returns>The embedding.</returns>
    public float[] GetEmbedding(int position)
    {
        if ((uint)position >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The index holds {Count} items.");
        return Row(position).ToArray();
    }

    /// <summary>Adds one item.</summary>
    /// <param name="id">A unique, non-empty id.</param>
    /// <param name="label">The label (may be empty, not null).</param>
    /// <param name="embedding"><see cref="Dimension"/> finite values.</param>
    /// <exception cref="ArgumentException">The id is empty or already present, or the embedding has the wrong length, or a NaN or infinite value.</exception>
    public void Add(string id, string label, float[] embedding)
    {
        Validate(id, label, embedding, nameof(id), nameof(label), nameof(embedding));
        if (_positions.ContainsKey(id))
            throw new ArgumentException($"An item with id '{id}' is already in the index; ids must be unique.", nameof(id));
        Append(id, label, embedding);
    }

    /// <summary>Adds several items, all or none: every item is checked before any is added.</summary>
    /// <param name="items">The items.</param>
    /// <exception cref="ArgumentException">An item is invalid (see <see cref="Add"/>) or two items share an id; the message names the item.</exception>
    public void AddRange(IEnumerable<(string Id, string Label, float[] Embedding)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            var (id, label, embedding) = list[i];
            Validate(id, label, embedding, $"{nameof(items)}[{i}].Id", $"{nameof(items)}[{i}].Label", $"{nameof(items)}[{i}].Embedding");
            if (_positions.ContainsKey(id))
                throw new ArgumentException($"Item {i}: an item with id '{id}' is already in the index; ids must be unique.", nameof(items));
            if (!seen.Add(id))
                throw new ArgumentException($"Item {i}: the id '{id}' appears earlier in the same range; ids must be unique.", nameof(items));
        }
        EnsureCapacity(Count + list.Count);
        foreach (var (id, label, embedding) in list)
            Append(id, label, embedding);
    }

    /// <summary>The <paramref name="k"/> items nearest to <paramref name="query"/>, nearest first; equal distances in insertion order.</summary>
    /// <param name="query"><see cref="Dimension"/> finite values.</param>
    /// <param name="k">How many neighbours: 1 .. <see cref="Count"/>.</param>
    /// <returns>The k nearest items with their distances.</returns>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1 or above <see cref="Count"/>.</exception>
    /// <exception cref="ArgumentException">The query has the wrong dimension or a NaN or infinite value.</exception>
    public IReadOnlyList<SimilarityMatch> Search(float[] query, int k)
    {
        ValidateK(k);
        ValidateQuery(query, nameof(query));
        return SearchValidated(query, k, allowParallel: true);
    }

    /// <summary>Searches several queries (in parallel); result i is what <see cref="Search"/> returns for <c>queries[i]</c>.</summary>
    /// <param name="queries">The queries, each of <see cref="Dimension"/> finite values.</param>
    /// <param name="k">How many neighbours per query: 1 .. <see cref="Count"/>.</param>
    /// <returns>One result list per query.</returns>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1 or above <see cref="Count"/>.</exception>
    /// <exception cref="ArgumentException">A query is null or invalid; the message names its position.</exception>
    public IReadOnlyList<SimilarityMatch>[] SearchBatch(float[][] queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ValidateK(k);
        for (int i = 0; i < queries.Length; i++)
            ValidateQuery(queries[i], $"{nameof(queries)}[{i}]");
        var results = new IReadOnlyList<SimilarityMatch>[queries.Length];
        Parallel.For(0, queries.Length, i => results[i] = SearchValidated(queries[i], k, allowParallel: false));
        return results;
    }

    /// <summary>Writes the index to <paramref name="path"/> atomically: to a temporary file in the same folder, then renamed over the target, so a failed save leaves any previous file intact.</summary>
    /// <param name="path">The target file.</param>
    public void Save(string path) => SimilarityIndexFile.Save(this, path, wrap: null);

    /// <summary>Reads an index written by <see cref="Save"/>, verifying its SHA-256 trailer.</summary>
    /// <param name="path">The index file.</param>
    /// <returns>The index.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a similarity index, has an unsupported version, or is corrupted or truncated; the message names the file.</exception>
    public static SimilarityIndex Load(string path) => SimilarityIndexFile.Load(path);

    /// <summary>The stored values, row-major, insertion order.</summary>
    internal ReadOnlySpan<float> Data => _data.AsSpan(0, Count * Dimension);

    internal ReadOnlySpan<float> Row(int position) => _data.AsSpan(position * Dimension, Dimension);

    /// <summary>Adds an item that has already been validated (used by the file reader after its own checks).</summary>
    internal void AppendTrusted(string id, string label, ReadOnlySpan<float> embedding) => Append(id, label, embedding);

    internal void EnsureCapacity(int items)
    {
        long needed = (long)items * Dimension;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"{items} items of dimension {Dimension} exceed the largest array .NET supports ({Array.MaxLength} values).");
        if (needed <= _data.Length) return;
        long grown = Math.Max(needed, Math.Min((long)Array.MaxLength, Math.Max(4L * Dimension, 2L * _data.Length)));
        Array.Resize(ref _data, (int)grown);
        Array.Resize(ref _norms, (int)(grown / Dimension));
    }

    private void Append(string id, string label, ReadOnlySpan<float> embedding)
    {
        int position = Count;
        EnsureCapacity(position + 1);
        embedding.CopyTo(_data.AsSpan(position * Dimension, Dimension));
        _norms[position] = TensorPrimitives.Norm(embedding);
        _ids.Add(id);
        _labels.Add(label);
        _positions.Add(id, position);
    }

    private void Validate(string id, string label, float[] embedding, string idName, string labelName, string embeddingName)
    {
        if (id is null) throw new ArgumentNullException(idName);
        if (id.Length == 0) throw new ArgumentException("An item id cannot be empty.", idName);
        if (label is null) throw new ArgumentNullException(labelName, $"The label of item '{id}' is null; use an empty string for no label.");
        if (embedding is null) throw new ArgumentNullException(embeddingName, $"The embedding of item '{id}' is null.");
        CheckVector(embedding, embeddingName, $"the embedding of item '{id}'");
    }

    private void ValidateQuery(float[] query, string name)
    {
        if (query is null) throw new ArgumentNullException(name);
        CheckVector(query, name, name == "query" ? "the query" : name);
    }

    private void CheckVector(float[] vector, string parameterName, string what)
    {
        if (vector.Length != Dimension)
            throw new ArgumentException($"Dimension mismatch: {what} has {vector.Length} values but the index holds embeddings of dimension {Dimension}.", parameterName);
        int bad = IndexOfNonFinite(vector);
        if (bad >= 0)
            throw new ArgumentException($"{Capitalise(what)} contains {(float.IsNaN(vector[bad]) ? "NaN" : "an infinite value")} at position {bad}.", parameterName);
    }

    private void ValidateK(int k)
    {
        if (Count == 0)
            throw new InvalidOperationException("The similarity index is empty: add items (Add, AddRange) before searching.");
        if (k <= 0)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k (the number of neighbours) must be at least 1.");
        if (k > Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k = {k} is larger than the number of items in the index (count = {Count}); ask for at most {Count} neighbours.");
    }

    private IReadOnlyList<SimilarityMatch> SearchValidated(float[] query, int k, bool allowParallel)
    {
        float queryNorm = Distance == VectorDistance.Cosine ? TensorPrimitives.Norm<float>(query) : 0f;
        int partitions = allowParallel && (long)Count * Dimension >= ParallelScanThreshold ? Math.Min(Environment.ProcessorCount, Count / BlockSize) : 1;
        TopK top;
        if (partitions <= 1)
        {
            top = new TopK(k);
            Scan(query, queryNorm, 0, Count, top);
        }
        else
        {
            var tops = new TopK[partitions];
            int per = (Count + partitions - 1) / partitions;
            Parallel.For(0, partitions, p =>
            {
                tops[p] = new TopK(k);
                int start = p * per;
                Scan(query, queryNorm, start, Math.Min(Count, start + per), tops[p]);
            });
            top = new TopK(k);
            var positions = new int[k];
            var distances = new float[k];
            foreach (var partial in tops)
            {
                int n = partial.Drain(positions, distances);
                for (int i = 0; i < n; i++) top.Offer(distances.AsSpan(i, 1), positions[i]);
            }
        }
        var nearest = new int[k];
        var nearestDistances = new float[k];
        int count = top.Drain(nearest, nearestDistances);
        var result = new SimilarityMatch[count];
        for (int i = 0; i < count; i++)
            result[i] = new SimilarityMatch(_ids[nearest[i]], _labels[nearest[i]], nearestDistances[i]);
        return result;
    }

    private void Scan(ReadOnlySpan<float> query, float queryNorm, int start, int end, TopK top)
    {
        var buffer = new float[Math.Min(BlockSize, end - start)];
        for (int first = start; first < end; first += BlockSize)
        {
            int n = Math.Min(BlockSize, end - first);
            for (int j = 0; j < n; j++)
            {
                var row = Row(first + j);
                buffer[j] = Distance == VectorDistance.Euclidean
                    ? VectorDistances.Euclidean(query, row)
                    : VectorDistances.Cosine(query, queryNorm, row, _norms[first + j]);
            }
            top.Offer(buffer.AsSpan(0, n), first);
        }
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
