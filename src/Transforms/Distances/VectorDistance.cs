namespace MLNet.Siamese;

/// <summary>
/// The distance between two embeddings (smaller is more similar), one definition for the similarity index, the
/// retrieval, one-shot and few-shot evaluators and the trainer's validation.
/// </summary>
/// <remarks>
/// <para>Zero vectors: a vector of all zeros has no direction, so its cosine similarity to any vector (another zero
/// vector included) is 0 and its cosine distance is 1, the distance of two orthogonal vectors. This is what the training
/// losses compute (L2 normalisation with a small epsilon, as torch's <c>F.normalize</c>), so a model scores and
/// searches as it trained. The Euclidean distance needs no rule.</para>
/// </remarks>
public enum VectorDistance
{
    /// <summary>Euclidean (L2) distance: sqrt(sum((a - b)^2)). The distance the contrastive and triplet losses train.</summary>
    Euclidean = 0,

    /// <summary>Cosine distance: 1 - a.b / (|a| |b|), in 0..2; 1 when either vector is all zero.</summary>
    Cosine = 1,
}
