using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Cli;

/// <summary>
/// What <c>siamese evaluate</c> measures from embeddings alone: retrieval over the items (each a query against the
/// others, Euclidean, the distance every model here trains), and, for a zip without a pair head (an embedder or an
/// identifier), pair metrics from the Euclidean distance of balanced pairs.
/// </summary>
internal static class EmbeddingEvaluation
{
    /// <summary>Items ranked at most: past this many, an even seeded draw per class (retrieval costs the square of the count).</summary>
    public const int MaxRetrievalItems = 4000;

    /// <summary>The rows of <paramref name="items"/> retrieval uses: all of them, or an even draw per class past <see cref="MaxRetrievalItems"/>.</summary>
    public static int[] RetrievalRows(ItemSet items, int seed)
    {
        var rows = Enumerable.Range(0, items.Count).ToArray();
        if (rows.Length <= MaxRetrievalItems)
            return rows;
        var random = new Random(seed);
        var byClass = rows.GroupBy(i => items.Labels[i], StringComparer.Ordinal).Select(g => g.OrderBy(_ => random.Next()).ToArray()).ToList();
        var kept = new List<int>(MaxRetrievalItems);
        for (int round = 0; kept.Count < MaxRetrievalItems; round++)
            foreach (var members in byClass)
                if (round < members.Length && kept.Count < MaxRetrievalItems) kept.Add(members[round]);
        return kept.Order().ToArray();
    }

    /// <summary>Retrieval metrics of the embeddings of <paramref name="rows"/>, by Euclidean distance.</summary>
    public static RetrievalMetrics Retrieval(float[][] embeddings, ItemSet items, IReadOnlyList<int> rows)
        => RetrievalMetrics.Compute(embeddings, rows.Select(r => items.Labels[r]).ToList(), VectorDistance.Euclidean);

    /// <summary>
    /// Balanced pairs (even positions same class, odd different; different classes from one group with
    /// <paramref name="withinGroup"/>), drawn with <paramref name="seed"/>, scored by the Euclidean distance of their
    /// embeddings. An embedder records no pair threshold: read the metrics that need none (best threshold and its
    /// accuracy, AUC, EER).
    /// </summary>
    public static PairMetrics Pairs(float[][] embeddings, ItemSet items, int count, int seed, bool withinGroup)
    {
        var random = new Random(seed);
        var byClass = Enumerable.Range(0, items.Count).GroupBy(i => items.Labels[i], StringComparer.Ordinal).Select(g => g.ToArray()).ToList();
        var sameCandidates = byClass.Where(g => g.Length >= 2).ToArray();
        if (sameCandidates.Length == 0 || byClass.Count < 2)
            throw new CliUsageException("--data needs two classes and one class with two items to draw same- and different-class pairs.");
        var distances = new float[count];
        var same = new bool[count];
        for (int k = 0; k < count; k++)
        {
            same[k] = k % 2 == 0;
            int left, right;
            if (same[k])
            {
                var members = sameCandidates[random.Next(sameCandidates.Length)];
                int a = random.Next(members.Length), b = random.Next(members.Length - 1);
                (left, right) = (members[a], members[b >= a ? b + 1 : b]);
            }
            else
            {
                do (left, right) = (random.Next(items.Count), random.Next(items.Count));
                while (items.Labels[left] == items.Labels[right] || (withinGroup && items.Groups[left] != items.Groups[right]));
            }
            distances[k] = System.Numerics.Tensors.TensorPrimitives.Distance(embeddings[left], embeddings[right]);
        }
        return PairMetrics.Compute(distances, same, higherScoreIsSimilar: false);
    }
}
