namespace MLNet.Siamese.Sampling;

/// <summary>
/// Items grouped by class (and classes by group) for online batch sampling: built once from the label of every
/// item, then every batch is drawn by index without touching the data.
/// </summary>
public sealed class ClassIndex
{
    /// <summary>Builds the index.</summary>
    /// <param name="classOfItem">Class id (0-based, dense) of every item.</param>
    /// <param name="groupOfClass">Optional group id of every class (e.g. the alphabet of a character); null puts all classes in one group.</param>
    public ClassIndex(IReadOnlyList<int> classOfItem, IReadOnlyList<int>? groupOfClass = null)
    {
        ArgumentNullException.ThrowIfNull(classOfItem);
        int classCount = classOfItem.Count == 0 ? 0 : classOfItem.Max() + 1;
        var items = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) items[c] = new List<int>();
        for (int i = 0; i < classOfItem.Count; i++) items[classOfItem[i]].Add(i);
        ItemsOfClass = items.Select(l => l.ToArray()).ToArray();
        ClassOfItem = classOfItem.ToArray();
        ClassesWithPairs = Enumerable.Range(0, classCount).Where(c => ItemsOfClass[c].Length >= 2).ToArray();
        NonEmptyClasses = Enumerable.Range(0, classCount).Where(c => ItemsOfClass[c].Length >= 1).ToArray();
        var groups = groupOfClass ?? new int[classCount];
        GroupOfClass = groups.ToArray();
        ClassesOfGroup = NonEmptyClasses.GroupBy(c => groups[c]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
    }

    /// <summary>Item indices of each class.</summary>
    public int[][] ItemsOfClass { get; }

    /// <summary>Class of each item.</summary>
    public int[] ClassOfItem { get; }

    /// <summary>Group of each class.</summary>
    public int[] GroupOfClass { get; }

    /// <summary>Classes with at least two items (they can give similar pairs).</summary>
    public int[] ClassesWithPairs { get; }

    /// <summary>Classes with at least one item.</summary>
    public int[] NonEmptyClasses { get; }

    /// <summary>The non-empty classes of each group.</summary>
    public int[][] ClassesOfGroup { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount => ClassOfItem.Length;
}
