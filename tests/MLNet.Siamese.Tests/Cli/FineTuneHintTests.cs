using MLNet.Siamese.Cli.Commands;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// After a frozen-backbone run whose held-out classes gained from training, <c>siamese train</c> points at fine-tuning
/// (which reached the narrow-domain target on Omniglot); otherwise it says nothing.
/// </summary>
[TestClass]
public sealed class FineTuneHintTests
{
    private static TrainingSummary Summary(bool keptStart, double? start = 0.394) => new()
    {
        StartValidation = start,
        KeptStart = keptStart,
        ValidationHistory = [new(25, 0.40), new(50, 0.5454), new(75, 0.53)],
    };

    private static SiameseTrainerOptions Photos(int fineTune = 0)
    {
        var options = SiameseRecipes.Photos.CreateOptions();
        options.FineTuneStages = fineTune;
        return options;
    }

    [TestMethod]
    public void AKeptTrainedHeadOnAFrozenBackbone_GetsTheHint_WithItsValidation()
    {
        string? hint = FineTuneHint.For(Photos(), Summary(keptStart: false));
        Assert.IsNotNull(hint);
        StringAssert.Contains(hint, "MAP@R 0.394 -> 0.545");
        StringAssert.Contains(hint, "--fine-tune 1");
        StringAssert.Contains(hint, "--no-augment for drawings");
    }

    [TestMethod]
    public void AKeptWhitenedStart_GetsTheHint_WithItsKindAndPower()
    {
        var summary = new TrainingSummary { StartValidation = 0.52, KeptStart = true, StartWhitening = new(WhiteningKind.WithinClass, 0.25), WhiteningValidation = [new(new(WhiteningKind.Pca, 0.25), 0.47), new(new(WhiteningKind.WithinClass, 0.25), 0.52)] };
        string? hint = FineTuneHint.For(Photos(), summary);
        Assert.IsNotNull(hint);
        StringAssert.Contains(hint, "whitened features (within-class, power 0.25, MAP@R 0.520)");
        StringAssert.Contains(hint, "--fine-tune 1");
        var omniglotLike = new TrainingSummary { StartValidation = 0.52, IdentityValidation = 0.45, ValidationMinimumGain = 0.03, KeptStart = true, StartWhitening = new(WhiteningKind.WithinClass, 0.25) };
        Assert.IsNotNull(FineTuneHint.For(Photos(), omniglotLike), "Omniglot-like: 7 points over the identity held out");
    }

    [TestMethod]
    public void NoHint_ForAWhitenedStartKeptForASmallGainTheFoldsConfirmed()
    {
        // Caltech-101's example: within-class 0.25 held out 0.5948 against the identity's 0.5895, kept on the folds' evidence.
        var summary = new TrainingSummary { StartValidation = 0.5948, IdentityValidation = 0.5895, ValidationMinimumGain = 0.03, KeptStart = true, StartWhitening = new(WhiteningKind.WithinClass, 0.25) };
        Assert.IsNull(FineTuneHint.For(Photos(), summary), "a broad photo domain: fine-tuning measured worse there");
    }

    [TestMethod]
    public void NoHint_WhenTheUntrainedHeadWasKept_WhenFineTuning_OrWithoutABackbone()
    {
        Assert.IsNull(FineTuneHint.For(Photos(), Summary(keptStart: true)), "training did not help: nothing to suggest");
        Assert.IsNull(FineTuneHint.For(Photos(fineTune: 1), Summary(keptStart: false)), "already fine-tuning");
        Assert.IsNull(FineTuneHint.For(SiameseRecipes.General.CreateOptions(), Summary(keptStart: false)), "no backbone");
        Assert.IsNull(FineTuneHint.For(Photos(), Summary(keptStart: false, start: null)), "no validation before training");
    }
}
