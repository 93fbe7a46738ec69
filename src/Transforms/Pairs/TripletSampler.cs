using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Draws triplets uniformly over classes, then rows: an anchor class (among those with two or more rows and another
/// class to contrast with), two different rows of it (anchor, positive), then another class (within the anchor's group
/// when asked) and a row of it (negative).
/// </summary>
internal static class TripletSampler
{
    /// <summary>Draws the triplets; throws, naming the problem, when the classes cannot give them.</summary>
    public static (int[] Anchor, int[] Positive, int[] Negative) Draw(ClassTable classes, int tripletCount, bool withinGroup,
        int seed, string labelColumn, string? groupColumn)
    {
        var withTwoRows = classes.ClassesWithTwoRows;
        if (withTwoRows.Length == 0)
        {
            throw new InvalidOperationException(
                $"No class of label column '{labelColumn}' has two or more rows, so no anchor and positive (two different rows of one class) can be drawn.");
        }

        if (classes.Count < 2)
        {
            throw new InvalidOperationException(
                $"Label column '{labelColumn}' has fewer than two classes (only '{classes.ClassNames[0]}'), so no negative can be drawn.");
        }

        var anchorClasses = withinGroup ? [.. withTwoRows.Where(classes.HasOtherClassInGroup)] : withTwoRows;
        if (anchorClasses.Length == 0)
        {
            throw new InvalidOperationException(
                $"No group of column '{groupColumn}' holds two or more labels of column '{labelColumn}' with one of them having two or more rows, " +
                "so no triplet with its negative in the anchor's group can be drawn. Set WithinGroupNegatives to false, or give such groups.");
        }

        var random = new Random(seed);
        var anchor = new int[tripletCount];
        var positive = new int[tripletCount];
        var negative = new int[tripletCount];
        for (int i = 0; i < tripletCount; i++)
        {
            int c = anchorClasses[random.Next(anchorClasses.Length)];
            (anchor[i], positive[i]) = classes.DrawTwoRows(random, c);
            negative[i] = classes.DrawRow(random, classes.DrawOtherClass(random, c, withinGroup));
        }

        return (anchor, positive, negative);
    }
}
