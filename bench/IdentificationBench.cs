using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Identification;
using MLNet.Siamese.Index;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Bench;

/// <summary>
/// The gallery inside the model zip at 1k, 10k and 100k items: queries/s of the whole identifier (embedder + gallery)
/// through a PredictionEngine and in one batch Transform, and of the gallery head alone on embeddings, side by side
/// with the in-memory <see cref="SimilarityIndex"/> and (when Debian's python3-faiss is installed) faiss
/// <c>IndexFlatL2</c> on the same vectors; plus the fraction of queries whose top-5 ids equal the index's.
/// </summary>
internal static class IdentificationBench
{
    public const int K = 5;
    private const int Queries = 1000;
    private const int EngineQueries = 200;

    public sealed class FeatureRow
    {
        [VectorType(ScoringBench.Size)] public float[] Features { get; set; } = [];
    }

    /// <summary>
    /// The identification rows alone (<c>--only identification</c>): a compact feature-vector model trained for a few
    /// steps on synthetic vectors (search speed does not depend on how well it is trained), then <see cref="Run"/>.
    /// </summary>
    public static void RunStandalone(MLContext ml, Results results, string scratch)
    {
        const int items = 2000;
        var features = SyntheticData.Random(items, ScoringBench.Size, 3);
        var model = ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = Losses.SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            Network = Networks.NetworkPresets.Compact(28, 64),
            Iterations = 20,
            BatchSize = 32,
            Seed = 1,
            CalibrationPairs = 200,
        }).Fit(SyntheticData.ToDataView(ml, features, ScoringBench.Size, SyntheticData.Labels(items, 20)));
        Run(ml, results, model, features, items, scratch);
    }

    public static void Run(MLContext ml, Results results, SiameseModel model, float[] features, int count, string scratch, int[]? sizes = null)
    {
        results.Methods.Add("Identification: gallery embeddings are seeded Gaussian vectors of the model's dimension (10 items per label), enrolled through the feature-vector compact model's embedder; queries are Omniglot feature rows (whole identifier) or Gaussian embeddings (gallery head alone, the same vectors for SimilarityIndex and faiss IndexFlatL2, k = 5). Medians of 3 after 1 warm-up; faiss timed inside its Python process (search call only), with its default OpenMP threads and with one thread.");
        var embedder = GalleryEmbedder.FromModel(ml, model);
        int d = embedder.Dimension;
        var queryRows = Enumerable.Range(0, Queries).Select(i => new FeatureRow { Features = features.AsSpan((i % count) * ScoringBench.Size, ScoringBench.Size).ToArray() }).ToList();
        var queryView = ml.Data.LoadFromEnumerable(queryRows);
        var queryEmbeddings = Gaussian(Queries, d, 7);
        foreach (int n in sizes ?? [1000, 10000, 100000])
        {
            var vectors = Gaussian(n, d, n);
            var gallery = new IdentificationGallery(embedder.Fingerprint, d,
                Enumerable.Range(0, n).Select(i => ($"item{i}", $"label{i / 10}", vectors.AsSpan(i * d, d).ToArray())));
            var clock = Stopwatch.StartNew();
            var identifier = ml.Siamese().Enroll(embedder, gallery, new EnrollmentOptions { K = K });
            double enrolSeconds = clock.Elapsed.TotalSeconds;
            string zip = Path.Combine(scratch, $"identifier-{n}.zip");
            identifier.Save(zip);
            long zipBytes = new FileInfo(zip).Length;
            var loaded = ml.Model.Load(zip, out _);
            string size = n.ToString("N0", CultureInfo.InvariantCulture);

            var engine = ml.Model.CreatePredictionEngine<FeatureRow, IdentificationPrediction>(loaded);
            double engineRate = EngineQueries / Stats.MedianSeconds(() => { for (int q = 0; q < EngineQueries; q++) engine.Predict(queryRows[q]); }, 1, 3);
            double batchRate = Queries / Stats.MedianSeconds(() => Drain(loaded.Transform(queryView)), 1, 3);

            // The gallery head alone on embeddings, against the in-memory index and faiss on the same vectors.
            var head = ml.Transforms.ApplyOnnxModel(new MemoryStream(identifier.GalleryOnnx.ToArray()));
            var embeddingView = EmbeddingView(ml, queryEmbeddings, d);
            var headModel = head.Fit(embeddingView);
            double headRate = Queries / Stats.MedianSeconds(() => Drain(headModel.Transform(embeddingView)), 1, 3);
            var index = new SimilarityIndex(d);
            index.AddRange(Enumerable.Range(0, n).Select(i => ($"item{i}", $"label{i / 10}", vectors.AsSpan(i * d, d).ToArray())));
            var rows = Enumerable.Range(0, Queries).Select(q => queryEmbeddings.AsSpan(q * d, d).ToArray()).ToArray();
            double indexRate = Queries / Stats.MedianSeconds(() => { foreach (var r in rows) index.Search(r, K); }, 1, 3);
            var ours = ReadIds(headModel.Transform(embeddingView));
            int same = Enumerable.Range(0, Queries).Count(q => index.Search(rows[q], K).Select(m => m.Id).SequenceEqual(ours[q]));

            results.Add(new Figure("identify", $"{size} items: queries/s, PredictionEngine (embed + search)", engineRate, "queries/s", Note: $"enrol {enrolSeconds:F1} s (calibration included), zip {zipBytes / 1e6:F1} MB"));
            results.Add(new Figure("identify", $"{size} items: queries/s, batch Transform (embed + search)", batchRate, "queries/s", engineRate, "PredictionEngine", Note: $"{Queries} queries in one Transform"));
            results.Add(new Figure("identify", $"{size} items: queries/s, gallery head alone (batch)", headRate, "queries/s", indexRate, "SimilarityIndex.Search", Note: $"top-{K} ids equal the index's for {same}/{Queries} queries"));
            var faiss = Faiss(vectors, queryEmbeddings, n, d, scratch, ours);
            if (faiss is { } f)
            {
                results.Add(new Figure("identify", $"{size} items: queries/s, gallery head vs faiss IndexFlatL2", headRate, "queries/s", f.Rate, "faiss IndexFlatL2 search", Note: $"top-{K} ids equal faiss's for {f.Same}/{Queries} queries; faiss default OpenMP threads"));
                results.Add(new Figure("identify", $"{size} items: queries/s, gallery head vs faiss (1 thread)", headRate, "queries/s", f.SingleThreadRate, "faiss IndexFlatL2, omp 1 thread", Note: "faiss.omp_set_num_threads(1)"));
            }
            else
                Console.WriteLine("  faiss: python3-faiss is not installed (apt-get install python3-faiss); comparison skipped.");
        }
    }

    private static float[] Gaussian(int rows, int d, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * d];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    private sealed class EmbeddingRow
    {
        public float[] Embedding { get; set; } = [];
    }

    private static IDataView EmbeddingView(MLContext ml, float[] values, int d)
    {
        var schema = SchemaDefinition.Create(typeof(EmbeddingRow));
        schema[nameof(EmbeddingRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, values.Length / d).Select(q => new EmbeddingRow { Embedding = values.AsSpan(q * d, d).ToArray() }), schema);
    }

    private static void Drain(IDataView scored)
    {
        var column = scored.Schema[IdentificationColumns.NeighborIds];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> value = default;
        while (cursor.MoveNext()) getter(ref value);
    }

    private static List<string[]> ReadIds(IDataView scored)
    {
        var column = scored.Schema[IdentificationColumns.NeighborIds];
        var result = new List<string[]>();
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().Select(v => v.ToString()).ToArray());
        }
        return result;
    }

    /// <summary>Runs faiss IndexFlatL2 in /usr/bin/python3 (Debian's python3-faiss) on the same vectors; null when it is not installed.</summary>
    private static (double Rate, double SingleThreadRate, int Same)? Faiss(float[] gallery, float[] queries, int n, int d, string scratch, List<string[]> ours)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return null;
        string g = Path.Combine(scratch, "gallery.f32"), q = Path.Combine(scratch, "queries.f32"), script = Path.Combine(scratch, "faiss_bench.py");
        File.WriteAllBytes(g, System.Runtime.InteropServices.MemoryMarshal.AsBytes(gallery.AsSpan()).ToArray());
        File.WriteAllBytes(q, System.Runtime.InteropServices.MemoryMarshal.AsBytes(queries.AsSpan()).ToArray());
        File.WriteAllText(script, $$"""
            import sys, time
            try:
                import faiss, numpy as np
            except ImportError:
                print("missing"); sys.exit(0)
            d = {{d}}
            g = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, d)
            q = np.fromfile(sys.argv[2], dtype=np.float32).reshape(-1, d)
            index = faiss.IndexFlatL2(d)
            index.add(g)
            index.search(q, {{K}})
            times = []
            for _ in range(3):
                t = time.perf_counter(); _, ids = index.search(q, {{K}}); times.append(time.perf_counter() - t)
            times.sort()
            faiss.omp_set_num_threads(1)
            index.search(q, {{K}})
            single = []
            for _ in range(3):
                t = time.perf_counter(); index.search(q, {{K}}); single.append(time.perf_counter() - t)
            single.sort()
            print(len(q) / times[1], len(q) / single[1])
            for row in ids: print(" ".join(str(i) for i in row))
            """);
        using var process = Process.Start(new ProcessStartInfo(python, $"\"{script}\" \"{g}\" \"{q}\"") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0 || lines.Length == 0 || lines[0].Trim() == "missing") return null;
        var rates = lines[0].Trim().Split(' ');
        double rate = double.Parse(rates[0], CultureInfo.InvariantCulture), single = double.Parse(rates[1], CultureInfo.InvariantCulture);
        int same = 0;
        for (int i = 0; i < ours.Count && i + 1 < lines.Length; i++)
            if (lines[i + 1].Trim().Split(' ').Select(id => "item" + id).SequenceEqual(ours[i])) same++;
        return (rate, single, same);
    }
}
