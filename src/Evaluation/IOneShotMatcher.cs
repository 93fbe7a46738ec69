namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Decides which class of an N-way K-shot episode a query item belongs to. Items are referred to by their index in
/// the evaluated collection; implementations are <see cref="EmbeddingMatcher"/> (distances between embeddings) and
/// <see cref="PairScoreMatcher"/> (a pair-scoring function such as a Siamese network's same-class probability).
/// </summary>
public interface IOneShotMatcher
{
    /// <summary>Matches one query against the support set of an episode.</summary>
    /// <param name="queryIndex">The index of the query item.</param>
    /// <param name="supportByClass">For each of the N classes of the episode (in episode order), the indices of its K support items.</param>
    /// <returns>The position (0 .. N-1) in <paramref name="supportByClass"/> of the class the query is matched to.</returns>
    int Match(int queryIndex, IReadOnlyList<IReadOnlyList<int>> supportByClass);
}
