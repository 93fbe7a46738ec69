using System.Security.Cryptography;
using System.Text;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>
/// <see cref="SiameseTrainerOptions.WeightAveragingDecay"/>: a moving average of the weights that the trained model gets,
/// written into checkpoints and restored on resume; the training steps themselves do not change.
/// </summary>
[TestClass]
public sealed class WeightAveragingTests
{
    private static readonly List<GlyphItem> Train = SyntheticGlyphs.Make(20, 8, seed: 11, prefix: "train");
    private static readonly List<GlyphItem> Probe = SyntheticGlyphs.Make(4, 2, seed: 12, prefix: "probe");

    private static SiameseTrainerOptions Small(double decay, int iterations = 12)
    {
        var options = SmallRuns.Options(iterations);
        options.WeightAveragingDecay = decay;
        return options;
    }

    private static float[] Embed(MLContext ml, SiameseModel model, GlyphItem item)
        => ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(model).Predict(item).Embedding;

    [TestMethod]
    public void AveragingLeavesTheStepsAloneAndChangesTheModel()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticGlyphs.Load(ml, Train);
        var plain = ml.Siamese().Train(Small(0)).Fit(data);
        var averaged = ml.Siamese().Train(Small(0.9)).Fit(data);
        CollectionAssert.AreEqual(plain.Summary.LossHistory.ToArray(), averaged.Summary.LossHistory.ToArray(), "the same steps");
        var a = Embed(ml, plain, Probe[0]);
        var b = Embed(ml, averaged, Probe[0]);
        Assert.IsGreaterThan(1e-4f, a.Zip(b, (x, y) => Math.Abs(x - y)).Max(), "the averaged model has other weights");
    }

    [TestMethod]
    public void TheModelGetsTheAverageOfTheFormulaWithTheLiveBatchNormStatistics()
    {
        // Two steps with decay 0.5: d1 = min(0.5, 2/11), d2 = min(0.5, 3/12) = 0.25, so the final average is
        // 0.25 * a1 + 0.75 * w2, where a1 is the average after step 1 and w2 the live weights after step 2 (both read
        // from the checkpoints). The model must embed exactly as a network with those weights and w2's batch-norm statistics.
        string dir = TempDir();
        try
        {
            var ml = new MLContext(seed: 1);
            var options = Small(0.5, iterations: 2);
            options.CheckpointDirectory = dir;
            options.CheckpointInterval = 1;
            var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
            var first = TrainingCheckpoint.Load(Path.Combine(dir, TrainingCheckpoint.FileName(1)));
            var second = TrainingCheckpoint.Load(Path.Combine(dir, TrainingCheckpoint.FileName(2)));
            Assert.AreEqual(0.5, second.Header.WeightAveragingDecay);

            using var a1 = Network(options.Network!, first.AveragedNetworkState);
            using var a2 = Network(options.Network!, second.AveragedNetworkState);
            using var w2 = Network(options.Network!, second.NetworkState);
            using (no_grad())
            {
                foreach (var ((p1, p2), live) in a1.parameters().Zip(a2.parameters()).Zip(w2.parameters()))
                    Assert.IsLessThanOrEqualTo(1e-6f, (p2 - (0.25f * p1 + 0.75f * live)).abs().max().item<float>(), "a2 = 0.25 a1 + 0.75 w2");
                foreach (var (avg, live) in a2.parameters().Zip(w2.parameters())) live.copy_(avg);
            }
            w2.eval();
            using var scope = NewDisposeScope();
            var expected = w2.forward(tensor(Probe[1].Features, new long[] { 1, 784 })).data<float>().ToArray();
            var actual = Embed(ml, model, Probe[1]);
            for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-4f, $"embedding value {i}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void AnAveragedRunResumedFromItsCheckpointEndsWithTheUninterruptedModel()
    {
        string dir = TempDir();
        try
        {
            var ml = new MLContext(seed: 1);
            var data = SyntheticGlyphs.Load(ml, Train);
            var full = Small(0.9);
            full.CheckpointDirectory = dir;
            full.CheckpointInterval = 6;
            var uninterrupted = ml.Siamese().Train(full).Fit(data);
            var resumedOptions = Small(0.9);
            resumedOptions.ResumeFrom = Path.Combine(dir, TrainingCheckpoint.FileName(6));
            var resumed = ml.Siamese().Train(resumedOptions).Fit(data);
            CollectionAssert.AreEqual(uninterrupted.Summary.LossHistory.ToArray(), resumed.Summary.LossHistory.ToArray());
            CollectionAssert.AreEqual(Embed(ml, uninterrupted, Probe[2]), Embed(ml, resumed, Probe[2]), "the same averaged weights");

            // Resuming with another averaging setting is refused by name, before any step.
            var other = Small(0);
            other.ResumeFrom = resumedOptions.ResumeFrom;
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(other).Fit(data));
            StringAssert.Contains(ex.Message, "WeightAveragingDecay 0.9");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void BadDecaysAndTheCombinationWithEarlyStoppingAreRefusedByName()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticGlyphs.Load(ml, Train);
        foreach (double bad in new[] { -0.1, 1.0, 1.5, double.NaN, double.PositiveInfinity })
        {
            var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(Small(bad)).Fit(data), bad.ToString());
            Assert.AreEqual(nameof(SiameseTrainerOptions.WeightAveragingDecay), ex.ParamName);
        }
        var both = Small(0.99);
        both.EarlyStoppingPatience = 2;
        var combined = Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().Train(both).Fit(data));
        StringAssert.Contains(combined.Message, "EarlyStoppingPatience");
    }

    [TestMethod]
    public void AVersionOneCheckpointStillReads_WithoutAveragedWeights()
    {
        // Version 1 had four blocks and no averaging setting in its header.
        string dir = TempDir();
        try
        {
            var header = Encoding.UTF8.GetBytes("{\"Iteration\":4,\"TotalIterations\":9,\"Seed\":2,\"Loss\":\"Contrastive\"}");
            using var body = new MemoryStream();
            body.Write("MLNSCKPT"u8);
            body.Write(BitConverter.GetBytes(1));
            foreach (var block in new[] { header, new byte[] { 1, 2 }, Array.Empty<byte>(), new byte[] { 3 } })
            {
                body.Write(BitConverter.GetBytes(block.Length));
                body.Write(block);
            }
            body.Write(SHA256.HashData(body.ToArray()));
            string path = Path.Combine(dir, "old.mlnsckpt");
            File.WriteAllBytes(path, body.ToArray());

            var checkpoint = TrainingCheckpoint.Load(path);
            Assert.AreEqual(4, checkpoint.Header.Iteration);
            Assert.AreEqual(0.0, checkpoint.Header.WeightAveragingDecay);
            CollectionAssert.AreEqual(new byte[] { 1, 2 }, checkpoint.NetworkState);
            CollectionAssert.AreEqual(new byte[] { 3 }, checkpoint.OptimizerState);
            Assert.IsEmpty(checkpoint.AveragedNetworkState);

            // A version from the future is refused with both numbers.
            var future = body.ToArray();
            BitConverter.GetBytes(3).CopyTo(future, 8);
            File.WriteAllBytes(path, future);
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Load(path));
            StringAssert.Contains(ex.Message, "format version 3");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static EmbeddingNetwork Network(NetworkSpec spec, byte[] state)
    {
        var net = new EmbeddingNetwork(spec);
        using var stream = new MemoryStream(state);
        net.load(stream);
        return net;
    }

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
