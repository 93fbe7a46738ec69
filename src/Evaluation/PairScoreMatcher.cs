namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Matches a query with a pair-scoring function: each support item is scored against the query and the class of the
/// best-scoring support item wins (highest score for similarities, lowest for distances; with K &gt; 1 shots this is
/// nearest-neighbour matching). Equal scores go to the class listed first in the episode. A NaN score throws.
/// </summary>
public sealed class PairScoreMatcher : IOneShotMatcher
{
    private readonly PairScoreBatch _batch;

    /// <summary>Creates a matcher from a function scoring one (query, support) pair at a time.</summary>
    /// <param name="score">Returns the score of (query index, support index).</param>
    /// <param name="higherScoreIsSimilar">True when the score is a similarity (highest wins), false for a distance (lowest wins).</param>
    public PairScoreMatcher(Func<int, int, float> score, bool higherScoreIsSimilar = true)
    {
        ArgumentNullException.ThrowIfNull(score);
        _batch = (query, candidates, scores) =>
        {
            for (int i = 0; i < candidates.Length; i++) scores[i] = score(query, candidates[i]);
        };
        HigherScoreIsSimilar = higherScoreIsSimilar;
    }

    /// <summary>Creates a matcher from a function scoring a query against all support items of an episode at once.</summary>
    /// <param name="batch">Scores the query against every support item of the episode.</param>
    /// <param name="higherScoreIsSimilar">True when the score is a similarity (highest wins), false for a distance (lowest wins).</param>
    public PairScoreMatcher(PairScoreBatch batch, bool higherScoreIsSimilar = true)
    {
        _batch = batch ?? throw new ArgumentNullException(nameof(batch));
        HigherScoreIsSimilar = higherScoreIsSimilar;
    }

    /// <summary>True when the score is a similarity (highest wins), false for a distance (lowest wins).</summary>
    public bool HigherScoreIsSimilar { get; }

    /// <inheritdoc />
    public int Match(int queryIndex, IReadOnlyList<IReadOnlyList<int>> supportByClass)
    {
        ArgumentNullException.ThrowIfNull(supportByClass);
        int total = 0;
        foreach (var support in supportByClass) total += support.Count;
        var candidates = new int[total];
        var owner = new int[total];
        int k = 0;
        for (int c = 0; c < supportByClass.Count; c++)
        {
            foreach (int s in supportByClass[c])
            {
                candidates[k] = s;
                owner[k++] = c;
            }
        }
        var scores = new float[total];
        _batch(queryIndex, candidates, scores);
        return Best(scores, owner, HigherScoreIsSimilar, i => $"The score of query {queryIndex} against item {candidates[i]} is NaN.");
    }

    /// <summary>The owner of the best score; ties go to the first. Throws on NaN.</summary>
    internal static int Best(ReadOnlySpan<float> scores, int[]? owner, bool higherScoreIsSimilar, Func<int, string> nanMessage)
    {
        if (scores.Length == 0) throw new ArgumentException("There are no candidates to match against.");
        int best = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i])) throw new InvalidOperationException(nanMessage(i));
            if (i > 0 && (higherScoreIsSimilar ? scores[i] > scores[best] : scores[i] < scores[best])) best = i;
        }
        return owner is null ? best : owner[best];
    }
}
