using MLNet.Siamese.Losses;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// An exploding learning rate: the first non-finite loss stops training at that very iteration, and a checkpoint
/// holding the weights that produced it is set aside rather than offered as "the last good checkpoint".
/// </summary>
[TestClass]
public sealed class NumericFaultTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<(int Iteration, double Loss)> Reports { get; } = new();

        public void Report(TrainingProgress value) => Reports.Add((value.Iteration, value.Loss));
    }

    private static SiameseTrainerOptions Options(string dir, int iterations, float learningRate, string? resume = null, IProgress<TrainingProgress>? progress = null) => new()
    {
        Loss = SiameseLoss.Contrastive,
        WeightAveragingDecay = 0,
        Augmentation = null,
        Network = NetworkPresets.SeedMlp(28, 8),
        Iterations = iterations,
        BatchSize = 16,
        LearningRate = learningRate,
        Seed = 3,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 50,
        CheckpointDirectory = dir,
        CheckpointInterval = 1,
        ProgressInterval = 1,
        Progress = progress,
        ResumeFrom = resume,
        AcceptChangedRunOnResume = true, // these tests resume on purpose with another learning rate
    };

    [TestMethod]
    public void DivergenceIsReportedAtTheFirstNonFiniteStep_AndTheCheckpointOfTheBadWeightsIsSetAside()
    {
        using var folder = new ReliabilityFolder();
        var ml = new MLContext(1);
        var data = SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(5, 4, 1));
        var recorder = new Recorder();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Options(folder.Path, 50, 1e12f, progress: recorder)).Fit(data));
        TestContext.WriteLine(error.Message);
        int reported = int.Parse(Regex.Match(error.Message, @"at iteration (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The reported iteration is the first non-finite step: every earlier one was reported with a finite loss.
        Assert.IsGreaterThanOrEqualTo(2, reported, "the first step, from the initial weights, is finite");
        CollectionAssert.AreEqual(Enumerable.Range(1, reported - 1).ToArray(), recorder.Reports.Select(r => r.Iteration).ToArray());
        Assert.IsTrue(recorder.Reports.All(r => double.IsFinite(r.Loss)));

        // The checkpoint of the previous iteration holds exactly the weights whose loss was non-finite: it is set aside.
        string setAside = folder.Combine(TrainingCheckpoint.FileName(reported - 1) + ".diverged");
        Assert.IsTrue(File.Exists(setAside));
        string? kept = TrainingCheckpoint.FindLatestValid(folder.Path);
        if (kept is null)
            StringAssert.Contains(error.Message, "No checkpoint of weights that gave a finite loss");
        else
            StringAssert.Contains(error.Message, kept);

        // Why: those weights diverge at once even with a tiny learning rate.
        string copy = folder.Combine("bad.mlnsckpt");
        File.Copy(setAside, copy);
        var again = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Options(folder.Combine("again"), reported + 2, 1e-6f, copy)).Fit(data));
        StringAssert.Contains(again.Message, $"at iteration {reported}");
    }

    [TestMethod]
    public void DivergenceLateInARun_KeepsTheLastGoodCheckpointAndNamesIt()
    {
        using var folder = new ReliabilityFolder();
        var ml = new MLContext(1);
        var data = SyntheticGlyphs.Load(ml, SyntheticGlyphs.Make(5, 4, 1));
        // Six good steps with a normal learning rate, a checkpoint after each.
        ml.Siamese().Train(Options(folder.Path, 6, 1e-3f)).Fit(data);
        string good = folder.Combine(TrainingCheckpoint.FileName(6));
        Assert.IsTrue(File.Exists(good));
        byte[] goodBytes = File.ReadAllBytes(good);

        // The same run continued with an exploding learning rate: it diverges after the good checkpoints.
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(Options(folder.Path, 50, 1e12f, resume: good)).Fit(data));
        TestContext.WriteLine(error.Message);
        int reported = int.Parse(Regex.Match(error.Message, @"iteration (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(6, reported, "the divergence comes after the good checkpoint");

        // The newest valid checkpoint is one of finite weights, named in the message; the good one of iteration 6 is
        // intact byte for byte, and the checkpoint of the weights that gave the non-finite loss is set aside.
        string? kept = TrainingCheckpoint.FindLatestValid(folder.Path);
        Assert.IsNotNull(kept);
        StringAssert.Contains(error.Message, kept);
        int keptIteration = TrainingCheckpoint.Load(kept).Header.Iteration;
        Assert.IsLessThan(reported, keptIteration);
        Assert.IsGreaterThanOrEqualTo(6, keptIteration);
        if (File.Exists(good)) CollectionAssert.AreEqual(goodBytes, File.ReadAllBytes(good));
        // A checkpoint was written after every step; one newer than the kept one can only be the set-aside one.
        if (reported - 1 > keptIteration)
            Assert.IsTrue(File.Exists(folder.Combine(TrainingCheckpoint.FileName(reported - 1) + ".diverged")));

        // The kept checkpoint resumes and trains on with a sane learning rate.
        var resumed = ml.Siamese().Train(Options(folder.Combine("resumed"), keptIteration + 3, 1e-3f, resume: kept)).Fit(data);
        Assert.IsTrue(resumed.Summary.LossHistory.All(float.IsFinite));
    }
}
