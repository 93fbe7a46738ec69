using MLNet.Siamese.Classes;
using MLNet.Siamese.Sampling;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// What the pair and triplet generators draw: the library's one sampler (<see cref="BatchSampler"/>, the trainer's)
/// with the one generator (<see cref="SiameseRandom"/>) seeded by the generator's seed, after checks that say, naming
/// the columns, when the classes cannot give what is asked for.
/// </summary>
internal static class GeneratorDraws
{
    /// <summary>The number of similar pairs: <c>round(pairCount * similarFraction)</c>, halves rounded away from zero.</summary>
    public static int SimilarCount(int pairCount, double similarFraction)
        => (int)Math.Round(pairCount * similarFraction, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Balanced pairs, in random order: a similar pair is a class (among those with two or more rows) and two different
    /// rows of it; a dissimilar pair is two different classes (two of one group, the group drawn first, when
    /// <paramref name="withinGroup"/>) and a row of each.
    /// </summary>
    public static (int[] Left, int[] Right, bool[] Same) Pairs(ClassTable classes, int pairCount, double similarFraction,
        bool withinGroup, int seed, string labelColumn, string? groupColumn)
    {
        int similar = SimilarCount(pairCount, similarFraction);
        int dissimilar = pairCount - similar;
        if (similar > 0 && classes.ClassesWithTwoRows.Length == 0)
        {
            throw new InvalidOperationException(
                $"No class of label column '{labelColumn}' has two or more rows, so no similar pair (two different rows of one class) " +
                $"can be drawn for the {similar} similar pairs asked for. Give more rows per class, or set SimilarFraction to 0.");
        }

        if (dissimilar > 0)
        {
            if (classes.Count < 2)
            {
                throw new InvalidOperationException(
                    $"Label column '{labelColumn}' has fewer than two classes (only '{classes.ClassNames[0]}'), so no dissimilar pair " +
                    $"can be drawn for the {dissimilar} dissimilar pairs asked for. Give rows of two or more classes, or set SimilarFraction to 1.");
            }

            if (withinGroup && !Enumerable.Range(0, classes.Count).Any(classes.HasOtherClassInGroup))
            {
                throw new InvalidOperationException(
                    $"No group of column '{groupColumn}' holds two or more labels of column '{labelColumn}', so no dissimilar pair " +
                    "within one group can be drawn. Give groups with two or more labels, or set WithinGroupDissimilar to false.");
            }
        }

        var batch = new BatchSampler(classes, new SiameseRandom(seed)).SamplePairs(pairCount, similarFraction, withinGroup);
        return (ToRows(batch.Left), ToRows(batch.Right), [.. batch.Similar.Select(s => s == 1f)]);
    }

    /// <summary>
    /// Triplets: an anchor class (among those with two or more rows), two different rows of it (anchor, positive), then
    /// another class (of the anchor's group when <paramref name="withinGroup"/>) and a row of it (negative).
    /// </summary>
    public static (int[] Anchor, int[] Positive, int[] Negative) Triplets(ClassTable classes, int tripletCount, bool withinGroup,
        int seed, string labelColumn, string? groupColumn)
    {
        if (classes.ClassesWithTwoRows.Length == 0)
        {
            throw new InvalidOperationException(
                $"No class of label column '{labelColumn}' has two or more rows, so no anchor and positive (two different rows of one class) can be drawn.");
        }

        if (classes.Count < 2)
        {
            throw new InvalidOperationException(
                $"Label column '{labelColumn}' has fewer than two classes (only '{classes.ClassNames[0]}'), so no negative can be drawn.");
        }

        if (withinGroup && !classes.ClassesWithTwoRows.Any(classes.HasOtherClassInGroup))
        {
            throw new InvalidOperationException(
                $"No group of column '{groupColumn}' holds two or more labels of column '{labelColumn}' with one of them having two or more rows, " +
                "so no triplet with its negative in the anchor's group can be drawn. Set WithinGroupNegatives to false, or give such groups.");
        }

        var batch = new BatchSampler(classes, new SiameseRandom(seed)).SampleTriplets(tripletCount, withinGroup);
        return (ToRows(batch.Anchor), ToRows(batch.Positive), ToRows(batch.Negative));
    }

    private static int[] ToRows(long[] rows) => [.. rows.Select(r => checked((int)r))];
}
