using System.Numerics.Tensors;

namespace MLNet.Siamese.Distances;

/// <summary>
/// The computations behind <see cref="VectorDistance"/>, vectorised with System.Numerics.Tensors: one place for the
/// Euclidean, squared Euclidean and cosine distances and the zero-vector rule (cosine distance 1).
/// </summary>
internal static class VectorDistances
{
    /// <summary>The distance <paramref name="distance"/> between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static float Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b, VectorDistance distance) => distance switch
    {
        VectorDistance.Euclidean => Euclidean(a, b),
        VectorDistance.Cosine => Cosine(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Unknown distance {(int)distance}; use {nameof(VectorDistance.Euclidean)} or {nameof(VectorDistance.Cosine)}."),
    };

    /// <summary>sqrt(sum((a - b)^2)).</summary>
    public static float Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Distance(a, b);

    /// <summary>sum((a - b)^2).</summary>
    public static float SquaredEuclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    /// <summary>1 - a.b / (|a| |b|), clamped to 0..2; 1 when either vector is all zero.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Cosine(a, TensorPrimitives.Norm(a), b, TensorPrimitives.Norm(b));

    /// <summary><see cref="Cosine(ReadOnlySpan{float}, ReadOnlySpan{float})"/> with the norms already known (an index stores them once).</summary>
    public static float Cosine(ReadOnlySpan<float> a, float normA, ReadOnlySpan<float> b, float normB)
        => normA == 0 || normB == 0 ? 1f : Math.Clamp(1f - TensorPrimitives.Dot(a, b) / (normA * normB), 0f, 2f);

    /// <summary>
    /// The cosine distance of two vectors already passed through <see cref="Normalize"/>: 1 - a.b, clamped to 0..2. A
    /// zero vector stayed zero, so its distance is 1, as <see cref="Cosine(ReadOnlySpan{float}, ReadOnlySpan{float})"/> gives.
    /// </summary>
    public static float CosineOfNormalized(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Math.Clamp(1f - TensorPrimitives.Dot(a, b), 0f, 2f);

    /// <summary>Scales <paramref name="vector"/> to unit length in place; a zero vector stays zero (cosine distance 1 to everything).</summary>
    /// <returns>The norm before scaling.</returns>
    public static float Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm<float>(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return norm;
    }
}
