using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Transforms;
using static MLNet.Siamese.Tests.Pairs.PairTestData;

namespace MLNet.Siamese.Tests.Pairs;

[TestClass]
public sealed class TripletGeneratorTests
{
    [TestMethod]
    public void TripletsAreValid_AnchorPositiveSameLabelDifferentRows_NegativeOtherLabel()
    {
        var ml = new MLContext(1);
        var rows = Alphabets();
        var data = Load(ml, rows);
        var triplets = ReadTriplets(ml, ml.Siamese().GenerateTriplets(tripletCount: 500, seed: 4).Fit(data).Transform(data));

        Assert.HasCount(500, triplets);
        foreach (var t in triplets)
        {
            int a = (int)t.AnchorFeatures[0], p = (int)t.PositiveFeatures[0], n = (int)t.NegativeFeatures[0];
            Assert.AreEqual(rows[a].Label, t.AnchorLabel);
            Assert.AreEqual(rows[p].Label, t.PositiveLabel);
            Assert.AreEqual(rows[n].Label, t.NegativeLabel);
            Assert.AreEqual(t.AnchorLabel, t.PositiveLabel);
            Assert.AreNotEqual(a, p);
            Assert.AreNotEqual(t.AnchorLabel, t.NegativeLabel);
        }

        // Anchor classes are drawn uniformly: all six classes appear.
        Assert.AreEqual(6, triplets.Select(t => t.AnchorLabel).Distinct().Count());
    }

    [TestMethod]
    public void SchemaHasAnchorPositiveNegativeColumns_AndMatchesGetOutputSchema()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var estimator = ml.Siamese().GenerateTriplets(columnsToCarry: ["Features", "ImagePath"], tripletCount: 10, seed: 1);
        var schema = estimator.Fit(data).Transform(data).Schema;

        CollectionAssert.AreEqual(
            new[] { "AnchorLabel", "PositiveLabel", "NegativeLabel", "AnchorFeatures", "PositiveFeatures", "NegativeFeatures",
                "AnchorImagePath", "PositiveImagePath", "NegativeImagePath" },
            schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(4, ((VectorDataViewType)schema["NegativeFeatures"].Type).Size);
        Assert.AreEqual(TextDataViewType.Instance, schema["PositiveImagePath"].Type);

        var shape = estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema));
        CollectionAssert.AreEqual(schema.Select(c => c.Name).ToArray(), shape.Select(c => c.Name).ToArray());
        Assert.IsTrue(shape.All(c => c.Name.EndsWith("Features", StringComparison.Ordinal) == (c.Kind == SchemaShape.Column.VectorKind.Vector)));
    }

    [TestMethod]
    public void SameSeedGivesSameTriplets_DifferentSeedGivesDifferent()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        List<string> Draw(int seed) => [.. ReadTriplets(ml, ml.Siamese().GenerateTriplets(tripletCount: 100, seed: seed).Fit(data).Transform(data))
            .Select(t => $"{t.AnchorFeatures[0]}/{t.PositiveFeatures[0]}/{t.NegativeFeatures[0]}")];
        CollectionAssert.AreEqual(Draw(1), Draw(1));
        CollectionAssert.AreNotEqual(Draw(1), Draw(2));
    }

    [TestMethod]
    public void WithinGroupNegativesShareTheAnchorsGroup()
    {
        var ml = new MLContext(1);
        var rows = Alphabets();
        var data = Load(ml, rows);
        var triplets = ReadTriplets(ml, ml.Siamese().GenerateTriplets(tripletCount: 300, seed: 2, groupColumnName: "Group", withinGroupNegatives: true)
            .Fit(data).Transform(data));
        foreach (var t in triplets)
        {
            Assert.AreEqual(rows[(int)t.AnchorFeatures[0]].Group, rows[(int)t.NegativeFeatures[0]].Group);
            Assert.AreNotEqual(t.AnchorLabel, t.NegativeLabel);
        }

        // Group C has a single label, so its label is never an anchor.
        Assert.IsFalse(triplets.Any(t => t.AnchorLabel == "c1"));
    }

    [TestMethod]
    public void NoClassWithTwoRows_Throws()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("a", "G", 1), ("b", "G", 1)));
        var transformer = ml.Siamese().GenerateTriplets(seed: 1).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "No class", "two or more rows");
    }

    [TestMethod]
    public void SingleClass_ThrowsFewerThanTwoClasses()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("a", "G", 4)));
        var transformer = ml.Siamese().GenerateTriplets(seed: 1).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "fewer than two classes");
    }

    [TestMethod]
    public void WithinGroupWithNoGroupHoldingTwoLabels_Throws()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("a", "A", 3), ("b", "B", 3)));
        var transformer = ml.Siamese().GenerateTriplets(seed: 1, groupColumnName: "Group", withinGroupNegatives: true).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "No group", "'Group'");
    }

    [TestMethod]
    public void NonPositiveTripletCount_ThrowsArgumentOutOfRange()
    {
        var ml = new MLContext(1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().GenerateTriplets(tripletCount: 0)), "TripletCount");
    }

    [TestMethod]
    public void EmptyData_ThrowsNoRows()
    {
        var ml = new MLContext(1);
        var data = Load(ml, []);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().GenerateTriplets(seed: 1).Fit(data).Transform(data)), "no rows");
    }
}
