using Microsoft.ML;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// PCA whitening as the start of a backbone's head: the map it fits, where it applies, and the held-out classes
/// deciding between it and the identity.
/// </summary>
[TestClass]
public sealed class HeadWhiteningTests
{
    [TestMethod]
    public void FullWhitening_GivesCentredFeaturesOfUnitCovariance()
    {
        const int rows = 4000, dimension = 6;
        var random = new Random(5);
        double[] scales = [2, 1.5, 1.2, 1, 0.8, 0.7];
        var features = new float[rows * dimension];
        for (int r = 0; r < rows; r++)
            for (int d = 0; d < dimension; d++)
                features[r * dimension + d] = (float)(1 + scales[d] * Gaussian(random) + (d > 0 ? 0.3 * features[r * dimension] : 0));   // correlated, off-centre
        var weights = HeadWhitening.Fit(features, rows, dimension, power: 0.5, index: 2);
        var w = weights["2.weight"];
        var b = weights["2.bias"];
        CollectionAssert.AreEqual(new long[] { dimension, dimension }, w.Shape);
        var y = new double[rows * dimension];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < dimension; o++)
            {
                double sum = b.Values[o];
                for (int i = 0; i < dimension; i++) sum += w.Values[o * dimension + i] * features[r * dimension + i];
                y[r * dimension + o] = sum;
            }
        for (int a = 0; a < dimension; a++)
        {
            Assert.AreEqual(0, Enumerable.Range(0, rows).Average(r => y[r * dimension + a]), 1e-3, $"mean of output {a}");
            for (int c = 0; c < dimension; c++)
            {
                double covariance = Enumerable.Range(0, rows).Average(r => y[r * dimension + a] * y[r * dimension + c]);
                Assert.AreEqual(a == c ? 1 : 0, covariance, 0.1, $"covariance ({a}, {c})");   // 1 within the regularization (eigenvalue / (eigenvalue + 1 % of their mean))
            }
        }
        Assert.ThrowsExactly<ArgumentException>(() => HeadWhitening.Fit(features, rows + 1, dimension, 0.5, 2));
    }

    [TestMethod]
    public void OnlyTheBackbonesIdentityHead_IsWhitened()
    {
        Assert.AreEqual(2, HeadWhitening.LinearLayerOf(PretrainedBackbone.ResNet18.Head()));
        Assert.AreEqual(ResNet18Network.PoolingLayerOf(3) + 3, HeadWhitening.LinearLayerOf(ResNet18Network.Create(64, PretrainedBackbone.ResNet18.UpToStage(3).Head(), 3)));
        Assert.AreEqual(-1, HeadWhitening.LinearLayerOf(PretrainedBackbone.ResNet18.Head(embeddingDimension: 64)), "a smaller embedding is no whitening");
        Assert.AreEqual(-1, HeadWhitening.LinearLayerOf(NetworkPresets.Compact(28, 16)));
    }

    [TestMethod]
    public void HeldOutClasses_KeepAWhitenedStartOnlyWhenItBeatsTheIdentityByTheMargin()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.ShortRecipeRun();
        options.SelectBackboneFeatures = false;
        var withMargin = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)).Summary;
        CollectionAssert.AreEqual(PhotosRecipe.WhiteningPowers.ToList(), withMargin.WhiteningValidation.Select(w => w.Key).ToList());
        Assert.AreEqual("MAP@R", withMargin.ValidationMetric);
        double bestWhitened = withMargin.WhiteningValidation.Max(w => w.Value);
        Assert.IsNotNull(withMargin.IdentityValidation);
        Assert.AreEqual(PhotosRecipe.MinimumGain, withMargin.ValidationMinimumGain);
        StringAssert.StartsWith(withMargin.DescribeHeldOutChoice(), "Held-out MAP@R: identity head " + withMargin.IdentityValidation!.Value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) + "; whitened starts power 0.25: ");
        if (withMargin.StartWhitening is { } power)
        {
            Assert.AreEqual(bestWhitened, withMargin.StartValidation!.Value, 1e-12);
            Assert.AreEqual(power, withMargin.WhiteningValidation.MaxBy(w => w.Value).Key);
        }
        else
        {
            Assert.IsLessThanOrEqualTo(withMargin.StartValidation!.Value + PhotosRecipe.MinimumGain, bestWhitened, "kept the identity: no whitening beat it by the margin");
            Assert.AreEqual(withMargin.IdentityValidation!.Value, withMargin.StartValidation!.Value, 1e-12);
        }
        // A margin no start can clear keeps the identity; then the identity's score is the start's.
        options.ValidationMinimumGain = 2;
        var identity = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)).Summary;
        Assert.IsNull(identity.StartWhitening);
        Assert.IsTrue(identity.KeptStart);
        options.HeadWhiteningPowers = null;
        var none = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)).Summary;
        Assert.IsEmpty(none.WhiteningValidation);
        Assert.AreEqual(none.StartValidation!.Value, identity.StartValidation!.Value, 1e-12, "the identity is put back exactly");
        Assert.AreEqual(none.StartValidation!.Value, withMargin.IdentityValidation!.Value, 1e-12, "the identity's score is recorded before any whitened start");
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
