using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Scoring;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Scoring one loaded pair scorer from 8 threads x 2,000 pairs with <see cref="ConcurrentScorer{TInput, TOutput}"/>
/// gives exactly the single-threaded scores, and the model still scores afterwards (no engine disposed it).
/// </summary>
[TestClass]
public sealed class ConcurrentScoringTests
{
    private const int Threads = 8;
    private const int Pairs = 2_000;

    [TestMethod]
    public void EightThreadsScoreExactlyAsOneThread()
    {
        using var folder = new TempFolder();
        string images = SyntheticIdx.Write(folder.Path, classes: 6, perClass: 10);
        string model = folder.Combine("model.zip");
        CliRunner.Run("train", "--data", images, "--iterations", "4", "--batch", "8", "--embedding-dim", "8", "--seed", "3", "--out", model).AssertSuccess();

        var ml = new MLContext(seed: 1) { TempFilePath = folder.Combine("ml-temp") };
        Directory.CreateDirectory(ml.TempFilePath);
        ITransformer scorer = SiameseModelFile.Load(ml, model, out _);
        IdxImages idx = IdxReader.ReadImages(images);
        int size = idx.PixelsPerImage;
        float[] Row(int i) => idx.GetImage(i).ToArray().Select(b => b / 255f).ToArray();
        var random = new Random(7);
        var pairs = Enumerable.Range(0, Pairs).Select(_ => new FeaturePair { LeftFeatures = Row(random.Next(idx.Count)), RightFeatures = Row(random.Next(idx.Count)) }).ToArray();
        var schema = SchemaDefinition.Create(typeof(FeaturePair));
        schema[nameof(FeaturePair.LeftFeatures)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        schema[nameof(FeaturePair.RightFeatures)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);

        var single = new ConcurrentScorer<FeaturePair, ScoredPair>(ml, scorer, schema);
        var expected = pairs.Select(p => single.Predict(p)).Select(s => (s.Score[0], s.Distance[0])).ToArray();

        var shared = new ConcurrentScorer<FeaturePair, ScoredPair>(ml, scorer, schema);
        var results = new (float, float)[Threads][];
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var mine = new (float, float)[Pairs];
            // Each thread walks the pairs from a different start, so the threads score different pairs at the same time.
            for (int k = 0; k < Pairs; k++)
            {
                int i = (k + t * Pairs / Threads) % Pairs;
                var s = shared.Predict(pairs[i]);
                mine[i] = (s.Score[0], s.Distance[0]);
            }
            results[t] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (int t = 0; t < Threads; t++)
            CollectionAssert.AreEqual(expected, results[t], $"thread {t} scored differently from the single-threaded run");
        Assert.AreEqual(expected[0], (single.Predict(pairs[0]).Score[0], single.Predict(pairs[0]).Distance[0]), "the model still scores");
        Assert.IsTrue(expected.Select(e => e.Item1).Distinct().Count() > 1, "the pairs do not all score alike");

        (scorer as IDisposable)?.Dispose();
        Assert.AreEqual(ml.TempFilePath, folder.Combine("ml-temp"), "the load put the context's temporary path back");
        var copies = Directory.GetFiles(ml.TempFilePath, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != ".owner").ToArray();
        Assert.IsEmpty(copies, "disposing the model deletes ML.NET's temporary ONNX copy: " + string.Join(", ", copies));
    }

    private sealed class FeaturePair
    {
        public float[] LeftFeatures { get; set; } = [];
        public float[] RightFeatures { get; set; } = [];
    }

    private sealed class ScoredPair
    {
        public float[] Score { get; set; } = [];
        public float[] Distance { get; set; } = [];
    }
}
