using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Transforms;
using static MLNet.Siamese.Tests.Pairs.PairTestData;

namespace MLNet.Siamese.Tests.Pairs;

[TestClass]
public sealed class PairGeneratorTests
{
    private static readonly string[] Carried = ["Features", "ImagePath"];

    [TestMethod]
    [DataRow(1000, 0.5)]
    [DataRow(999, 0.5)]
    [DataRow(7, 0.3)]
    [DataRow(10, 0.0)]
    [DataRow(10, 1.0)]
    public void SimilarCountIsExactlyRoundedFraction_AndEveryPairIsValid(int count, double fraction)
    {
        var ml = new MLContext(1);
        var rows = Alphabets();
        var data = Load(ml, rows);
        var pairs = ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: count, similarFraction: fraction, seed: 3)
            .Fit(data).Transform(data));

        Assert.HasCount(count, pairs);
        Assert.AreEqual((int)Math.Round(count * fraction, MidpointRounding.AwayFromZero), pairs.Count(p => p.Label));
        foreach (var p in pairs)
        {
            Assert.AreEqual(rows[p.LeftRow].Label, p.LeftLabel);
            Assert.AreEqual(rows[p.RightRow].Label, p.RightLabel);
            Assert.AreEqual(rows[p.LeftRow].ImagePath, p.LeftImagePath);
            Assert.AreEqual(rows[p.RightRow].ImagePath, p.RightImagePath);
            CollectionAssert.AreEqual(rows[p.LeftRow].Features, p.LeftFeatures);
            if (p.Label)
            {
                Assert.AreEqual(p.LeftLabel, p.RightLabel);
                Assert.AreNotEqual(p.LeftRow, p.RightRow, "a similar pair must be two different rows");
            }
            else
            {
                Assert.AreNotEqual(p.LeftLabel, p.RightLabel);
            }
        }
    }

    [TestMethod]
    public void SameSeedGivesSamePairs_DifferentSeedGivesDifferentPairs()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        List<(int, int, bool)> Draw(int seed) => [.. ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 200, seed: seed)
            .Fit(data).Transform(data)).Select(p => (p.LeftRow, p.RightRow, p.Label))];

        CollectionAssert.AreEqual(Draw(42), Draw(42));
        CollectionAssert.AreNotEqual(Draw(42), Draw(43));

        // The transformer itself is deterministic: two Transforms of the same data give the same pairs.
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 50, seed: 5).Fit(data);
        CollectionAssert.AreEqual(
            ReadPairs(ml, transformer.Transform(data)).Select(p => (p.LeftRow, p.RightRow)).ToList(),
            ReadPairs(ml, transformer.Transform(data)).Select(p => (p.LeftRow, p.RightRow)).ToList());
    }

    [TestMethod]
    public void NullSeedIsDrawnFromTheMLContextSeed()
    {
        List<(int, int)> Draw(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            var data = Load(ml, Alphabets());
            return [.. ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 100).Fit(data).Transform(data))
                .Select(p => (p.LeftRow, p.RightRow))];
        }

        CollectionAssert.AreEqual(Draw(7), Draw(7));
        CollectionAssert.AreNotEqual(Draw(7), Draw(8));
    }

    [TestMethod]
    public void WithinGroupDissimilarPairsStayInsideOneGroup()
    {
        var ml = new MLContext(1);
        var rows = Alphabets();
        var data = Load(ml, rows);
        var pairs = ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 600, seed: 1,
            groupColumnName: "Group", withinGroupDissimilar: true).Fit(data).Transform(data));

        var dissimilar = pairs.Where(p => !p.Label).ToList();
        Assert.HasCount(300, dissimilar);
        foreach (var p in dissimilar)
        {
            Assert.AreNotEqual(p.LeftLabel, p.RightLabel);
            Assert.AreEqual(rows[p.LeftRow].Group, rows[p.RightRow].Group, $"{p.LeftLabel} / {p.RightLabel}");
        }

        // Group C has one label only, so it gives no dissimilar pair; groups A and B both do.
        var groups = dissimilar.Select(p => rows[p.LeftRow].Group).Distinct().Order().ToList();
        CollectionAssert.AreEqual(new[] { "A", "B" }, groups);

        // Without the option, dissimilar pairs do cross groups.
        var free = ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 600, seed: 1).Fit(data).Transform(data));
        Assert.IsTrue(free.Any(p => !p.Label && rows[p.LeftRow].Group != rows[p.RightRow].Group));
    }

    [TestMethod]
    public void OutputSchemaKeepsVectorSizeAndCarriesStrings()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var schema = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, seed: 1).Fit(data).Transform(data).Schema;

        CollectionAssert.AreEqual(
            new[] { "Label", "LeftLabel", "RightLabel", "LeftFeatures", "RightFeatures", "LeftImagePath", "RightImagePath" },
            schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(BooleanDataViewType.Instance, schema["Label"].Type);
        foreach (var name in new[] { "LeftFeatures", "RightFeatures" })
        {
            var vector = (VectorDataViewType)schema[name].Type;
            Assert.AreEqual(NumberDataViewType.Single, vector.ItemType);
            Assert.AreEqual(4, vector.Size);
        }

        Assert.AreEqual(TextDataViewType.Instance, schema["LeftImagePath"].Type);
        Assert.AreEqual(TextDataViewType.Instance, schema["RightLabel"].Type);
    }

    [TestMethod]
    public void PrefixesAndOutputLabelNameAreConfigurable()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var schema = ml.Siamese().GeneratePairs(new PairGeneratorOptions
        {
            ColumnsToPair = ["ImagePath", "Label"],
            LeftPrefix = "A_",
            RightPrefix = "B_",
            OutputLabelColumnName = "Same",
            PairCount = 4,
            Seed = 1,
        }).Fit(data).Transform(data).Schema;

        CollectionAssert.AreEqual(new[] { "Same", "A_Label", "B_Label", "A_ImagePath", "B_ImagePath" }, schema.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void VariableSizeVectorsAreCarried()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 12).Select(i => new VariableRow { Label = $"c{i % 3}", Values = [.. Enumerable.Repeat((float)i, 1 + (i % 4))] }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        Assert.AreEqual(0, ((VectorDataViewType)data.Schema["Values"].Type).Size);

        var pairs = ml.Siamese().GeneratePairs(columnsToPair: ["Values"], pairCount: 40, seed: 2).Fit(data).Transform(data);
        Assert.AreEqual(0, ((VectorDataViewType)pairs.Schema["LeftValues"].Type).Size);
        foreach (var p in ml.Data.CreateEnumerable<VariablePair>(pairs, reuseRowObject: false))
        {
            int left = (int)p.LeftValues[0];
            Assert.HasCount(1 + (left % 4), p.LeftValues);
            Assert.AreEqual($"c{left % 3}", p.LeftLabel);
            Assert.AreEqual($"c{(int)p.RightValues[0] % 3}", p.RightLabel);
        }
    }

    [TestMethod]
    public void ClassesAreSampledUniformly_NotRows()
    {
        // Very unbalanced classes: row-uniform sampling would put about 75% of the pairs in class "big".
        var ml = new MLContext(1);
        var rows = Rows(("big", "G", 300), ("mid", "G", 60), ("small", "G", 20), ("tiny", "G", 3), ("two", "G", 2));
        var data = Load(ml, rows);
        var pairs = ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10_000, seed: 9).Fit(data).Transform(data));
        string[] classes = ["big", "mid", "small", "tiny", "two"];

        // Similar pairs: one class each, expected 5000 / 5 = 1000 per class.
        double similarChi2 = ChiSquare(classes.Select(c => pairs.Count(p => p.Label && p.LeftLabel == c)), 1000);
        // Dissimilar pairs: two classes each, expected 2 * 5000 / 5 = 2000 appearances per class.
        double dissimilarChi2 = ChiSquare(classes.Select(c => pairs.Count(p => !p.Label && (p.LeftLabel == c || p.RightLabel == c))), 2000);

        // 4 degrees of freedom: 30 is far in the tail (p < 1e-5) yet far below what row sampling would give (thousands).
        Assert.IsLessThan(30, similarChi2, $"similar chi2 {similarChi2}");
        Assert.IsLessThan(30, dissimilarChi2, $"dissimilar chi2 {dissimilarChi2}");

        // Within a class, items are uniform too: each of the 300 rows of "big" shows up.
        var bigRows = pairs.Where(p => p.Label && p.LeftLabel == "big").SelectMany(p => new[] { p.LeftRow, p.RightRow }).Distinct().Count();
        Assert.IsGreaterThan(280, bigRows);
    }

    [TestMethod]
    public void EstimatorOutputShapeMatchesTheTransformedSchema()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(Load(ml, Alphabets())).Transform(Load(ml, Alphabets()));
        var estimator = ml.Siamese().GeneratePairs(labelColumnName: "LabelKey", columnsToPair: ["Features", "ImagePath", "Group"], pairCount: 20, seed: 1);

        var shape = estimator.GetOutputSchema(SchemaShapeFactory.FromSchema(data.Schema));
        var actual = SchemaShapeFactory.FromSchema(estimator.Fit(data).Transform(data).Schema);

        Assert.AreEqual(actual.Count, shape.Count);
        for (int i = 0; i < shape.Count; i++)
        {
            Assert.AreEqual(actual[i].Name, shape[i].Name);
            Assert.AreEqual(actual[i].Kind, shape[i].Kind, shape[i].Name);
            Assert.AreEqual(actual[i].ItemType, shape[i].ItemType, shape[i].Name);
            Assert.AreEqual(actual[i].IsKey, shape[i].IsKey, shape[i].Name);
            CollectionAssert.AreEqual(actual[i].Annotations.Select(a => a.Name).ToList(), shape[i].Annotations.Select(a => a.Name).ToList(), shape[i].Name);
        }
    }

    [TestMethod]
    public void SchemaShapeFactoryMatchesMLNetsOwnSchemaShapeCreate()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(Load(ml, Alphabets())).Transform(Load(ml, Alphabets()));
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Public, [typeof(DataViewSchema)]);
        Assert.IsNotNull(create);
        var expected = (SchemaShape)create.Invoke(null, [data.Schema])!;
        var ours = SchemaShapeFactory.FromSchema(data.Schema);
        Assert.AreEqual(expected.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.AreEqual(expected[i].ToString(), ours[i].ToString());
            Assert.AreEqual(Describe(expected[i]), Describe(ours[i]));
        }
    }

    [TestMethod]
    public void KeyLabelKeepsKeyTypeAndKeyValues()
    {
        var ml = new MLContext(1);
        var raw = Load(ml, Alphabets());
        var data = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(raw).Transform(raw);
        var pairs = ml.Siamese().GeneratePairs(labelColumnName: "LabelKey", columnsToPair: ["Label"], pairCount: 100, seed: 1).Fit(data).Transform(data);

        var key = (KeyDataViewType)pairs.Schema["LeftLabelKey"].Type;
        Assert.AreEqual(6UL, key.Count);
        Assert.IsNotNull(pairs.Schema["RightLabelKey"].Annotations.Schema.GetColumnOrNull("KeyValues"));
        foreach (var p in ReadLabels(ml, pairs))
        {
            Assert.AreEqual(p.Same, p.Left == p.Right);
        }
    }

    [TestMethod]
    [DataRow(typeof(IntLabelRow))]
    [DataRow(typeof(BoolLabelRow))]
    [DataRow(typeof(FloatLabelRow))]
    public void IntegerBooleanAndFloatLabelsAreAccepted(Type rowType)
    {
        var ml = new MLContext(1);
        var data = rowType == typeof(IntLabelRow) ? ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new IntLabelRow { Label = i % 4, Id = i }))
            : rowType == typeof(BoolLabelRow) ? ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new BoolLabelRow { Label = i % 2 == 0, Id = i }))
            : ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new FloatLabelRow { Label = i % 3, Id = i }));
        var pairs = ml.Siamese().GeneratePairs(columnsToPair: ["Id"], pairCount: 50, seed: 1).Fit(data).Transform(data);

        Assert.AreEqual(data.Schema["Label"].Type, pairs.Schema["LeftLabel"].Type);
        var same = pairs.GetColumn<bool>("Label").ToArray();
        var left = pairs.GetColumn<int>("LeftId").ToArray();
        var right = pairs.GetColumn<int>("RightId").ToArray();
        Assert.AreEqual(25, same.Count(s => s));
        int classes = rowType == typeof(IntLabelRow) ? 4 : rowType == typeof(BoolLabelRow) ? 2 : 3;
        for (int i = 0; i < same.Length; i++)
        {
            Assert.AreEqual(same[i], left[i] % classes == right[i] % classes);
            Assert.IsTrue(!same[i] || left[i] != right[i]);
        }
    }

    [TestMethod]
    public void RowsWithMissingLabelsAreSkipped()
    {
        var ml = new MLContext(1);
        var rows = Alphabets();
        rows[0].Label = "";
        rows[1].Label = "   ";
        var data = Load(ml, rows);
        var pairs = ReadPairs(ml, ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 2000, seed: 1).Fit(data).Transform(data));
        Assert.IsFalse(pairs.Any(p => p.LeftRow is 0 or 1 || p.RightRow is 0 or 1));
        Assert.IsFalse(pairs.Any(p => string.IsNullOrWhiteSpace(p.LeftLabel) || string.IsNullOrWhiteSpace(p.RightLabel)));

        var floats = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 12).Select(i => new FloatLabelRow { Label = i < 3 ? float.NaN : i % 2, Id = i }));
        var ids = ml.Siamese().GeneratePairs(columnsToPair: ["Id"], pairCount: 500, seed: 1).Fit(floats).Transform(floats);
        Assert.IsFalse(ids.GetColumn<int>("LeftId").Concat(ids.GetColumn<int>("RightId")).Any(id => id < 3));
    }

    [TestMethod]
    public void PairGeneratorChainsWithOtherEstimators()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var pipeline = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 30, seed: 1)
            .Append(ml.Transforms.Concatenate("Both", "LeftFeatures", "RightFeatures"));
        var output = pipeline.Fit(data).Transform(data);
        Assert.AreEqual(8, ((VectorDataViewType)output.Schema["Both"].Type).Size);
        Assert.AreEqual(30L, output.GetRowCount());
        Assert.HasCount(30, output.GetColumn<float[]>("Both").ToList());
    }

    [TestMethod]
    public void TransformerIsNotRowToRow()
    {
        var ml = new MLContext(1);
        var data = Load(ml, Alphabets());
        var transformer = ml.Siamese().GeneratePairs(columnsToPair: Carried, pairCount: 10, seed: 1).Fit(data);
        Assert.IsFalse(((ITransformer)transformer).IsRowToRowMapper);
        var e = Assert.ThrowsExactly<NotSupportedException>(() => transformer.GetRowToRowMapper(data.Schema));
        AssertMessage(e, "training-time");
        Assert.AreEqual(1, transformer.Seed);
        Assert.AreEqual(5, transformer.SimilarPairCount);
    }

    private static List<(bool Same, uint Left, uint Right)> ReadLabels(MLContext ml, IDataView pairs)
    {
        var same = pairs.GetColumn<bool>("Label").ToArray();
        var left = pairs.GetColumn<uint>("LeftLabelKey").ToArray();
        var right = pairs.GetColumn<uint>("RightLabelKey").ToArray();
        return [.. same.Select((s, i) => (s, left[i], right[i]))];
    }

    private static string Describe(SchemaShape.Column c)
        => $"{c.Name} {c.Kind} {c.ItemType} {c.IsKey} [{string.Join(", ", c.Annotations.Select(a => $"{a.Name} {a.Kind} {a.ItemType} {a.IsKey}"))}]";

    private static double ChiSquare(IEnumerable<int> observed, double expected)
        => observed.Sum(o => (o - expected) * (o - expected) / expected);

    public sealed class VariableRow
    {
        public string Label { get; set; } = "";

        public float[] Values { get; set; } = [];
    }

    public sealed class VariablePair
    {
        public string LeftLabel { get; set; } = "";

        public string RightLabel { get; set; } = "";

        public float[] LeftValues { get; set; } = [];

        public float[] RightValues { get; set; } = [];
    }

    public sealed class IntLabelRow
    {
        public int Label { get; set; }

        public int Id { get; set; }
    }

    public sealed class BoolLabelRow
    {
        public bool Label { get; set; }

        public int Id { get; set; }
    }

    public sealed class FloatLabelRow
    {
        public float Label { get; set; }

        public int Id { get; set; }
    }
}
