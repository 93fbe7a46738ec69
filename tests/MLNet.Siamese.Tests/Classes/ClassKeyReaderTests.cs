using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Tests.Classes;

/// <summary>
/// The one label reader: every accepted label type gives the same culture-invariant class identities, missing values
/// read as null, and a type that cannot hold classes is refused naming the column, for the generators, the trainer and
/// the evaluators alike.
/// </summary>
[TestClass]
public sealed class ClassKeyReaderTests
{
    private sealed class Row<T>
    {
        public T Label { get; set; } = default!;
    }

    private sealed class KeyRow
    {
        [KeyType(10)]
        public uint Label { get; set; }
    }

    private sealed class ByteKeyRow
    {
        [KeyType(10)]
        public byte Label { get; set; }
    }

    private sealed class VectorRow
    {
        [VectorType(2)]
        public float[] Label { get; set; } = [0f, 1f];
    }

    private static string?[] Read<T>(params T[] values)
    {
        var ml = new MLContext(1);
        return ClassKeyReader.ReadAll(ml.Data.LoadFromEnumerable(values.Select(v => new Row<T> { Label = v })), "Label", "label", "test", "data");
    }

    [TestMethod]
    public void TextIsReadAsItIsAndBlankTextIsMissing() =>
        CollectionAssert.AreEqual(new[] { "a", "B c", null, null }, Read("a", "B c", "", "  "));

    [TestMethod]
    public void KeysAreTheirIndexAndKeyZeroIsMissing()
    {
        var ml = new MLContext(1);
        // LoadFromEnumerable stores the 0-based index v of a [KeyType(10)] property as key v + 1 and an out-of-range one as 0 (missing).
        var keys = ml.Data.LoadFromEnumerable(new[] { 2u, 10u, 9u }.Select(v => new KeyRow { Label = v }));
        CollectionAssert.AreEqual(new[] { "3", null, "10" }, ClassKeyReader.ReadAll(keys, "Label", "label", "test", "data"));
        var byteKeys = ml.Data.LoadFromEnumerable(new byte[] { 0, 10 }.Select(v => new ByteKeyRow { Label = v }));
        CollectionAssert.AreEqual(new[] { "1", null }, ClassKeyReader.ReadAll(byteKeys, "Label", "label", "test", "data"));
    }

    [TestMethod]
    public void BooleansAreTrueAndFalse() => CollectionAssert.AreEqual(new[] { "True", "False" }, Read(true, false));

    [TestMethod]
    public void EveryIntegerTypeIsReadInInvariantDigits()
    {
        CollectionAssert.AreEqual(new[] { "-3", "7" }, Read<sbyte>(-3, 7));
        CollectionAssert.AreEqual(new[] { "0", "255" }, Read<byte>(0, 255));
        CollectionAssert.AreEqual(new[] { "-300", "2" }, Read<short>(-300, 2));
        CollectionAssert.AreEqual(new[] { "65535" }, Read<ushort>(65535));
        CollectionAssert.AreEqual(new[] { "-1234567", "0" }, Read(-1234567, 0));
        CollectionAssert.AreEqual(new[] { "4000000000" }, Read(4_000_000_000u));
        CollectionAssert.AreEqual(new[] { "-9000000000" }, Read(-9_000_000_000L));
        CollectionAssert.AreEqual(new[] { "18000000000000000000" }, Read(18_000_000_000_000_000_000UL));
    }

    [TestMethod]
    public void FloatingPointIsRoundTripAndNaNIsMissing()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            CollectionAssert.AreEqual(new[] { "1.5", null, "-2" }, Read(1.5f, float.NaN, -2f));
            CollectionAssert.AreEqual(new[] { "0.1", null }, Read(0.1, double.NaN));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [TestMethod]
    public void AVectorColumnIsRefusedNamingTheColumnRoleAndComponent()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new VectorRow() });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ClassKeyReader.ReadAll(data, "Label", "group", "pair generator", "data"));
        StringAssert.Contains(e.Message, "group column 'Label'");
        StringAssert.Contains(e.Message, "pair generator");
        StringAssert.Contains(e.Message, ClassKeyReader.AcceptedTypes);
    }

    private sealed class EmbeddedRow<T>
    {
        [VectorType(2)]
        public float[] Embedding { get; set; } = [0f, 1f];

        public T Label { get; set; } = default!;
    }

    [TestMethod]
    public void TheEvaluatorsUseTheSameReaderAndRefuseMissingLabelsNamingTheRow()
    {
        var ml = new MLContext(1);
        var blank = ml.Data.LoadFromEnumerable(new[] { new EmbeddedRow<string> { Label = "a" }, new EmbeddedRow<string> { Label = " " } });
        var missing = Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().EvaluateRetrieval(blank));
        StringAssert.Contains(missing.Message, "Row 1");
        StringAssert.Contains(missing.Message, "'Label'");
        var vectors = ml.Data.LoadFromEnumerable(new[] { new EmbeddedRow<float[]> { Label = [1f, 2f] } });
        var wrong = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().EvaluateRetrieval(vectors));
        StringAssert.Contains(wrong.Message, "label column 'Label'");
        Assert.AreEqual("labelColumnName", wrong.ParamName);
    }

    [TestMethod]
    public void TheEvaluatorsReadKeysAndNumbersAsClasses()
    {
        var ml = new MLContext(1);
        var rows = new[] { 1.5, 1.5, 2.0, 2.0 }.Select((l, i) => new EmbeddedRow<double> { Embedding = [(float)l, i * 0.01f], Label = l });
        var metrics = ml.Siamese().EvaluateRetrieval(ml.Data.LoadFromEnumerable(rows));
        Assert.AreEqual(1.0, metrics.PrecisionAt1, 1e-9);
    }
}
