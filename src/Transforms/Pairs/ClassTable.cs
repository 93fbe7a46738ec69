namespace MLNet.Siamese.Transforms;

/// <summary>
/// The classes found in the label column: the source rows of each class and, when a group column is used, the group of
/// each class and the classes of each group. Classes and groups are numbered in order of first appearance.
/// </summary>
internal sealed class ClassTable
{
    private ClassTable(string[] classNames, int[][] rowsOfClass, int[]? groupOfClass, int[][]? classesOfGroup, int[]? indexInGroup)
    {
        ClassNames = classNames;
        RowsOfClass = rowsOfClass;
        GroupOfClass = groupOfClass;
        ClassesOfGroup = classesOfGroup;
        IndexInGroup = indexInGroup;
    }

    /// <summary>The class identity of each class.</summary>
    public string[] ClassNames { get; }

    /// <summary>The source rows of each class, in row order.</summary>
    public int[][] RowsOfClass { get; }

    /// <summary>The group of each class, or null when no group column is used.</summary>
    public int[]? GroupOfClass { get; }

    /// <summary>The classes of each group, or null when no group column is used.</summary>
    public int[][]? ClassesOfGroup { get; }

    /// <summary>The position of each class in <see cref="ClassesOfGroup"/> of its group, or null when no group column is used.</summary>
    public int[]? IndexInGroup { get; }

    /// <summary>The number of classes.</summary>
    public int Count => ClassNames.Length;

    /// <summary>
    /// Groups rows by label. Rows whose label is null (missing) are skipped, and so are rows whose group is null when
    /// <paramref name="groups"/> is given. A label found in two groups is an error.
    /// </summary>
    public static ClassTable Build(IReadOnlyList<string?> labels, IReadOnlyList<string?>? groups, string labelColumn, string? groupColumn)
    {
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<List<int>>();
        var names = new List<string>();
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupNames = new List<string>();
        var groupOfClass = new List<int>();
        for (int r = 0; r < labels.Count; r++)
        {
            string? label = labels[r];
            string? group = groups?[r];
            if (label is null || (groups is not null && group is null))
            {
                continue;
            }

            int g = -1;
            if (group is not null && !groupIndex.TryGetValue(group, out g))
            {
                g = groupNames.Count;
                groupIndex.Add(group, g);
                groupNames.Add(group);
            }

            if (!classIndex.TryGetValue(label, out int c))
            {
                c = names.Count;
                classIndex.Add(label, c);
                names.Add(label);
                rows.Add([]);
                groupOfClass.Add(g);
            }
            else if (groupOfClass[c] != g)
            {
                throw new InvalidOperationException(
                    $"Label '{label}' of column '{labelColumn}' appears in two groups of column '{groupColumn}': " +
                    $"'{groupNames[groupOfClass[c]]}' and '{group}' (row {r}). A label must belong to one group; " +
                    "make labels unique across groups, e.g. by joining group and label into one label column.");
            }

            rows[c].Add(r);
        }

        int[][]? classesOfGroup = null;
        int[]? indexInGroup = null;
        if (groups is not null)
        {
            var lists = groupNames.Select(_ => new List<int>()).ToArray();
            indexInGroup = new int[names.Count];
            for (int c = 0; c < names.Count; c++)
            {
                indexInGroup[c] = lists[groupOfClass[c]].Count;
                lists[groupOfClass[c]].Add(c);
            }

            classesOfGroup = [.. lists.Select(l => l.ToArray())];
        }

        return new ClassTable([.. names], [.. rows.Select(l => l.ToArray())], groups is null ? null : [.. groupOfClass], classesOfGroup, indexInGroup);
    }

    /// <summary>The classes with at least two rows (they can give a similar pair, or an anchor and a positive).</summary>
    public int[] ClassesWithTwoRows() => [.. Enumerable.Range(0, Count).Where(c => RowsOfClass[c].Length >= 2)];

    /// <summary>The classes whose group holds at least one other class (needs a group column).</summary>
    public bool HasOtherClassInGroup(int c) => ClassesOfGroup![GroupOfClass![c]].Length >= 2;

    /// <summary>A uniformly drawn row of class <paramref name="c"/>.</summary>
    public int DrawRow(Random random, int c) => RowsOfClass[c][random.Next(RowsOfClass[c].Length)];

    /// <summary>Two different rows of class <paramref name="c"/>, drawn uniformly; the class must have two rows.</summary>
    public (int First, int Second) DrawTwoRows(Random random, int c)
    {
        var rows = RowsOfClass[c];
        int i = random.Next(rows.Length);
        int j = random.Next(rows.Length - 1);
        if (j >= i)
        {
            j++;
        }

        return (rows[i], rows[j]);
    }

    /// <summary>
    /// A class other than <paramref name="c"/>, drawn uniformly from all classes, or from the classes of the group of
    /// <paramref name="c"/> when <paramref name="withinGroup"/> is true.
    /// </summary>
    public int DrawOtherClass(Random random, int c, bool withinGroup)
    {
        if (withinGroup)
        {
            var inGroup = ClassesOfGroup![GroupOfClass![c]];
            int k = random.Next(inGroup.Length - 1);
            return inGroup[k >= IndexInGroup![c] ? k + 1 : k];
        }

        int other = random.Next(Count - 1);
        return other >= c ? other + 1 : other;
    }
}
