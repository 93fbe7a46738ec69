namespace MLNet.Siamese.Evaluation;

/// <summary>Labels of any type mapped to dense class ids 0..C-1 in order of first appearance, with class sizes.</summary>
internal sealed class ClassIds
{
    private ClassIds(int[] ids, int classCount)
    {
        Ids = ids;
        Sizes = new int[classCount];
        foreach (int id in ids) Sizes[id]++;
    }

    public int[] Ids { get; }

    public int[] Sizes { get; }

    public int ClassCount => Sizes.Length;

    public static ClassIds From<T>(IReadOnlyList<T> labels, string parameterName) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(labels, parameterName);
        var map = new Dictionary<T, int>();
        var ids = new int[labels.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            T label = labels[i] ?? throw new ArgumentException($"The label of item {i} is null.", parameterName);
            if (!map.TryGetValue(label, out int id)) map[label] = id = map.Count;
            ids[i] = id;
        }
        return new ClassIds(ids, map.Count);
    }
}
