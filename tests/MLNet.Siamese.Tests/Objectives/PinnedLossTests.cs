using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;
using Microsoft.ML;

namespace MLNet.Siamese.Tests.Objectives;

/// <summary>
/// The loss values of the four original objectives, pinned from the code before the objectives were split into their own
/// types (recorded on an AVX2 CPU with seed 3): moving the loss dispatch, the sampling or the loop must not change a step.
/// LibTorch picks its kernels by CPU (an AVX-512 machine gave the same first losses to 3 ulps and the later ones to 0.3 %),
/// so the first step, computed before any update, is held to <see cref="FirstStepUlps"/> and the later ones, where the
/// optimizer carries the rounding on, to <see cref="LaterStepRelative"/>; the last test shows that a changed schedule
/// falls outside that.
/// </summary>
[TestClass]
public sealed class PinnedLossTests
{
    private static readonly List<GlyphItem> Items = SyntheticGlyphs.Make(12, 6, seed: 21, prefix: "pin", groups: 3);

    private static float[] Losses(Action<SiameseTrainerOptions> configure)
    {
        var ml = new MLContext(seed: 1);
        var options = SmallRuns.Options(iterations: 4);
        options.GroupColumnName = nameof(GlyphItem.Group);
        configure(options);
        return ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Items)).Summary.LossHistory.ToArray();
    }

    /// <summary>The pins of prototypical episodes of 5 ways with the cosine schedule.</summary>
    private static readonly uint[] ScheduledPrototypical = [0x3F8C44A1, 0x3FBF4C05, 0x401216B0, 0x3F02474D];

    /// <summary>How far the first loss may lie from its pin, in units in the last place.</summary>
    private const int FirstStepUlps = 16;

    /// <summary>How far a later loss may lie from its pin, relative to it.</summary>
    private const double LaterStepRelative = 1e-2;

    private static string? Mismatch(uint[] expected, float[] actual)
    {
        if (actual.Length != expected.Length)
            return $"{actual.Length} losses, expected {expected.Length}";
        for (int i = 0; i < expected.Length; i++)
        {
            float pinned = BitConverter.UInt32BitsToSingle(expected[i]);
            bool close = i == 0
                ? Math.Abs((long)BitConverter.SingleToUInt32Bits(actual[i]) - expected[i]) <= FirstStepUlps
                : Math.Abs(actual[i] - pinned) <= LaterStepRelative * Math.Abs(pinned);
            if (!close)
                return $"step {i + 1}: {actual[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)} (0x{BitConverter.SingleToUInt32Bits(actual[i]):X8}), pinned {pinned.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} (0x{expected[i]:X8})";
        }
        return null;
    }

    private static void AssertBits(uint[] expected, float[] actual)
    {
        string? mismatch = Mismatch(expected, actual);
        Assert.IsNull(mismatch, "loss " + mismatch);
    }

    [TestMethod]
    public void Contrastive() => AssertBits([0x4005280E, 0x3FEE8D66, 0x3FF6BC19, 0x3FE79EC5], Losses(o => o.Loss = SiameseLoss.Contrastive));

    [TestMethod]
    public void ContrastiveWithinGroupWithAugmentationAndAveraging() => AssertBits([0x408DBA54, 0x4010F0AF, 0x3FC5D720, 0x40063C18], Losses(o =>
    {
        o.Loss = SiameseLoss.Contrastive;
        o.WithinGroup = true;
        o.Augmentation = new AffineAugmentation();
        o.WeightAveragingDecay = 0.9;
    }));

    [TestMethod]
    public void BinaryCrossEntropyHead() => AssertBits([0x3F465450, 0x3F45EFF6, 0x3F4ACBAD, 0x3F5190AD], Losses(o => o.Loss = SiameseLoss.BinaryCrossEntropy));

    [TestMethod]
    public void TripletBatchHard() => AssertBits([0x3FCAF41D, 0x3FA71064, 0x3F0925CD, 0x3F75ED58], Losses(o => o.Loss = SiameseLoss.Triplet));

    [TestMethod]
    public void TripletPlainWithinGroup() => AssertBits([0x3F068E07, 0x3E620F0A, 0x3E89FA61, 0x3E8FE910], Losses(o =>
    {
        o.Loss = SiameseLoss.Triplet;
        o.BatchHardMining = false;
        o.WithinGroup = true;
    }));

    [TestMethod]
    public void PrototypicalWithinGroup() => AssertBits([0x3FE46389, 0x3F06CDB4, 0x3990FE6B, 0x3F89DFFD], Losses(o =>
    {
        o.Loss = SiameseLoss.Prototypical;
        o.Ways = 3;
        o.Shots = 2;
        o.Queries = 2;
        o.WithinGroup = true;
    }));

    [TestMethod]
    public void PrototypicalWithLearningRateSchedule() => AssertBits(ScheduledPrototypical, Losses(o =>
    {
        o.Loss = SiameseLoss.Prototypical;
        o.Ways = 5;
        o.LearningRateSchedule = LearningRateSchedule.Cosine;
    }));

    [TestMethod]
    public void TheToleranceSeesAChangedSchedule()
    {
        float[] constant = Losses(o =>
        {
            o.Loss = SiameseLoss.Prototypical;
            o.Ways = 5;
        });
        Assert.IsNotNull(Mismatch(ScheduledPrototypical, constant),
            "the run without the cosine schedule lies within the pinned tolerance of the run with it");
    }
}
