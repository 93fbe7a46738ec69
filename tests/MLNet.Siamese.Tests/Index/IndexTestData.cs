using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Index;

/// <summary>Random galleries and a brute-force reference (double precision, straightforward loops) for the index tests.</summary>
internal static class IndexTestData
{
    public static float[][] RandomVectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())
            .ToArray();
    }

    public static SimilarityIndex Build(float[][] vectors, VectorDistance distance)
    {
        var index = new SimilarityIndex(vectors[0].Length, distance);
        for (int i = 0; i < vectors.Length; i++)
            index.Add($"item{i}", $"class{i % 7}", vectors[i]);
        return index;
    }

    public static double ReferenceDistance(float[] a, float[] b, VectorDistance distance)
    {
        if (distance == VectorDistance.Euclidean)
        {
            double sum = 0;
            for (int i = 0; i < a.Length; i++) sum += (double)(a[i] - b[i]) * (a[i] - b[i]);
            return Math.Sqrt(sum);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return 1 - dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }

    /// <summary>All items sorted by reference distance, then insertion order.</summary>
    public static (int Position, double Distance)[] ReferenceRanking(float[][] gallery, float[] query, VectorDistance distance)
        => gallery.Select((g, i) => (Position: i, Distance: ReferenceDistance(query, g, distance)))
            .OrderBy(x => x.Distance).ThenBy(x => x.Position).ToArray();
}
