using MLNet.Siamese.Losses;
using System.IO.Compression;
using Microsoft.ML;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Saved ML.NET model zips of a pair scorer: damaged ones are refused (or, where ML.NET cannot tell, the outcome is
/// recorded), and one loaded model scores identically from many threads.
/// </summary>
[TestClass]
public sealed class ModelFileTests
{
    private static byte[] _zip = [];
    private static List<GlyphPair> _pairs = [];
    private static float[] _expected = [];

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        var ml = new MLContext(1);
        var items = SyntheticGlyphs.Make(6, 5, seed: 8);
        var model = ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            Network = NetworkPresets.Compact(28, 8),
            Iterations = 5,
            BatchSize = 16,
            LearningRate = 1e-3f,
            Seed = 2,
            Device = SiameseDevice.Cpu,
            CalibrationPairs = 50,
        }).Fit(SyntheticGlyphs.Load(ml, items));
        using var stream = new MemoryStream();
        ml.Model.Save(model.PairScorer, null, stream);
        _zip = stream.ToArray();
        _pairs = SyntheticGlyphs.Pairs(SyntheticGlyphs.Make(4, 4, seed: 9), 64, seed: 10).Select(p => p.Pair).ToList();
        _expected = Scores(ml, ml.Model.Load(new MemoryStream(_zip), out DataViewSchema _));
    }

    private static float[] Scores(MLContext ml, ITransformer model) =>
        ml.Data.CreateEnumerable<PairPrediction>(model.Transform(ml.Data.LoadFromEnumerable(_pairs)), reuseRowObject: false)
            .SelectMany(p => new[] { p.Score, p.Distance }).ToArray();

    /// <summary>Whether every entry of the zip decompresses to its declared CRC-32 (what ML.NET does not check).</summary>
    internal static bool EntryCrcsMatch(byte[] zip)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                var crc = new System.IO.Hashing.Crc32();
                using var stream = entry.Open();
                var buffer = new byte[81920];
                int n;
                while ((n = stream.Read(buffer)) > 0) crc.Append(buffer.AsSpan(0, n));
                if (crc.GetCurrentHashAsUInt32() != entry.Crc32) return false;
            }
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return false;
        }
    }

    [TestMethod]
    public void ATruncatedModelZipIsRefused()
    {
        var ml = new MLContext(1);
        foreach (int length in new[] { 0, 10, _zip.Length / 2, _zip.Length - 1 })
        {
            var e = Assert.Throws<Exception>(() => ml.Model.Load(new MemoryStream(_zip[..length]), out _), $"{length} bytes");
            TestContext.WriteLine($"cut to {length} bytes: {e.GetType().Name}: {e.Message}");
        }
    }

    [TestMethod]
    public void FuzzedModelZips_AreRefusedOrRecorded()
    {
        var ml = new MLContext(1);
        var outcomes = new Dictionary<string, int>();
        void Count(string key) => outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        int done = Mutations.Loop(_zip, seed: 17, count: 200, TimeSpan.FromSeconds(10), (bytes, what) =>
        {
            ITransformer model;
            try
            {
                model = ml.Model.Load(new MemoryStream(bytes), out _);
            }
            catch (Exception e)
            {
                Assert.IsTrue(e is InvalidOperationException or FormatException or IOException or InvalidDataException or ArgumentException
                    or System.Reflection.TargetInvocationException, $"{what}: {e.GetType().Name}: {e.Message}");
                Count("load: " + e.GetType().Name);
                return;
            }
            try
            {
                var scores = Scores(ml, model);
                bool same = scores.SequenceEqual(_expected);
                string crc = EntryCrcsMatch(bytes) ? "entry CRC-32s all match" : "an entry's CRC-32 does not match";
                Count(same ? "loaded, same scores" : $"loaded, DIFFERENT scores ({crc})");
                if (!same) TestContext.WriteLine($"different scores after {what}: {crc}");
                // ML.NET does not check entry CRC-32s; every silent change of scores must be one that such a check catches.
                Assert.IsTrue(same || !EntryCrcsMatch(bytes), $"{what}: a model zip with intact CRCs scored differently");
            }
            catch (Exception e)
            {
                Count("score: " + e.GetType().Name);
            }
        });
        foreach (var (k, v) in outcomes.OrderByDescending(p => p.Value)) TestContext.WriteLine($"{v,4} {k}");
        TestContext.WriteLine($"{done} mutated model zips");
    }

    [TestMethod]
    public void ATamperedModelZipWithRecomputedCrcsLoadsSilently_ThereIsNoIntegrityCheck()
    {
        // Characterises ML.NET: a model zip has no hash or signature, so whoever can rewrite it can change the model.
        var ml = new MLContext(1);
        byte[] tampered = [];
        float[] scores = [];
        for (int shift = 0; shift < 64 && scores.Length == 0; shift++)
        {
            using var memory = new MemoryStream();
            memory.Write(_zip);
            using (var archive = new ZipArchive(memory, ZipArchiveMode.Update, leaveOpen: true))
            {
                var onnx = archive.Entries.OrderByDescending(e => e.Length).First();
                byte[] content;
                using (var read = onnx.Open())
                using (var copy = new MemoryStream())
                {
                    read.CopyTo(copy);
                    content = copy.ToArray();
                }
                content[content.Length / 2 + 4 * shift + 3] ^= 0x20; // an exponent bit of a weight, if it lands in one
                string name = onnx.FullName;
                onnx.Delete();
                using var write = archive.CreateEntry(name).Open();
                write.Write(content);
            }
            tampered = memory.ToArray();
            try
            {
                var candidate = Scores(ml, ml.Model.Load(new MemoryStream(tampered), out DataViewSchema _));
                if (!candidate.SequenceEqual(_expected)) scores = candidate;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or InvalidDataException)
            {
            }
        }
        Assert.IsNotEmpty(scores, "some single-bit change of the ONNX weights loads and changes the scores");
        Assert.IsTrue(EntryCrcsMatch(tampered), "the tampered zip is internally consistent: only an outside hash can tell");
        TestContext.WriteLine($"largest score change {scores.Zip(_expected).Max(p => Math.Abs(p.First - p.Second))}");
    }

    [TestMethod]
    public void OneLoadedModelScoresIdenticallyFromManyThreads()
    {
        var ml = new MLContext(1);
        var model = ml.Model.Load(new MemoryStream(_zip), out DataViewSchema _);
        var single = ml.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(model);
        var expected = _pairs.Select(p => single.Predict(p)).Select(p => (p.Score, p.Distance, p.PredictedLabel)).ToArray();
        CollectionAssert.AreEqual(_expected, expected.SelectMany(e => new[] { e.Score, e.Distance }).ToArray(), "engine and batch agree");

        // One PredictionEngine per thread (PredictionEngine is not thread-safe; the model is).
        var results = new (float, float, bool)[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var engine = ml.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(model);
            var mine = new (float, float, bool)[_pairs.Count];
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < _pairs.Count; i++)
                {
                    int k = (i + t * 7) % _pairs.Count; // each thread walks the pairs in its own order
                    var p = engine.Predict(_pairs[k]);
                    mine[k] = (p.Score, p.Distance, p.PredictedLabel);
                }
            results[t] = mine;
        });
        foreach (var r in results) CollectionAssert.AreEqual(expected, r);

        // Batch Transform of the same model from several threads at once.
        var batches = new float[6][];
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, t => batches[t] = Scores(ml, model));
        foreach (var b in batches) CollectionAssert.AreEqual(_expected, b);
    }
}
