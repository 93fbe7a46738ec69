using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Tests.Identification;

/// <summary>
/// The model's impostor distances: measured over every pair of different classes, read back at any rate, turned into
/// the nearest-row distances of an M-row gallery, and carried as one metadata value that refuses to be misread.
/// </summary>
[TestClass]
public sealed class ImpostorDistanceProfileTests
{
    /// <summary>Points on a line: class 0 at 0 and 1, class 1 at 3, class 2 at 10 (1-D embeddings).</summary>
    private static ImpostorDistanceProfile Line()
        => ImpostorDistanceProfile.Measure([0f, 1f, 3f, 10f], 1, [0, 0, 1, 2], heldOutClasses: true)!;

    [TestMethod]
    public void MeasuresEveryPairOfDifferentClassesAndNoPairOfOneClass()
    {
        // Pairs of different classes: 0-3, 0-10, 1-3, 1-10, 3-10 = 3, 10, 2, 9, 7; 0-1 is one class.
        var profile = Line();
        Assert.AreEqual(5L, profile.Pairs);
        Assert.AreEqual(3, profile.Classes);
        Assert.IsTrue(profile.HeldOutClasses);
        Assert.AreEqual(0.2, profile.SmallestRate, 1e-12);
        Assert.AreEqual(2f, profile.Quantile(0.2));   // the nearest pair
        Assert.AreEqual(2f, profile.Quantile(1e-6));  // below what five pairs resolve: still the nearest
        Assert.AreEqual(10f, profile.Quantile(1));
        Assert.AreEqual(10f, profile.Distances[^1]);
    }

    [TestMethod]
    public void OneClassHasNoImpostorPairs()
        => Assert.IsNull(ImpostorDistanceProfile.Measure([0f, 1f, 2f], 1, [4, 4, 4], heldOutClasses: true));

    [TestMethod]
    public void QuantilesMatchTheSortedDistancesAtTheGridAndRiseBetween()
    {
        var distances = Enumerable.Range(1, 10_000).Select(i => (float)i).Reverse().ToArray();
        var profile = ImpostorDistanceProfile.FromDistances(distances, 7, heldOutClasses: false);
        Assert.AreEqual(10_000L, profile.Pairs);
        Assert.AreEqual(81, profile.Probabilities.Count, "20 points a decade over four decades, and the first");
        for (int k = 0; k < profile.Probabilities.Count; k++)
            Assert.AreEqual((float)Math.Max(1, Math.Ceiling(profile.Probabilities[k] * 10_000 - 1e-9)), profile.Distances[k], 1f, $"point {k}");
        Assert.AreEqual(100f, profile.Quantile(0.01), 1f);
        Assert.AreEqual(1f, profile.Quantile(1e-4));
        float previous = 0;
        foreach (double p in new[] { 1e-4, 2e-4, 5e-4, 1e-3, 0.0123, 0.3, 0.999, 1 })
        {
            float q = profile.Quantile(p);
            Assert.IsGreaterThanOrEqualTo(previous, q, $"p = {p}");
            previous = q;
        }
    }

    [TestMethod]
    public void ThePairRateOfAGalleryGivesTheTargetOverItsRows()
    {
        Assert.AreEqual(0.01, ImpostorDistanceProfile.PairRate(0.01, 1), 1e-15);
        double q = ImpostorDistanceProfile.PairRate(0.01, 11);
        Assert.AreEqual(0.01, 1 - Math.Pow(1 - q, 11), 1e-12);
        Assert.AreEqual(9.1330e-4, q, 1e-7);
        Assert.AreEqual(0.0, ImpostorDistanceProfile.PairRate(0, 50));
        Assert.AreEqual(1.0, ImpostorDistanceProfile.PairRate(1, 50));
        Assert.AreEqual(1e-9 / 1000, ImpostorDistanceProfile.PairRate(1e-9, 1000), 1e-20, "no loss of precision for tiny rates");
    }

