using Microsoft.ML;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Data;
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
        var y = Apply(w, b, features, rows, dimension);
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
    public void WithinClassWhitening_EvensOutTheSpreadInsideClasses_NotBetweenThem()
    {
        const int classes = 40, perClass = 100, dimension = 4, rows = classes * perClass;
        var random = new Random(7);
        double[] spread = [2, 1, 0.5, 0.25];   // within-class standard deviation along each axis
        var means = Enumerable.Range(0, classes * dimension).Select(_ => 3 * Gaussian(random)).ToArray();
        var features = new float[rows * dimension];
        var classOfItem = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            classOfItem[r] = r / perClass;
            for (int d = 0; d < dimension; d++)
                features[r * dimension + d] = (float)(means[classOfItem[r] * dimension + d] + spread[d] * Gaussian(random));
        }
        var weights = HeadWhitening.FitWithinClass(features, classOfItem, rows, dimension, power: 0.5, index: 2)!;
        var y = Apply(weights["2.weight"], weights["2.bias"], features, rows, dimension);
        // Within each class, the output's covariance is whitened: eigenvalue / (eigenvalue + ε · mean eigenvalue) along each
        // eigenvector (the outputs come in the eigenvalues' ascending order).
        double meanEigenvalue = spread.Average(s => s * s);
        var expected = spread.Select(s => s * s / (s * s + HeadWhitening.WithinClassRegularization * meanEigenvalue)).Order().ToArray();
        for (int a = 0; a < dimension; a++)
        {
            Assert.AreEqual(expected[a], WithinClassCovariance(y, classOfItem, rows, dimension, a, a), 0.05, $"within-class variance of output {a}");
            for (int c = a + 1; c < dimension; c++)
                Assert.AreEqual(0, WithinClassCovariance(y, classOfItem, rows, dimension, a, c), 0.05, $"within-class covariance ({a}, {c})");
            Assert.AreEqual(0, Enumerable.Range(0, rows).Average(r => y[r * dimension + a]), 1e-3, $"the output is centred on the mean of all items ({a})");
        }
        // PCA whitening of the same items sees mostly the spread between classes and leaves the within-class spread uneven.
        var pca = HeadWhitening.Fit(features, rows, dimension, power: 0.5, index: 2);
        var z = Apply(pca["2.weight"], pca["2.bias"], features, rows, dimension);
        var pcaWithin = Enumerable.Range(0, dimension).Select(a => WithinClassCovariance(z, classOfItem, rows, dimension, a, a)).ToArray();
        Assert.IsGreaterThan(3, pcaWithin.Max() / pcaWithin.Min(), "PCA whitening leaves the within-class spread uneven");
    }

    [TestMethod]
    public void WithinClassWhitening_OfSingletonClasses_IsNothing_AndMismatchedClassesAreRefused()
    {
        float[] features = [1, 0, 0, 1, 0.6f, 0.8f];
        Assert.IsNull(HeadWhitening.FitWithinClass(features, [0, 1, 2], 3, 2, 0.5, 2), "every class holds one item: no spread within a class");
        Assert.IsNotNull(HeadWhitening.FitWithinClass(features, [0, 0, 1], 3, 2, 0.5, 2), "two different items in one class are enough");
        var ex = Assert.ThrowsExactly<ArgumentException>(() => HeadWhitening.FitWithinClass(features, [0, 1], 3, 2, 0.5, 2));
        StringAssert.Contains(ex.Message, "2 ids for 3 rows");
        Assert.ThrowsExactly<ArgumentException>(() => HeadWhitening.FitWithinClass(features, [0, -1, 1], 3, 2, 0.5, 2));
        Assert.ThrowsExactly<ArgumentException>(() => HeadWhitening.FitWithinClass(features, [0, 0, 1], 4, 2, 0.5, 2));
    }

    [TestMethod]
    public void PowersOutsideZeroToOne_AreRefusedByName_BeforeAnyImageIsRead()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageFolderEntry("missing.png", "a", "") });   // never read: the options are checked first
        foreach (double bad in new[] { -0.25, 1.5, double.NaN })
        {
            var options = SiameseRecipes.Photos.CreateOptions();
            options.HeadWithinClassWhiteningPowers = [0.25, bad];
            var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(data), bad.ToString());
            Assert.AreEqual(nameof(SiameseTrainerOptions.HeadWithinClassWhiteningPowers), ex.ParamName);
            options = SiameseRecipes.Photos.CreateOptions();
            options.HeadWhiteningPowers = [bad];
            Assert.AreEqual(nameof(SiameseTrainerOptions.HeadWhiteningPowers), Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(data)).ParamName);
        }
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
        var data = ml.Data.LoadFromEnumerable(entries);
        using var trained = ml.Siamese().Train(options).Fit(data);
        var withMargin = trained.Summary;
        using (var folder = new TempFolder())
        {
            // The zip says which head it is and why: siamese info reads it back.
            string zip = folder.Combine("photos.zip");
            ml.Model.Save(trained, data.Schema, zip);
            Assert.AreEqual(withMargin.DescribeHeldOutChoice(), ModelFiles.SiameseModelInfo.Read(ml, zip).HeldOutChoice);
        }
        var expected = PhotosRecipe.WhiteningPowers.Select(p => new WhitenedStart(WhiteningKind.Pca, p))
            .Concat(PhotosRecipe.WithinClassWhiteningPowers.Select(p => new WhitenedStart(WhiteningKind.WithinClass, p))).ToList();
        CollectionAssert.AreEqual(expected, withMargin.WhiteningValidation.Select(w => w.Key).ToList(), "PCA powers first, then within-class");
        Assert.AreEqual("MAP@R", withMargin.ValidationMetric);
        double bestWhitened = withMargin.WhiteningValidation.Max(w => w.Value);
        Assert.IsNotNull(withMargin.IdentityValidation);
        Assert.AreEqual(PhotosRecipe.MinimumGain, withMargin.ValidationMinimumGain);
        StringAssert.StartsWith(withMargin.DescribeHeldOutChoice(), "Held-out MAP@R: identity head " + withMargin.IdentityValidation!.Value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) + "; whitened starts PCA, power 0.25: ");
        if (withMargin.StartWhitening is { } whitened)
        {
            Assert.AreEqual(bestWhitened, withMargin.StartValidation!.Value, 1e-12);
            Assert.AreEqual(whitened, withMargin.WhiteningValidation.MaxBy(w => w.Value).Key);
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
        options.HeadWithinClassWhiteningPowers = null;
        var none = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)).Summary;
        Assert.IsEmpty(none.WhiteningValidation);
        Assert.AreEqual(none.StartValidation!.Value, identity.StartValidation!.Value, 1e-12, "the identity is put back exactly");
        Assert.AreEqual(none.StartValidation!.Value, withMargin.IdentityValidation!.Value, 1e-12, "the identity's score is recorded before any whitened start");
    }

    private static double[] Apply(WeightTensor w, WeightTensor b, float[] features, int rows, int dimension)
    {
        var y = new double[rows * dimension];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < dimension; o++)
            {
                double sum = b.Values[o];
                for (int i = 0; i < dimension; i++) sum += w.Values[o * dimension + i] * features[r * dimension + i];
                y[r * dimension + o] = sum;
            }
        return y;
    }

    private static double WithinClassCovariance(double[] y, int[] classOfItem, int rows, int dimension, int a, int c)
    {
        var groups = Enumerable.Range(0, rows).GroupBy(r => classOfItem[r]);
        double sum = 0;
        foreach (var g in groups)
        {
            double ma = g.Average(r => y[r * dimension + a]), mc = g.Average(r => y[r * dimension + c]);
            sum += g.Sum(r => (y[r * dimension + a] - ma) * (y[r * dimension + c] - mc));
        }
        return sum / rows;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
