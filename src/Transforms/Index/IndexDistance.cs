namespace MLNet.Siamese.Index;

/// <summary>The distance a <see cref="SimilarityIndex"/> ranks neighbours by (smaller is more similar).</summary>
public enum IndexDistance
{
    /// <summary>Euclidean (L2) distance: sqrt(sum((a - b)^2)). The distance the contrastive and triplet losses train.</summary>
    Euclidean = 0,

    /// <summary>Cosine distance: 1 - a.b / (|a| |b|), in 0..2. Zero vectors are refused (their direction is undefined).</summary>
    Cosine = 1,
}
