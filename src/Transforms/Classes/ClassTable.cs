namespace MLNet.Siamese.Classes;

/// <summary>
/// The one class table of the library (pair and triplet generators, the trainer's batch sampler, the evaluators): the
/// class of every row, the rows of every class and, when groups are used, the group of each class and the classes of
/// each group. Classes are numbered in order of first appearance (<see cref="Build"/>, <see cref="From{T}"/>) or as
/// given (<see cref="FromIds"/>); groups densely, in order of first appearance or of the given ids.
/// </summary>
internal sealed class ClassTable
{
    private ClassTable(string[] classNames, int[] classOfRow, int[][] rowsOfClass, int[]? groupOfClass, int[][]? classesOfGroup)
    {
        ClassNames = classNames;
        ClassOfRow = classOfRow;
        RowsOfClass = rowsOfClass;
        GroupOfClass = groupOfClass;
        ClassesOfGroup = classesOfGroup;
        Sizes = [.. rowsOfClass.Select(r => r.Length)];
        ClassesWithTwoRows = [.. Enumerable.Range(0, Count).Where(c => Sizes[c] >= 2)];
        NonEmptyClasses = [.. Enumerable.Range(0, Count).Where(c => Sizes[c] >= 1)];
        if (classesOfGroup is not null)
        {
            IndexInGroup = new int[Count];
            Array.Fill(IndexInGroup, -1);
            foreach (var members in classesOfGroup)
            {
                for (int k = 0; k < members.Length; k++)
                {
                    IndexInGroup[members[k]] = k;
                }
            }
        }
    }

    /// <summary>The class identity of each class.</summary>
    public string[] ClassNames { get; }

    /// <summary>The class of each row; -1 for a row skipped because its label (or group) is missing.</summary>
    public int[] ClassOfRow { get; }

    /// <summary>The rows of each class, in row order.</summary>
    public int[][] RowsOfClass { get; }

    /// <summary>The number of rows of each class.</summary>
    public int[] Sizes { get; }

    /// <summary>The group of each class (-1 for an empty class of no group), or null when no groups are used.</summary>
    public int[]? GroupOfClass { get; }

    /// <summary>The non-empty classes of each group, or null when no groups are used.</summary>
    public int[][]? ClassesOfGroup { get; }

    /// <summary>The position of each class in <see cref="ClassesOfGroup"/> of its group (-1 for an empty class), or null when no groups are used.</summary>
    public int[]? IndexInGroup { get; }

    /// <summary>The classes with at least two rows (they can give a similar pair, or an anchor and a positive).</summary>
    public int[] ClassesWithTwoRows { get; }

    /// <summary>The classes with at least one row.</summary>
    public int[] NonEmptyClasses { get; }

    /// <summary>The non-empty classes of each group: <see cref="ClassesOfGroup"/>, or one group of all non-empty classes when no groups are used.</summary>
    public int[][] ClassesByGroup => ClassesOfGroup ?? [NonEmptyClasses];

    /// <summary>The number of classes.</summary>
    public int Count => ClassNames.Length;

    /// <summary>The number of rows, skipped ones included.</summary>
    public int RowCount => ClassOfRow.Length;

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
        var classOfRow = new int[labels.Count];
        for (int r = 0; r < labels.Count; r++)
        {
            classOfRow[r] = -1;
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
            classOfRow[r] = c;
        }

        int[][]? classesOfGroup = null;
        if (groups is not null)
        {
            var lists = groupNames.Select(_ => new List<int>()).ToArray();
            for (int c = 0; c < names.Count; c++)
            {
                lists[groupOfClass[c]].Add(c);
            }

            classesOfGroup = [.. lists.Select(l => l.ToArray())];
        }

        return new ClassTable([.. names], classOfRow, [.. rows.Select(l => l.ToArray())], groups is null ? null : [.. groupOfClass], classesOfGroup);
    }

    /// <summary>
    /// Labels of any type (compared with their default equality) numbered 0..C-1 in order of first appearance.
    /// </summary>
    /// <exception cref="ArgumentException">A label is null; the message names the item.</exception>
    public static ClassTable From<T>(IReadOnlyList<T> labels, string parameterName) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(labels, parameterName);
        var map = new Dictionary<T, int>();
        var names = new List<string>();
        var rows = new List<List<int>>();
        var ids = new int[labels.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            T label = labels[i] ?? throw new ArgumentException($"The label of item {i} is null (missing).", parameterName);
            if (!map.TryGetValue(label, out int id))
            {
                map[label] = id = map.Count;
                names.Add(label.ToString() ?? string.Empty);
                rows.Add([]);
            }

            ids[i] = id;
            rows[id].Add(i);
        }

        return new ClassTable([.. names], ids, [.. rows.Select(l => l.ToArray())], null, null);
    }

    /// <summary>
    /// Rows with dense class ids as given (0..max; a class may be empty) and, optionally, the group id of every class;
    /// without groups every class is in one group. Groups are renumbered densely in ascending order of the given ids,
    /// keeping only groups with a non-empty class.
    /// </summary>
    public static ClassTable FromIds(IReadOnlyList<int> classOfRow, IReadOnlyList<int>? groupOfClass = null)
    {
        ArgumentNullException.ThrowIfNull(classOfRow);
        int classCount = classOfRow.Count == 0 ? 0 : classOfRow.Max() + 1;
        var rows = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
        {
            rows[c] = [];
        }

        for (int r = 0; r < classOfRow.Count; r++)
        {
            if (classOfRow[r] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(classOfRow), $"Row {r} has class id {classOfRow[r]}; class ids are 0 or more.");
            }

            rows[classOfRow[r]].Add(r);
        }

        var given = groupOfClass ?? new int[classCount];
        var nonEmptyGroups = Enumerable.Range(0, classCount).Where(c => rows[c].Count > 0).GroupBy(c => given[c]).OrderBy(g => g.Key).ToArray();
        var dense = nonEmptyGroups.Select((g, i) => (g.Key, i)).ToDictionary(p => p.Key, p => p.i);
        var groups = Enumerable.Range(0, classCount).Select(c => dense.TryGetValue(given[c], out int g) ? g : -1).ToArray();
        var names = Enumerable.Range(0, classCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new ClassTable(names, [.. classOfRow], [.. rows.Select(l => l.ToArray())], groups, [.. nonEmptyGroups.Select(g => g.ToArray())]);
    }

    /// <summary>Whether the group of class <paramref name="c"/> holds at least one other class (needs groups).</summary>
    public bool HasOtherClassInGroup(int c) => GroupOfClass![c] >= 0 && ClassesOfGroup![GroupOfClass[c]].Length >= 2;
}
