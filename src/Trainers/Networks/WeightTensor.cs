namespace MLNet.Siamese.Networks;

/// <summary>A named weight of a trained network copied out of TorchSharp: its shape and its values in row-major order.</summary>
/// <param name="Shape">The dimensions.</param>
/// <param name="Values">Row-major values; the length is the product of <paramref name="Shape"/>.</param>
public sealed record WeightTensor(long[] Shape, float[] Values);

/// <summary>What the pair view of a model computes from two embeddings, besides their Euclidean distance.</summary>
public sealed record PairScoring
{
    /// <summary>
    /// True for the seed's learned head: Score = sigmoid(w . |f1 - f2| + b) with weights "head.weight" (1 x D) and
    /// "head.bias" (1). False for distance heads: Score = sigmoid(DistanceScale * distance + DistanceOffset).
    /// </summary>
    public bool LearnedHead { get; init; }

    /// <summary>Slope applied to the Euclidean distance for distance heads (negative: closer is more similar).</summary>
    public float DistanceScale { get; init; } = -1f;

    /// <summary>Offset applied after <see cref="DistanceScale"/> for distance heads.</summary>
    public float DistanceOffset { get; init; }

    /// <summary>PredictedLabel is Score &gt;= Threshold.</summary>
    public float Threshold { get; init; } = 0.5f;
}
