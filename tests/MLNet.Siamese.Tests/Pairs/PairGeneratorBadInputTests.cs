using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Transforms;
using static MLNet.Siamese.Tests.Pairs.PairTestData;

namespace MLNet.Siamese.Tests.Pairs;

[TestClass]
public sealed class PairGeneratorBadInputTests
{
    private static readonly string[] Carried = ["Features", "ImagePath"];

    [TestMethod]
    public void MissingLabelColumn_ThrowsNamingTheColumn()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var estimator = ml.Siamese().GeneratePairs(labelColumnName: "Character", columnsToPair: Carried, seed: 1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data)), "label column 'Character'", "not found");
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema))),
            "label column 'Character'", "not found");
    }

    [TestMethod]
    public void MissingCarriedColumn_ThrowsNamingTheColumn()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var estimator = ml.Siamese().GeneratePairs(columnsToPair: ["Features", "Pixels"], seed: 1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data)), "'Pixels'", "not found");
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema))),
            "'Pixels'", "not found");

        // A transformer fitted on good data throws the same way on data without the column.
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, seed: 1).Fit(data);
        var other = ml.Data.LoadFromEnumerable(new[] { new PairGeneratorTests.IntLabelRow() });
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => transformer.Transform(other)), "'Features'", "not found");
    }

    [TestMethod]
    public void VectorLabelColumn_ThrowsNamingColumnAndType()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var estimator = ml.Siamese().GeneratePairs(labelColumnName: "Features", columnsToPair: ["ImagePath"], seed: 1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data)), "'Features'", "Vector<Single, 4>");
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema))),
            "'Features'", "Vector<Single>");
    }

    [TestMethod]
    public void EmptyData_ThrowsNoRows()
    {
        var ml = new MLContext(1);
        var data = Load(ml, []);
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, seed: 1).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "no rows");
    }

    [TestMethod]
    public void OnlyMissingLabels_ThrowsNoRowsWithALabel()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("", "G", 4)));
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, seed: 1).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "no rows with a label", "'Label'");
    }

    [TestMethod]
    public void SingleClass_ThrowsFewerThanTwoClasses_UnlessAllPairsAreSimilar()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("only", "G", 5)));
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, seed: 1).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "fewer than two classes", "'only'");

        var similarOnly = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, similarFraction: 1, seed: 1).Fit(data).Transform(data);
        Assert.IsTrue(similarOnly.GetColumn<bool>("Label").All(s => s));
    }

    [TestMethod]
    public void NoClassWithTwoRows_ThrowsForSimilarPairs_UnlessSimilarFractionIsZero()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("a", "G", 1), ("b", "G", 1), ("c", "G", 1)));
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, seed: 1).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "No class", "two or more rows", "SimilarFraction");

        var dissimilarOnly = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, similarFraction: 0, seed: 1).Fit(data).Transform(data);
        Assert.IsTrue(dissimilarOnly.GetColumn<bool>("Label").All(s => !s));
    }

    [TestMethod]
    public void WithinGroupWithNoGroupHoldingTwoLabels_Throws()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("a", "A", 3), ("b", "B", 3), ("c", "C", 3)));
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, seed: 1,
            groupColumnName: "Group", withinGroupDissimilar: true).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "No group", "'Group'", "two or more labels");
    }

    [TestMethod]
    public void WithinGroupWithMissingGroupColumn_ThrowsNamingTheColumn()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var estimator = ml.Siamese().GeneratePairs(columnsToPair: Carried, seed: 1, groupColumnName: "Alphabet", withinGroupDissimilar: true);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data)), "group column 'Alphabet'", "not found");
    }

    [TestMethod]
    public void WithinGroupWithoutGroupColumnName_ThrowsArgumentException()
    {
        var ml = new MLContext(1);
        AssertMessage(Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().GeneratePairs(withinGroupDissimilar: true)), "GroupColumnName");
    }

    [TestMethod]
    public void LabelInTwoGroups_ThrowsNamingLabelAndGroups()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Rows(("a", "A", 3), ("b", "A", 3), ("a", "B", 3)));
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, seed: 1,
            groupColumnName: "Group", withinGroupDissimilar: true).Fit(data);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => transformer.Transform(data)), "Label 'a'", "'A'", "'B'");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-5)]
    public void NonPositivePairCount_ThrowsArgumentOutOfRange(int count)
    {
        var ml = new MLContext(1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().GeneratePairs(pairCount: count)), "PairCount", "greater than 0");
    }

    [TestMethod]
    [DataRow(-0.01)]
    [DataRow(1.01)]
    [DataRow(double.NaN)]
    public void SimilarFractionOutsideZeroToOne_ThrowsArgumentOutOfRange(double fraction)
    {
        var ml = new MLContext(1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().GeneratePairs(similarFraction: fraction)), "SimilarFraction", "[0, 1]");
    }

    [TestMethod]
    public void SamePrefixes_ThrowsTwoOutputColumnsWithOneName()
    {
        var ml = new MLContext(1);
        var options = new PairGeneratorOptions { LeftPrefix = "X", RightPrefix = "X" };
        AssertMessage(Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().GeneratePairs(options)), "two output columns named 'XLabel'");
    }

    [TestMethod]
    public void ColumnListedTwice_ThrowsArgumentException()
    {
        var ml = new MLContext(1);
        AssertMessage(Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().GeneratePairs(columnsToPair: ["Features", "Features"])), "'Features'", "twice");
    }

    [TestMethod]
    public void DateTimeLabel_ThrowsNamingColumnAndType()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new DateRow { When = DateTime.UnixEpoch } });
        var estimator = ml.Siamese().GeneratePairs(labelColumnName: "When", columnsToPair: [], seed: 1);
        AssertMessage(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data)), "'When'", "DateTime");
    }

    public sealed class DateRow
    {
        public DateTime When { get; set; }
    }
}
