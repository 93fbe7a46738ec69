using MLNet.Siamese.Sampling;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Splits labelled items for an open-set test: a seeded shuffle of the classes (the library's one generator,
/// <see cref="SiameseRandom"/>) puts <c>unknownFraction</c> of them
/// (rounded, at least one) aside as never enrolled; each other class enrols its first <c>shots</c> items (the rest are
/// known queries, so a class with no more items gives none).
/// </summary>
/// <param name="Gallery">Indices of the enrolled items.</param>
/// <param name="Known">Indices of the known queries.</param>
/// <param name="Impostors">Indices of the impostor queries.</param>
internal sealed record OpenSetSplit(List<int> Gallery, List<int> Known, List<int> Impostors)
{
    public static OpenSetSplit Make(IReadOnlyList<string> labels, double unknownFraction, int shots, int seed)
    {
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new SiameseRandom(seed).Shuffle<string>(classes);
        int unknown = Math.Clamp((int)Math.Round(unknownFraction * classes.Length), 1, Math.Max(1, classes.Length - 1));
        var impostorClasses = new HashSet<string>(classes.Take(unknown), StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var split = new OpenSetSplit([], [], []);
        for (int i = 0; i < labels.Count; i++)
        {
            if (impostorClasses.Contains(labels[i]))
            {
                split.Impostors.Add(i);
                continue;
            }
            int n = seen.GetValueOrDefault(labels[i]);
            seen[labels[i]] = n + 1;
            (n < shots ? split.Gallery : split.Known).Add(i);
        }
        return split;
    }
}
