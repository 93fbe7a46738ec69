using System.Diagnostics;
using MLNet.Siamese;
using MLNet.Siamese.Index;

namespace DigitsEmbedding;

/// <summary>Times exact SimilarityIndex search (k = 10) for a few gallery sizes and dimensions, on random data.</summary>
internal static class IndexBenchmark
{
    public static void Run()
    {
        Console.WriteLine($"SimilarityIndex exact search, k = 10, random Gaussian-ish data, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine("| items | dims | distance | single query (ms, median of 200) | batch of 1000 queries (ms) | batch throughput (queries/s) | save (ms) | load (ms) | file (MB) |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        var random = new Random(1);
        foreach (int items in new[] { 10_000, 100_000 })
            foreach (int dims in new[] { 64, 128 })
                foreach (var distance in new[] { VectorDistance.Euclidean, VectorDistance.Cosine })
                {
                    var index = new SimilarityIndex(dims, distance);
                    index.AddRange(Enumerable.Range(0, items).Select(i => ($"item{i}", $"c{i % 10}", Random(random, dims))));
                    var queries = Enumerable.Range(0, 1000).Select(_ => Random(random, dims)).ToArray();
                    for (int w = 0; w < 5; w++) index.Search(queries[w], 10);    // warm-up (JIT, caches)
                    var single = new List<double>();
                    for (int q = 0; q < 200; q++)
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        index.Search(queries[q], 10);
                        single.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    }
                    single.Sort();
                    long b0 = Stopwatch.GetTimestamp();
                    index.SearchBatch(queries, 10);
                    double batchMs = Stopwatch.GetElapsedTime(b0).TotalMilliseconds;
                    string path = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.mlnsidx");
                    long s0 = Stopwatch.GetTimestamp();
                    index.Save(path);
                    double saveMs = Stopwatch.GetElapsedTime(s0).TotalMilliseconds;
                    long l0 = Stopwatch.GetTimestamp();
                    SimilarityIndex.Load(path);
                    double loadMs = Stopwatch.GetElapsedTime(l0).TotalMilliseconds;
                    double mb = new FileInfo(path).Length / 1e6;
                    File.Delete(path);
                    Console.WriteLine($"| {items:N0} | {dims} | {distance} | {single[100]:F2} | {batchMs:F0} | {1000 / (batchMs / 1000):N0} | {saveMs:F0} | {loadMs:F0} | {mb:F1} |");
                }
    }

    private static float[] Random(Random random, int dims)
    {
        var v = new float[dims];
        for (int i = 0; i < dims; i++) v[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        return v;
    }
}
