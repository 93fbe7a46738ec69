namespace MLNet.Siamese.Examples.Photos;

/// <summary>Balanced same/different pairs of items, drawn once with a seed, and their distances under an embedding.</summary>
internal sealed class PairSet
{
    private PairSet(int[] left, int[] right, bool[] same) => (Left, Right, Same) = (left, right, same);

    public int[] Left { get; }
    public int[] Right { get; }
    public bool[] Same { get; }

    /// <summary>Half same-class pairs, half different-class pairs, each item pair drawn uniformly.</summary>
    public static PairSet Draw(IReadOnlyList<string> labels, int count, int seed)
    {
        var random = new Random(seed);
        var byClass = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).Select(g => g.ToArray()).Where(g => g.Length >= 2).ToArray();
        var left = new int[count];
        var right = new int[count];
        var same = new bool[count];
        for (int k = 0; k < count; k++)
        {
            same[k] = k % 2 == 0;
            if (same[k])
            {
                var items = byClass[random.Next(byClass.Length)];
                int a = random.Next(items.Length), b = random.Next(items.Length - 1);
                (left[k], right[k]) = (items[a], items[b >= a ? b + 1 : b]);
            }
            else
            {
                do
                {
                    (left[k], right[k]) = (random.Next(labels.Count), random.Next(labels.Count));
                } while (labels[left[k]] == labels[right[k]]);
            }
        }
        return new PairSet(left, right, same);
    }

    /// <summary>The distance of every pair.</summary>
    public float[] Distances(IReadOnlyList<float[]> embeddings, Func<float[], float[], float> distance)
        => Enumerable.Range(0, Same.Length).Select(k => distance(embeddings[Left[k]], embeddings[Right[k]])).ToArray();
}
