using System.Numerics.Tensors;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Matches a query to the class whose support embeddings are nearest (lowest distance), either through the class
/// prototype (mean of the K support embeddings, the default) or the nearest single support item; see
/// <see cref="SupportAggregation"/>. Equal distances go to the class listed first in the episode.
/// </summary>
public sealed class EmbeddingMatcher : IOneShotMatcher
{
    private readonly EmbeddingMatrix _matrix;

    /// <summary>Creates a matcher over one embedding per item (item i = <c>embeddings[i]</c>).</summary>
    /// <param name="embeddings">One embedding per item, all the same length.</param>
    /// <param name="distance">The distance between embeddings.</param>
    /// <param name="aggregation">How a class with several support items is compared.</param>
    public EmbeddingMatcher(IReadOnlyList<float[]> embeddings, VectorDistance distance = VectorDistance.Euclidean, SupportAggregation aggregation = SupportAggregation.Prototype)
        : this(EmbeddingMatrix.FromRows(embeddings, distance, nameof(embeddings)), aggregation)
    {
    }

    /// <summary>Creates a matcher over embeddings stored row-major in one flat array.</summary>
    /// <param name="embeddings">Item i occupies <c>embeddings[i*dimension .. (i+1)*dimension)</c>.</param>
    /// <param name="dimension">The length of one embedding.</param>
    /// <param name="distance">The distance between embeddings.</param>
    /// <param name="aggregation">How a class with several support items is compared.</param>
    public EmbeddingMatcher(ReadOnlySpan<float> embeddings, int dimension, VectorDistance distance = VectorDistance.Euclidean, SupportAggregation aggregation = SupportAggregation.Prototype)
        : this(new EmbeddingMatrix(embeddings, dimension, distance, nameof(embeddings)), aggregation)
    {
    }

    private EmbeddingMatcher(EmbeddingMatrix matrix, SupportAggregation aggregation)
    {
        if (!Enum.IsDefined(aggregation)) throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown support aggregation.");
        _matrix = matrix;
        Aggregation = aggregation;
    }

    /// <summary>The number of items (embeddings) the matcher knows.</summary>
    public int Count => _matrix.Count;

    /// <summary>The distance between embeddings.</summary>
    public VectorDistance Distance => _matrix.Distance;

    /// <summary>How a class with several support items is compared.</summary>
    public SupportAggregation Aggregation { get; }

    /// <inheritdoc />
    public int Match(int queryIndex, IReadOnlyList<IReadOnlyList<int>> supportByClass)
    {
        ArgumentNullException.ThrowIfNull(supportByClass);
        CheckIndex(queryIndex);
        ReadOnlySpan<float> query = _matrix.Row(queryIndex);
        float[]? prototype = null;
        int best = -1;
        float bestDistance = float.PositiveInfinity;
        for (int c = 0; c < supportByClass.Count; c++)
        {
            var support = supportByClass[c];
            if (support.Count == 0) throw new ArgumentException($"Class {c} of the episode has no support items.", nameof(supportByClass));
            float distance;
            if (Aggregation == SupportAggregation.Prototype && support.Count > 1)
            {
                prototype ??= new float[_matrix.Dimension];
                Array.Clear(prototype);
                foreach (int s in support)
                {
                    CheckIndex(s);
                    TensorPrimitives.Add(prototype, _matrix.Row(s), prototype);
                }
                TensorPrimitives.Divide(prototype, support.Count, prototype);
                _matrix.Normalise(prototype);
                distance = _matrix.Between(query, prototype);
            }
            else
            {
                distance = float.PositiveInfinity;
                foreach (int s in support)
                {
                    CheckIndex(s);
                    distance = Math.Min(distance, _matrix.Between(query, _matrix.Row(s)));
                }
            }
            if (best < 0 || distance < bestDistance)
            {
                best = c;
                bestDistance = distance;
            }
        }
        if (best < 0) throw new ArgumentException("The episode has no classes.", nameof(supportByClass));
        return best;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_matrix.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Item index out of range: the matcher holds {_matrix.Count} embeddings.");
    }
}
