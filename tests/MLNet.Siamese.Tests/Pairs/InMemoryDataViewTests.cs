using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Transforms;

namespace MLNet.Siamese.Tests.Pairs;

[TestClass]
public sealed class InMemoryDataViewTests
{
    private static InMemoryDataView Sample() => new InMemoryDataView.Builder()
        .AddColumn("Text", TextDataViewType.Instance, new[] { "a".AsMemory(), "b".AsMemory(), "c".AsMemory() })
        .AddColumn("Vector", new VectorDataViewType(NumberDataViewType.Single, 2),
            new[] { new VBuffer<float>(2, [1f, 2f]), new VBuffer<float>(2, [3f, 4f]) }, rowToValue: [1, 0, 1])
        .AddColumn("Key", new KeyDataViewType(typeof(uint), 5), new uint[] { 1, 2, 5 })
        .Build();

    [TestMethod]
    public void RowMapsAndAllColumnTypesReadBack()
    {
        var view = Sample();
        Assert.AreEqual(3L, view.GetRowCount());
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, view.GetColumn<string>("Text").ToArray());
        CollectionAssert.AreEqual(new[] { 3f, 1f, 3f }, view.GetColumn<float[]>("Vector").Select(v => v[0]).ToArray());
        CollectionAssert.AreEqual(new uint[] { 1, 2, 5 }, view.GetColumn<uint>("Key").ToArray());
        Assert.AreEqual(5UL, ((KeyDataViewType)view.Schema["Key"].Type).Count);
        Assert.AreEqual(2, ((VectorDataViewType)view.Schema["Vector"].Type).Size);
    }

    [TestMethod]
    public void VectorGettersCopy_SoReadersCannotChangeTheStoredValues()
    {
        var view = Sample();
        using var cursor = view.GetRowCursor(view.Schema);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema["Vector"]);
        Assert.IsTrue(cursor.MoveNext());
        VBuffer<float> value = default;
        getter(ref value);
        var editor = VBufferEditor.CreateFromBuffer(ref value);
        editor.Values[0] = 99f;
        getter(ref value);
        Assert.AreEqual(3f, value.GetValues()[0]);
    }

    [TestMethod]
    public void ShuffledCursorVisitsEveryRowOnce()
    {
        var builder = new InMemoryDataView.Builder().AddColumn("N", NumberDataViewType.Int32, Enumerable.Range(0, 100).ToArray());
        var view = builder.Build();
        using var cursor = view.GetRowCursor(view.Schema, new Random(1));
        var getter = cursor.GetGetter<int>(view.Schema["N"]);
        var seen = new List<int>();
        while (cursor.MoveNext())
        {
            int n = 0;
            getter(ref n);
            seen.Add(n);
        }

        CollectionAssert.AreEquivalent(Enumerable.Range(0, 100).ToList(), seen);
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 100).ToList(), seen);
    }

    [TestMethod]
    public void WrongRawTypeOrRowCount_ThrowsNamingTheColumn()
    {
        AssertMessage(Assert.ThrowsExactly<ArgumentException>(() => new InMemoryDataView.Builder()
            .AddColumn("X", NumberDataViewType.Single, new[] { 1.0 })), "'X'");
        AssertMessage(Assert.ThrowsExactly<ArgumentException>(() => new InMemoryDataView.Builder()
            .AddColumn("A", NumberDataViewType.Int32, new[] { 1, 2 })
            .AddColumn("B", NumberDataViewType.Int32, new[] { 1 })), "'B'", "1 rows");
        var view = Sample();
        using var cursor = view.GetRowCursor(view.Schema);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<int>(view.Schema["Text"])), "'Text'");
        using var inactive = view.GetRowCursor([]);
        AssertMessage(Assert.ThrowsExactly<InvalidOperationException>(() => inactive.GetGetter<uint>(view.Schema["Key"])), "'Key'", "not asked for");
    }

    private static void AssertMessage(Exception e, params string[] parts) => PairTestData.AssertMessage(e, parts);
}
