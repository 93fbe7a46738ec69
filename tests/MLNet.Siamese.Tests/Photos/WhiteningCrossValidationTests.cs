using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// Cross-validation of the whitened starts over the training part's classes
/// (<see cref="SiameseTrainerOptions.WhiteningCrossValidationFolds"/>): the gains it measures, when it declines, and
/// the trainer's decision from the folds and the held-out classes together.
/// </summary>
[TestClass]
public sealed class WhiteningCrossValidationTests
{
    /// <summary>
    /// Twelve classes whose means differ along all eight dimensions by a little, while every item also varies a lot
    /// along the first: ranked as they are, the first dimension's noise hides the classes; whitened within classes, it
    /// is evened out.
    /// </summary>
    private static (float[] Features, int[] ClassOfItem) NoisyAlongOneDirection(int classes = 12, int perClass = 20, int dimension = 8)
    {
        var random = new Random(3);
        var means = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, dimension).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
        var features = new float[classes * perClass * dimension];
        var classOfItem = new int[classes * perClass];
        for (int i = 0; i < classOfItem.Length; i++)
        {
            int c = classOfItem[i] = i % classes;
            for (int d = 0; d < dimension; d++)
                features[i * dimension + d] = (float)(3 + means[c][d] + (d == 0 ? 4.0 : 0.05) * (random.NextDouble() - 0.5));
        }
        return (features, classOfItem);
    }

    [TestMethod]
    public void WithinClassWhitening_GainsInEveryFold_WhereOneDirectionHoldsTheNoise()
    {
        var (features, classOfItem) = NoisyAlongOneDirection();
        WhitenedStart[] candidates = [new(WhiteningKind.WithinClass, 0.5), new(WhiteningKind.Pca, 0.5)];

        var gains = WhiteningCrossValidation.FoldGains(features, classOfItem, classOfItem.Length, 8, candidates, folds: 5, seed: 1)!;

        Assert.HasCount(2, gains);
        Assert.HasCount(5, gains[0], "twelve classes make five folds of two or three");
        foreach (double gain in gains[0])
            Assert.IsGreaterThan(0.2, gain, "within-class whitening evens out the noisy direction");
        CollectionAssert.AreEqual(gains[0], WhiteningCrossValidation.FoldGains(features, classOfItem, classOfItem.Length, 8, candidates, 5, 1)![0], "the same seed deals the same folds");
    }

    [TestMethod]
    public void FewClasses_MakeFewerFolds_AndUnderFourNone()
    {
        var (features, classOfItem) = NoisyAlongOneDirection(classes: 5);
        WhitenedStart[] candidates = [new(WhiteningKind.WithinClass, 0.25)];
        Assert.HasCount(2, WhiteningCrossValidation.FoldGains(features, classOfItem, classOfItem.Length, 8, candidates, folds: 5, seed: 1)![0], "five classes: two folds of at least two");
        var (three, threeClasses) = NoisyAlongOneDirection(classes: 3);
        Assert.IsNull(WhiteningCrossValidation.FoldGains(three, threeClasses, threeClasses.Length, 8, candidates, folds: 5, seed: 1), "three classes cannot make two folds of two");
    }

    [TestMethod]
    public void GainsArePositiveWithConfidence_OnlyWhenTheirSpreadAllowsIt()
    {
        Assert.IsTrue(WhiteningCrossValidation.SurelyPositive([0.0042, 0.0122, 0.0146, 0.0186, 0.0001, 0.0053]), "Caltech-101's within-class 0.25: lower bound about +0.003");
        Assert.AreEqual(0.00917 - 2.015 * 0.00706 / Math.Sqrt(6), WhiteningCrossValidation.LowerBound([0.0042, 0.0122, 0.0146, 0.0186, 0.0001, 0.0053]), 1e-4);
        Assert.IsFalse(WhiteningCrossValidation.SurelyPositive([0.05, -0.04, 0.03]), "a positive mean with a wide spread");
        Assert.IsFalse(WhiteningCrossValidation.SurelyPositive([0.2]), "one gain has no spread to measure");
        Assert.IsFalse(WhiteningCrossValidation.SurelyPositive([-0.01, -0.02, -0.03]));
        Assert.AreEqual(6.314, WhiteningCrossValidation.StudentT95(1));
        Assert.AreEqual(1.697, WhiteningCrossValidation.StudentT95(30), 0.005, "the approximation past the table");
    }

    [TestMethod]
    public void Trainer_KeepsTheBestStartWhoseGainsOverFoldsAndHeldOutClassesAreSurelyPositive()
    {
        var entries = PhotoBackboneTests.PhotoSet(classes: 8, perClass: 5);
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.ShortRecipeRun();
        options.SelectBackboneFeatures = false;
        var summary = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)).Summary;

        Assert.AreEqual(PhotosRecipe.WhiteningFolds, options.WhiteningCrossValidationFolds);
        CollectionAssert.AreEqual(summary.WhiteningValidation.Select(w => w.Key).ToList(), summary.WhiteningFoldGains.Select(f => f.Key).ToList(), "every start tried is cross-validated");
        foreach (var (_, gains) in summary.WhiteningFoldGains)
            Assert.HasCount(3, gains, "six training classes (two of eight held out) make three folds");
        var starts = summary.WhiteningValidation.Zip(summary.WhiteningFoldGains)
            .Select(p => (Start: p.First.Key, Gains: p.Second.Value.Where(double.IsFinite).Append(p.First.Value - summary.IdentityValidation!.Value).ToList()))
            .Where(p => WhiteningCrossValidation.SurelyPositive(p.Gains)).ToList();
        Assert.AreEqual(starts.Count == 0 ? null : starts.MaxBy(p => p.Gains.Average()).Start, summary.StartWhitening, summary.DescribeHeldOutChoice());
        StringAssert.Contains(summary.DescribeHeldOutChoice(), "folds of the training classes");

        options.WhiteningCrossValidationFolds = -1;
        Assert.AreEqual(nameof(SiameseTrainerOptions.WhiteningCrossValidationFolds),
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries))).ParamName);
    }
}
