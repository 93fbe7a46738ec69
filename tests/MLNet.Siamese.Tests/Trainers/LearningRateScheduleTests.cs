using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;

namespace MLNet.Siamese.Tests.Trainers;

[TestClass]
public sealed class LearningRateScheduleTests
{
    private static readonly List<GlyphItem> Train = SyntheticGlyphs.Make(20, 8, seed: 11, prefix: "train");

    private static SiameseTrainerOptions Small(LearningRateSchedule schedule, int iterations = 12)
    {
        var options = SmallRuns.Options(iterations);
        options.LearningRateSchedule = schedule;
        return options;
    }

    [TestMethod]
    public void CosineStartsAtTheBaseRateHalvesMidWayAndEndsAtZero()
    {
        Assert.AreEqual(0.01, LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, 0, 100), 1e-15);
        Assert.AreEqual(0.005, LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, 50, 100), 1e-15);
        Assert.AreEqual(0.01 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, 25, 100), 1e-15);
        Assert.AreEqual(0.0, LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, 100, 100), 1e-15);
        // Past the end (or before the start) the rate is clamped, never negative or above the base.
        Assert.AreEqual(0.0, LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, 150, 100), 1e-15);
        Assert.AreEqual(0.01, LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, -5, 100), 1e-15);
        for (int i = 0; i < 100; i++)
            Assert.IsLessThanOrEqualTo(LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, i, 100), LearningRateSchedules.At(LearningRateSchedule.Cosine, 0.01, i + 1, 100), $"non-increasing at {i}");
    }

    [TestMethod]
    public void ConstantIsTheBaseRateAtEveryIteration()
    {
        foreach (int i in new[] { 0, 1, 50, 99, 100 })
            Assert.AreEqual(0.003, LearningRateSchedules.At(LearningRateSchedule.Constant, 0.003, i, 100));
    }

    [TestMethod]
    public void AnUndefinedScheduleIsRefusedByNameBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        var options = Small((LearningRateSchedule)42);
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train)));
        Assert.AreEqual(nameof(SiameseTrainerOptions.LearningRateSchedule), ex.ParamName);
    }

    [TestMethod]
    public void CosineChangesTheStepsAfterTheFirstAndTheFirstStepIsTheSame()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticGlyphs.Load(ml, Train);
        var constant = ml.Siamese().Train(Small(LearningRateSchedule.Constant)).Fit(data).Summary.LossHistory;
        var cosine = ml.Siamese().Train(Small(LearningRateSchedule.Cosine)).Fit(data).Summary.LossHistory;
        // Step 1 runs at the base rate in both, so the loss of step 2 (after one equal update) is equal too; from the
        // second update on the cosine rate is lower, so later losses differ.
        Assert.AreEqual(constant[0], cosine[0]);
        Assert.AreEqual(constant[1], cosine[1]);
        Assert.IsTrue(constant.Skip(3).Zip(cosine.Skip(3)).Any(z => z.First != z.Second), "the schedule changed the later steps");
    }

    [TestMethod]
    public void ACosineRunResumedFromItsCheckpointFollowsTheSameSchedule()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(seed: 1);
            var data = SyntheticGlyphs.Load(ml, Train);
            var full = Small(LearningRateSchedule.Cosine);
            full.CheckpointDirectory = dir;
            full.CheckpointInterval = 6;
            var uninterrupted = ml.Siamese().Train(full).Fit(data);
            var resumedOptions = Small(LearningRateSchedule.Cosine);
            resumedOptions.ResumeFrom = Path.Combine(dir, TrainingCheckpoint.FileName(6));
            var resumed = ml.Siamese().Train(resumedOptions).Fit(data);
            CollectionAssert.AreEqual(uninterrupted.Summary.LossHistory.ToArray(), resumed.Summary.LossHistory.ToArray());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
