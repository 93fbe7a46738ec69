namespace MLNet.Siamese.Evaluation;

/// <summary>How the distance between two embeddings is measured.</summary>
public enum EmbeddingDistance
{
    /// <summary>Euclidean (L2) distance.</summary>
    Euclidean = 0,

    /// <summary>Cosine distance, 1 - cosine similarity (a zero vector is at distance 1 from everything).</summary>
    Cosine = 1,
}
