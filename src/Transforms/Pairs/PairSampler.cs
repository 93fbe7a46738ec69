using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Draws pairs the way the MATLAB seed's <c>getSiameseBatch</c> does: uniform over classes, then over the rows of the
/// chosen classes. A similar pair is a class (among those with two or more rows) and two different rows of it; a
/// dissimilar pair is two different classes (within one group when asked) and a row of each. Pair order is shuffled.
/// </summary>
internal static class PairSampler
{
    /// <summary>The number of similar pairs: <c>round(pairCount * similarFraction)</c>, halves rounded away from zero.</summary>
    public static int SimilarCount(int pairCount, double similarFraction)
        => (int)Math.Round(pairCount * similarFraction, MidpointRounding.AwayFromZero);

    /// <summary>Draws the pairs; throws, naming the problem, when the classes cannot give the pairs asked for.</summary>
    public static (int[] Left, int[] Right, bool[] Same) Draw(ClassTable classes, int pairCount, double similarFraction,
        bool withinGroup, int seed, string labelColumn, string? groupColumn)
    {
        int similar = SimilarCount(pairCount, similarFraction);
        int dissimilar = pairCount - similar;
        var withTwoRows = classes.ClassesWithTwoRows;
        if (similar > 0 && withTwoRows.Length == 0)
        {
            throw new InvalidOperationException(
                $"No class of label column '{labelColumn}' has two or more rows, so no similar pair (two different rows of one class) " +
                $"can be drawn for the {similar} similar pairs asked for. Give more rows per class, or set SimilarFraction to 0.");
        }

        int[] firstClasses = [];
        if (dissimilar > 0)
        {
            if (classes.Count < 2)
            {
                throw new InvalidOperationException(
                    $"Label column '{labelColumn}' has fewer than two classes (only '{classes.ClassNames[0]}'), so no dissimilar pair " +
                    $"can be drawn for the {dissimilar} dissimilar pairs asked for. Give rows of two or more classes, or set SimilarFraction to 1.");
            }

            firstClasses = withinGroup
                ? [.. Enumerable.Range(0, classes.Count).Where(classes.HasOtherClassInGroup)]
                : [.. Enumerable.Range(0, classes.Count)];
            if (firstClasses.Length == 0)
            {
                throw new InvalidOperationException(
                    $"No group of column '{groupColumn}' holds two or more labels of column '{labelColumn}', so no dissimilar pair " +
                    "within one group can be drawn. Give groups with two or more labels, or set WithinGroupDissimilar to false.");
            }
        }

        var random = new Random(seed);
        var left = new int[pairCount];
        var right = new int[pairCount];
        var same = new bool[pairCount];
        for (int i = 0; i < similar; i++)
        {
            int c = withTwoRows[random.Next(withTwoRows.Length)];
            (left[i], right[i]) = classes.DrawTwoRows(random, c);
            same[i] = true;
        }

        for (int i = similar; i < pairCount; i++)
        {
            int c1 = firstClasses[random.Next(firstClasses.Length)];
            int c2 = classes.DrawOtherClass(random, c1, withinGroup);
            left[i] = classes.DrawRow(random, c1);
            right[i] = classes.DrawRow(random, c2);
        }

        for (int i = pairCount - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (left[i], left[j]) = (left[j], left[i]);
            (right[i], right[j]) = (right[j], right[i]);
            (same[i], same[j]) = (same[j], same[i]);
        }

        return (left, right, same);
    }
}
