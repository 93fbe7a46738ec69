using System.Numerics.Tensors;
using MLNet.Siamese.Distances;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Embeddings stored row-major in one flat array, with vectorised distances (System.Numerics.Tensors). For the cosine
/// distance rows are L2-normalised once, so a distance is 1 - dot product (<see cref="VectorDistances"/>; a zero row is at distance 1).
/// </summary>
internal sealed class EmbeddingMatrix
{
    private readonly float[] _values;

    public EmbeddingMatrix(ReadOnlySpan<float> flat, int dimension, VectorDistance distance, string parameterName)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The embedding dimension must be positive.");
        if (flat.Length % dimension != 0)
            throw new ArgumentException($"{flat.Length} values do not divide into rows of dimension {dimension}.", parameterName);
        if (!Enum.IsDefined(distance)) throw new ArgumentOutOfRangeException(nameof(distance), distance, "Unknown distance.");
        Dimension = dimension;
        Count = flat.Length / dimension;
        Distance = distance;
        _values = flat.ToArray();
        for (int i = 0; i < Count; i++)
        {
            Span<float> row = _values.AsSpan(i * dimension, dimension);
            if (!float.IsFinite(TensorPrimitives.Sum<float>(row)))
                throw new ArgumentException($"The embedding of item {i} contains NaN or infinity.", parameterName);
            if (distance == VectorDistance.Cosine)
                VectorDistances.Normalize(row);
        }
    }

    public static EmbeddingMatrix FromRows(IReadOnlyList<float[]> rows, VectorDistance distance, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        if (rows.Count == 0) return new EmbeddingMatrix([], 1, distance, parameterName);
        int dimension = rows[0]?.Length ?? throw new ArgumentException("Embedding 0 is null.", parameterName);
        if (dimension == 0) throw new ArgumentException("Embeddings cannot be empty.", parameterName);
        var flat = new float[rows.Count * dimension];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Embedding {i} is null.", parameterName);
            if (row.Length != dimension)
                throw new ArgumentException($"Embedding {i} has {row.Length} values but embedding 0 has {dimension}.", parameterName);
            row.CopyTo(flat, i * dimension);
        }
        return new EmbeddingMatrix(flat, dimension, distance, parameterName);
    }

    public int Count { get; }

    public int Dimension { get; }

    public VectorDistance Distance { get; }

    public ReadOnlySpan<float> Row(int index) => _values.AsSpan(index * Dimension, Dimension);

    /// <summary>The distance between two vectors already in this matrix's space (normalised for cosine).</summary>
    public float Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Distance == VectorDistance.Euclidean ? VectorDistances.Euclidean(a, b) : VectorDistances.CosineOfNormalized(a, b);

    /// <summary>The distance between items <paramref name="i"/> and <paramref name="j"/>.</summary>
    public float Between(int i, int j) => Between(Row(i), Row(j));

    /// <summary>Writes the distance from <paramref name="query"/> to every item into <paramref name="distances"/>.</summary>
    public void DistancesTo(ReadOnlySpan<float> query, Span<float> distances)
    {
        for (int j = 0; j < Count; j++) distances[j] = Between(query, Row(j));
    }

    /// <summary>Brings an external vector (for example a class prototype) into this matrix's space: normalised for cosine.</summary>
    public void Normalise(Span<float> vector)
    {
        if (Distance == VectorDistance.Cosine) VectorDistances.Normalize(vector);
    }
}
