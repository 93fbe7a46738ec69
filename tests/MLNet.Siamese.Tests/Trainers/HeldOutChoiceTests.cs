using MLNet.Siamese.Cli.Commands;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>
/// <see cref="TrainingSummary.DescribeHeldOutChoice"/> says, after a run on a backbone, what the held-out classes scored
/// and which head the model is; the progress lines name the validation metric.
/// </summary>
[TestClass]
public sealed class HeldOutChoiceTests
{
    private static TrainingSummary Summary(bool keptStart, WhitenedStart? whitening = null, double start = 0.6764) => new()
    {
        Iterations = 250,
        ValidationMetric = "MAP@R",
        ValidationMinimumGain = 0.03,
        IdentityValidation = 0.6764,
        StartValidation = start,
        StartWhitening = whitening,
        WhiteningValidation = [new(new(WhiteningKind.Pca, 0.25), 0.6972), new(new(WhiteningKind.Pca, 0.5), 0.6903), new(new(WhiteningKind.WithinClass, 0.5), 0.7101)],
        KeptStart = keptStart,
        ValidationHistory = [new(50, 0.6790), new(150, 0.7161), new(250, 0.6806)],
    };

    [TestMethod]
    public void TheKeptIdentityHead_IsNamed_WithEveryScore()
    {
        string text = Summary(keptStart: true).DescribeHeldOutChoice()!;
        Assert.AreEqual("Held-out MAP@R: identity head 0.6764; whitened starts PCA, power 0.25: 0.6972, PCA, power 0.5: 0.6903, within-class, power 0.5: 0.7101; "
            + "training best 0.7161 (iteration 150 of 250); kept the untrained identity head: no whitened start and no trained head gained more than 0.03 over it.", text);
    }

    [TestMethod]
    public void AKeptWhitenedStart_AndAKeptTrainedHead_AreNamed()
    {
        StringAssert.Contains(Summary(keptStart: true, whitening: new(WhiteningKind.Pca, 0.25), start: 0.72).DescribeHeldOutChoice(),
            "kept the whitened start (PCA, power 0.25): it gained more than 0.03 over the identity head, and training did not gain 0.03 over it.");
        StringAssert.Contains(Summary(keptStart: false).DescribeHeldOutChoice(), "kept the trained head: it gained more than 0.03 over the untrained identity head.");
        StringAssert.Contains(Summary(keptStart: false, whitening: new(WhiteningKind.WithinClass, 0.5), start: 0.70).DescribeHeldOutChoice(), "kept the trained head: it gained more than 0.03 over the whitened start (within-class, power 0.5).");
    }

    [TestMethod]
    public void FoldGains_AreShownForEachStart_AndNameTheRule()
    {
        var folds = new TrainingSummary
        {
            Iterations = 125, ValidationMetric = "MAP@R", ValidationMinimumGain = 0.03, IdentityValidation = 0.5895, StartValidation = 0.5948,
            StartWhitening = new(WhiteningKind.WithinClass, 0.25), KeptStart = true, ValidationHistory = [new(25, 0.5953)],
            WhiteningValidation = [new(new(WhiteningKind.Pca, 0.25), 0.5824), new(new(WhiteningKind.WithinClass, 0.25), 0.5948)],
            WhiteningFoldGains = [new(new(WhiteningKind.Pca, 0.25), [-0.0102, -0.0097, double.NaN]), new(new(WhiteningKind.WithinClass, 0.25), [0.0042, 0.0122, 0.0146])],
        };
        Assert.AreEqual("Held-out MAP@R: identity head 0.5895; whitened starts PCA, power 0.25: 0.5824 (-0.0100 over the identity, mean of 2 folds of the training classes), "
            + "within-class, power 0.25: 0.5948 (+0.0103 over the identity, mean of 3 folds of the training classes); training best 0.5953 (iteration 25 of 125); "
            + "kept the whitened start (within-class, power 0.25): its gains over the identity head on the folds and the held-out classes were positive with 95 % confidence, and training did not gain 0.03 over it.",
            folds.DescribeHeldOutChoice());
        StringAssert.Contains(TrainCommand.TrainedSentence(folds, TimeSpan.FromSeconds(1), 1, 0.5), "the model is the whitened start, untrained (the held-out classes and the folds of the training classes preferred it)");

        // train --json lists the same candidates: a fold that could not be fitted is null, not NaN (which JSON has not).
        Assert.AreEqual("[{\"kind\":\"pca\",\"power\":0.25,\"heldOutMapAtR\":0.5824,\"foldGains\":[-0.0102,-0.0097,null]},"
            + "{\"kind\":\"within-class\",\"power\":0.25,\"heldOutMapAtR\":0.5948,\"foldGains\":[0.0042,0.0122,0.0146]}]",
            TrainCommand.WhiteningCandidates(folds).ToJsonString());
        Assert.StartsWith("[{\"kind\":\"pca\",\"power\":0.25,\"heldOutMapAtR\":0.6972,\"foldGains\":[]},",
            TrainCommand.WhiteningCandidates(Summary(keptStart: true)).ToJsonString(), "without folds the gains are empty");
    }

    [TestMethod]
    public void WithoutHeldOutValidation_ThereIsNothingToSay()
        => Assert.IsNull(new TrainingSummary { ValidationHistory = [new(25, 0.9)] }.DescribeHeldOutChoice());

    [TestMethod]
    public void TheTrainedLine_SaysWhenTheModelIsTheUntrainedHead()
    {
        string kept = TrainCommand.TrainedSentence(Summary(keptStart: true), TimeSpan.FromSeconds(6.7), 0.9089, 0.5962);
        StringAssert.StartsWith(kept, "Trained 250 iterations in 6.7 s; final loss 0.9089; the model is the untrained head (the held-out classes preferred it); threshold 0.5962");
        StringAssert.Contains(TrainCommand.TrainedSentence(Summary(keptStart: true, whitening: new(WhiteningKind.Pca, 0.25)), TimeSpan.FromSeconds(1), 1, 0.5), "the model is the whitened start, untrained");
        Assert.DoesNotContain("untrained", TrainCommand.TrainedSentence(Summary(keptStart: false), TimeSpan.FromSeconds(1), 1, 0.5));
    }

    [TestMethod]
    public void TheJsonKindOfTheStart_IsPcaWithinClassOrNull()
    {
        Assert.AreEqual("pca", TrainCommand.WhiteningKindName(new(WhiteningKind.Pca, 0.25)));
        Assert.AreEqual("within-class", TrainCommand.WhiteningKindName(new(WhiteningKind.WithinClass, 0.5)));
        Assert.IsNull(TrainCommand.WhiteningKindName(null), "the identity start has no kind");
    }

    [TestMethod]
    public void TheProgressLine_NamesMapAtR_AndKeepsPairAccuracyAsAPercentage()
    {
        var progress = new TrainingProgress(240, 3000, 0.9198, 10941, TimeSpan.FromSeconds(3), 0.68061);
        StringAssert.EndsWith(TrainProgress.ProgressLine(progress with { ValidationMetric = "MAP@R" }, 60), "validation MAP@R 0.6806");
        StringAssert.EndsWith(TrainProgress.ProgressLine(progress, 60), "validation 68.1 %");
    }
}
