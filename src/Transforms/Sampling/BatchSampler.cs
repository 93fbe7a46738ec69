using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Sampling;

/// <summary>A batch of pairs by item index: Left[i] and Right[i] with Similar[i] = 1 for the same class, else 0.</summary>
/// <param name="Left">Left item indices.</param>
/// <param name="Right">Right item indices.</param>
/// <param name="Similar">1 for same-class pairs, 0 otherwise.</param>
internal sealed record PairBatch(long[] Left, long[] Right, float[] Similar);

/// <summary>A batch of triplets by item index.</summary>
/// <param name="Anchor">Anchor items.</param>
/// <param name="Positive">Items of the anchor's class (not the anchor itself).</param>
/// <param name="Negative">Items of another class.</param>
internal sealed record TripletBatch(long[] Anchor, long[] Positive, long[] Negative);

/// <summary>
/// An N-way K-shot episode: <see cref="Support"/> holds K items of each of the N classes (class-major), and
/// <see cref="Query"/> Q further items of each, with <see cref="QueryTarget"/> the 0..N-1 class of each query.
/// </summary>
/// <param name="Support">Support items, ways * shots, class-major.</param>
/// <param name="Query">Query items, ways * queries, class-major.</param>
/// <param name="QueryTarget">Episode class (0..ways-1) of every query.</param>
internal sealed record Episode(long[] Support, long[] Query, long[] QueryTarget);

/// <summary>
/// The library's one sampler family: pairs, triplets, class batches and episodes drawn by row index from a
/// <see cref="ClassTable"/> with a <see cref="SiameseRandom"/>, as the seeds' getSiameseBatch does: a class uniformly,
/// then items uniformly within it. The trainer draws a fresh batch every iteration; the pair and triplet generators
/// draw their whole set once.
/// </summary>
/// <remarks>
/// "Within group": a group is drawn uniformly among the groups, then two different classes of it; the caller makes sure
/// such a group exists (see the generators' checks), otherwise the draw would not end.
/// </remarks>
internal sealed class BatchSampler
{
    private readonly ClassTable _index;
    private readonly SiameseRandom _random;

