using MLNet.Siamese.Classes;
using MLNet.Siamese.Sampling;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// N-way K-shot classification over random episodes. Each episode draws N distinct classes (from one group when
/// <see cref="OneShotEpisodeOptions.SameGroup"/> is set), then for each class K support items and Q query items, all
/// distinct; every query is matched by an <see cref="IOneShotMatcher"/> against the N support sets and counts as
/// correct when matched to its own class. Only classes with at least K + Q items take part. Class order inside an
/// episode is random, so a matcher's tie rule (first class wins) carries no bias. Deterministic for a seed.
/// </summary>
public static class OneShotEvaluator
{
    /// <summary>Evaluates a matcher on random episodes over items with integer class labels.</summary>
    /// <param name="matcher">Matches a query to one of the episode's classes; items are referred to by index into <paramref name="labels"/>.</param>
    /// <param name="labels">The class of each item.</param>
    /// <param name="options">Episode settings; null for the defaults (20-way 1-shot, 1000 episodes, seed 0).</param>
    /// <param name="groups">The group of each item (for example its alphabet); required when <see cref="OneShotEpisodeOptions.SameGroup"/> is set. Every item of a class must have the same group.</param>
    /// <returns>The accuracy overall and per episode.</returns>
    /// <exception cref="ArgumentException">Bad N, K, Q or episode count, too few eligible classes or groups, or inconsistent groups.</exception>
    public static OneShotResult Evaluate(IOneShotMatcher matcher, IReadOnlyList<int> labels, OneShotEpisodeOptions? options = null, IReadOnlyList<int>? groups = null)
        => Evaluate(matcher, ClassTable.From(labels, nameof(labels)), options ?? new(), groups is null ? null : ClassTable.From(groups, nameof(groups)));

    /// <summary>Evaluates a matcher on random episodes over items with text class labels.</summary>
    /// <param name="matcher">Matches a query to one of the episode's classes; items are referred to by index into <paramref name="labels"/>.</param>
    /// <param name="labels">The class of each item.</param>
    /// <param name="options">Episode settings; null for the defaults (20-way 1-shot, 1000 episodes, seed 0).</param>
    /// <param name="groups">The group of each item (for example its alphabet); required when <see cref="OneShotEpisodeOptions.SameGroup"/> is set. Every item of a class must have the same group.</param>
    /// <returns>The accuracy overall and per episode.</returns>
    /// <exception cref="ArgumentException">Bad N, K, Q or episode count, too few eligible classes or groups, or inconsistent groups.</exception>
    public static OneShotResult Evaluate(IOneShotMatcher matcher, IReadOnlyList<string> labels, OneShotEpisodeOptions? options = null, IReadOnlyList<string>? groups = null)
        => Evaluate(matcher, ClassTable.From(labels, nameof(labels)), options ?? new(), groups is null ? null : ClassTable.From(groups, nameof(groups)));

    private static OneShotResult Evaluate(IOneShotMatcher matcher, ClassTable classes, OneShotEpisodeOptions options, ClassTable? groups)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        int ways = options.Ways, shots = options.Shots, queries = options.QueriesPerClass;
        if (ways < 2) throw new ArgumentOutOfRangeException(nameof(options), ways, "Ways (N) must be at least 2.");
        if (shots < 1) throw new ArgumentOutOfRangeException(nameof(options), shots, "Shots (K) must be at least 1.");
        if (queries < 1) throw new ArgumentOutOfRangeException(nameof(options), queries, "QueriesPerClass must be at least 1.");
        if (options.Episodes < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Episodes, "Episodes must be at least 1.");
        if (groups is not null && groups.ClassOfRow.Length != classes.ClassOfRow.Length)
            throw new ArgumentException($"There are {classes.ClassOfRow.Length} labels but {groups.ClassOfRow.Length} groups.", nameof(groups));
        if (options.SameGroup && groups is null)
            throw new ArgumentException("SameGroup needs the group of every item.", nameof(groups));
        if (classes.ClassOfRow.Length == 0) throw new ArgumentException("Cannot evaluate: there are no items.", "labels");

        // Items of each class, ascending index.
        var itemsOf = classes.RowsOfClass;
        int needed = shots + queries;
        int[] eligible = Enumerable.Range(0, classes.Count).Where(c => classes.Sizes[c] >= needed).ToArray();

        int[][] pools;
        if (options.SameGroup)
        {
            var groupOf = new int[classes.Count];
            Array.Fill(groupOf, -1);
            for (int i = 0; i < classes.ClassOfRow.Length; i++)
            {
                int c = classes.ClassOfRow[i], g = groups!.ClassOfRow[i];
                if (groupOf[c] >= 0 && groupOf[c] != g)
                    throw new ArgumentException($"Item {i} puts a class in a second group: every item of a class must have the same group.", nameof(groups));
                groupOf[c] = g;
            }
            pools = eligible.GroupBy(c => groupOf[c]).OrderBy(g => g.Key).Select(g => g.ToArray()).Where(p => p.Length >= ways).ToArray();
            if (pools.Length == 0)
                throw new ArgumentException($"No group has {ways} classes with at least {needed} items (K={shots} support + {queries} queries) each.", nameof(options));
        }
        else
        {
            if (eligible.Length < ways)
                throw new ArgumentException($"{ways}-way episodes need {ways} classes with at least {needed} items (K={shots} support + {queries} queries) each; only {eligible.Length} have.", nameof(options));
            pools = [eligible];
        }

        var random = new SiameseRandom(options.Seed);
        var perEpisode = new double[options.Episodes];
        long correct = 0, total = 0;
        var support = new IReadOnlyList<int>[ways];
        var queryItems = new int[ways][];
        for (int e = 0; e < options.Episodes; e++)
        {
            int[] pool = pools.Length == 1 ? pools[0] : pools[random.Next(pools.Length)];
            int[] chosen = SampleDistinct(pool, ways, random);
            for (int p = 0; p < ways; p++)
            {
                int[] items = SampleDistinct(itemsOf[chosen[p]], needed, random);
                support[p] = items[..shots];
                queryItems[p] = items[shots..];
            }
            int episodeCorrect = 0;
            for (int p = 0; p < ways; p++)
            {
                foreach (int q in queryItems[p])
                {
                    int matched = matcher.Match(q, support);
                    if ((uint)matched >= (uint)ways)
                        throw new InvalidOperationException($"The matcher returned class position {matched}; an episode has positions 0 to {ways - 1}.");
                    if (matched == p) episodeCorrect++;
                }
            }
            int episodeQueries = ways * queries;
            perEpisode[e] = (double)episodeCorrect / episodeQueries;
            correct += episodeCorrect;
            total += episodeQueries;
        }
        return new OneShotResult(perEpisode, correct, total);
    }

    /// <summary>Draws <paramref name="count"/> distinct elements in random order (partial Fisher-Yates on a copy).</summary>
    private static int[] SampleDistinct(IReadOnlyList<int> source, int count, SiameseRandom random)
    {
        int[] copy = source.ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = i + random.Next(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy[..count];
    }
}