    [TestMethod]
    public void NearestDistancesOfAGalleryAreRarerThanPairs()
    {
        var profile = ImpostorDistanceProfile.FromDistances(Enumerable.Range(1, 100_000).Select(i => (float)i).ToArray(), 9, true);
        var one = profile.NearestDistances(1, 100);
        var many = profile.NearestDistances(50, 100);
        for (int i = 0; i < 100; i++)
        {
            Assert.AreEqual(profile.Quantile((i + 0.5) / 100), one[i], 1e-3f * one[i], $"one row: the pair quantiles ({i})");
            Assert.IsLessThanOrEqualTo(one[i], many[i], $"point {i}: a 50-row gallery has a nearer impostor row");
            if (i > 0) Assert.IsGreaterThanOrEqualTo(many[i - 1], many[i]);
        }
        // The first of two points (the quarter) of 50 rows' nearest distances is the pair quantile 1 - 0.75^(1/50).
        Assert.AreEqual(profile.Quantile(1 - Math.Pow(0.75, 1.0 / 50)), profile.NearestDistances(50, 2)[0], 1e-3f * many[50]);
    }

    [TestMethod]
    public void TheMetadataValueRoundTrips()
    {
        var profile = ImpostorDistanceProfile.FromDistances(Enumerable.Range(1, 5000).Select(i => i * 0.01f).ToArray(), 12, heldOutClasses: true);
        var read = ImpostorDistanceProfile.FromMetadata(new Dictionary<string, string> { [ImpostorDistanceProfile.MetadataKey] = profile.ToMetadata() });
        Assert.IsNotNull(read);
        Assert.AreEqual(profile.Pairs, read.Pairs);
        Assert.AreEqual(profile.Classes, read.Classes);
        Assert.IsTrue(read.HeldOutClasses);
        CollectionAssert.AreEqual(profile.Probabilities.ToArray(), read.Probabilities.ToArray());
        CollectionAssert.AreEqual(profile.Distances.ToArray(), read.Distances.ToArray());
        Assert.IsFalse(ImpostorDistanceProfile.FromMetadata(new Dictionary<string, string>
            { [ImpostorDistanceProfile.MetadataKey] = ImpostorDistanceProfile.FromDistances([1f, 2f], 0, false).ToMetadata() })!.HeldOutClasses);
    }

    [TestMethod]
    [DataRow("", DisplayName = "empty")]
    [DataRow("10;2;held-out", DisplayName = "three fields")]
    [DataRow("x;2;held-out;0.1:1 1:2", DisplayName = "pairs not a number")]
    [DataRow("0;2;held-out;0.1:1 1:2", DisplayName = "no pairs")]
    [DataRow("10;2;seen;0.1:1 1:2", DisplayName = "unknown source")]
    [DataRow("10;2;held-out;", DisplayName = "no point")]
    [DataRow("10;2;held-out;0.1-1 1:2", DisplayName = "point without colon")]
    [DataRow("10;2;held-out;0:1 1:2", DisplayName = "probability 0")]
    [DataRow("10;2;held-out;0.1:1 1.5:2", DisplayName = "probability over 1")]
    [DataRow("10;2;held-out;0.5:1 0.1:2", DisplayName = "probabilities not ascending")]
    [DataRow("10;2;held-out;0.1:3 1:2", DisplayName = "distances falling")]
    [DataRow("10;2;held-out;0.1:NaN 1:2", DisplayName = "NaN distance")]
    [DataRow("10;2;held-out;0.1:-1 1:2", DisplayName = "negative distance")]
    public void AMalformedValueIsIgnored_TheGalleryThenCalibrates(string value)
        => Assert.IsNull(ImpostorDistanceProfile.FromMetadata(new Dictionary<string, string> { [ImpostorDistanceProfile.MetadataKey] = value }));

    [TestMethod]
    public void NoValueMeansNoProfile()
        => Assert.IsNull(ImpostorDistanceProfile.FromMetadata(new Dictionary<string, string> { ["mlnet_siamese.loss"] = "Contrastive" }));
}