    /// <summary>Creates a sampler over <paramref name="index"/> drawing from <paramref name="random"/>.</summary>
    /// <param name="index">The items by class.</param>
    /// <param name="random">The generator (its state is part of a training checkpoint).</param>
    public BatchSampler(ClassTable index, SiameseRandom random)
    {
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>
    /// Balanced random pairs: round(count * similarFraction) same-class pairs of two different items, the rest
    /// pairs of two different classes (of one group when <paramref name="withinGroup"/>), in random order.
    /// </summary>
    /// <param name="count">Number of pairs.</param>
    /// <param name="similarFraction">Fraction of same-class pairs.</param>
    /// <param name="withinGroup">Draw dissimilar pairs from two classes of the same group.</param>
    /// <returns>The batch.</returns>
    public PairBatch SamplePairs(int count, double similarFraction = 0.5, bool withinGroup = false)
    {
        int similar = (int)Math.Round(count * similarFraction, MidpointRounding.AwayFromZero);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        _random.Shuffle<int>(order);
        var left = new long[count];
        var right = new long[count];
        var same = new float[count];
        for (int k = 0; k < count; k++)
        {
            int slot = order[k];
            if (k < similar)
            {
                var items = _index.RowsOfClass[_index.ClassesWithTwoRows[_random.Next(_index.ClassesWithTwoRows.Length)]];
                int a = _random.Next(items.Length);
                int b = _random.Next(items.Length - 1);
                if (b >= a) b++;
                (left[slot], right[slot], same[slot]) = (items[a], items[b], 1f);
            }
            else
            {
                var (c1, c2) = TwoClasses(withinGroup);
                var i1 = _index.RowsOfClass[c1];
                var i2 = _index.RowsOfClass[c2];
                (left[slot], right[slot], same[slot]) = (i1[_random.Next(i1.Length)], i2[_random.Next(i2.Length)], 0f);
            }
        }
        return new PairBatch(left, right, same);
    }

    /// <summary>
    /// A batch for triplet losses: <paramref name="classes"/> classes with <paramref name="perClass"/> items each
    /// (class-major), the layout batch-hard mining needs; plain triplets are formed from it too.
    /// </summary>
    /// <param name="classes">Classes in the batch (at least 2).</param>
    /// <param name="perClass">Items per class (at least 2; drawn with replacement when a class has fewer).</param>
    /// <returns>Item indices and their class ids.</returns>
    public (long[] Items, long[] Classes) SampleClassBatch(int classes, int perClass)
    {
        var chosen = Choose(_index.ClassesWithTwoRows, Math.Min(classes, _index.ClassesWithTwoRows.Length));
        var items = new long[chosen.Length * perClass];
        var labels = new long[items.Length];
        for (int c = 0; c < chosen.Length; c++)
        {
            var pool = _index.RowsOfClass[chosen[c]];
            var picked = pool.Length >= perClass ? Choose(pool, perClass) : Enumerable.Range(0, perClass).Select(_ => pool[_random.Next(pool.Length)]).ToArray();
            for (int k = 0; k < perClass; k++)
            {
                items[c * perClass + k] = picked[k];
                labels[c * perClass + k] = chosen[c];
            }
        }
        return (items, labels);
    }

    /// <summary>Random triplets: anchor and positive two different items of one class, negative from another class.</summary>
    /// <param name="count">Number of triplets.</param>
    /// <param name="withinGroup">Negative from a class of the anchor's group.</param>
    /// <returns>The batch.</returns>
    public TripletBatch SampleTriplets(int count, bool withinGroup = false)
    {
        var a = new long[count];
        var p = new long[count];
        var n = new long[count];
        for (int k = 0; k < count; k++)
        {
            var (c1, c2) = TwoClasses(withinGroup, requirePairInFirst: true);
            var items = _index.RowsOfClass[c1];
            int i = _random.Next(items.Length);
            int j = _random.Next(items.Length - 1);
            if (j >= i) j++;
            var neg = _index.RowsOfClass[c2];
            (a[k], p[k], n[k]) = (items[i], items[j], neg[_random.Next(neg.Length)]);
        }
        return new TripletBatch(a, p, n);
    }

    /// <summary>
    /// An N-way K-shot episode with Q queries per class; with <paramref name="withinGroup"/> all N classes come
    /// from one group (one alphabet), chosen uniformly among the groups that have enough classes.
    /// </summary>
    /// <param name="ways">Classes per episode.</param>
    /// <param name="shots">Support items per class.</param>
    /// <param name="queries">Query items per class.</param>
    /// <param name="withinGroup">All classes from one group.</param>
    /// <returns>The episode.</returns>
    public Episode SampleEpisode(int ways, int shots, int queries, bool withinGroup = false)
    {
        int need = shots + queries;
        int[] pool;
        if (withinGroup)
        {
            var groups = _index.ClassesByGroup.Select(g => g.Where(c => _index.RowsOfClass[c].Length >= need).ToArray()).Where(g => g.Length >= 2).ToArray();
            pool = groups[_random.Next(groups.Length)];
        }
        else
        {
            pool = _index.NonEmptyClasses.Where(c => _index.RowsOfClass[c].Length >= need).ToArray();
        }
        var classes = Choose(pool, Math.Min(ways, pool.Length));
        var support = new long[classes.Length * shots];
        var query = new long[classes.Length * queries];
        var target = new long[query.Length];
        for (int c = 0; c < classes.Length; c++)
        {
            var picked = Choose(_index.RowsOfClass[classes[c]], need);
            for (int k = 0; k < shots; k++) support[c * shots + k] = picked[k];
            for (int q = 0; q < queries; q++)
            {
                query[c * queries + q] = picked[shots + q];
                target[c * queries + q] = c;
            }
        }
        return new Episode(support, query, target);
    }

    private (int, int) TwoClasses(bool withinGroup, bool requirePairInFirst = false)
    {
        if (withinGroup)
        {
            var groups = _index.ClassesByGroup;
            while (true)
            {
                var g = groups[_random.Next(groups.Length)];
                if (g.Length < 2) continue;
                int a = g[_random.Next(g.Length)];
                if (requirePairInFirst && _index.RowsOfClass[a].Length < 2) continue;
                int b = g[_random.Next(g.Length - 1)];
                if (b == a) b = g[g.Length - 1];
                return (a, b);
            }
        }
        var first = requirePairInFirst ? _index.ClassesWithTwoRows : _index.NonEmptyClasses;
        int c1 = first[_random.Next(first.Length)];
        var all = _index.NonEmptyClasses;
        int c2;
        do c2 = all[_random.Next(all.Length)]; while (c2 == c1);
        return (c1, c2);
    }

    private int[] Choose(int[] pool, int count)
    {
        var copy = (int[])pool.Clone();
        for (int i = 0; i < count; i++)
        {
            int j = i + _random.Next(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy[..count];
    }
}
