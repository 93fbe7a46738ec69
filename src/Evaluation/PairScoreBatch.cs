namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Scores one query item against several candidate items at once (for example one batched forward pass of a
/// Siamese network).
/// </summary>
/// <param name="queryIndex">The index of the query item.</param>
/// <param name="candidateIndices">The indices of the candidate items.</param>
/// <param name="scores">Receives one score per candidate, in the same order.</param>
public delegate void PairScoreBatch(int queryIndex, ReadOnlySpan<int> candidateIndices, Span<float> scores);
