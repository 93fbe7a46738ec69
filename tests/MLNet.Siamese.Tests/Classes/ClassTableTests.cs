using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Tests.Classes;

/// <summary>The one class table, built from label text (generators), from any labels (evaluators) or from dense ids (trainer).</summary>
[TestClass]
public sealed class ClassTableTests
{
    [TestMethod]
    public void LabelTextIsNumberedByFirstAppearanceSkippingMissingRows()
    {
        var table = ClassTable.Build(["b", null, "a", "b", "c"], ["g", "g", "h", "g", "h"], "Label", "Group");
        CollectionAssert.AreEqual(new[] { "b", "a", "c" }, table.ClassNames);
        CollectionAssert.AreEqual(new[] { 0, -1, 1, 0, 2 }, table.ClassOfRow);
        CollectionAssert.AreEqual(new[] { 2, 1, 1 }, table.Sizes);
        CollectionAssert.AreEqual(new[] { 0 }, table.ClassesWithTwoRows);
        CollectionAssert.AreEqual(new[] { 0, 1, 1 }, table.GroupOfClass);
        Assert.IsFalse(table.HasOtherClassInGroup(0));
        Assert.IsTrue(table.HasOtherClassInGroup(2));
    }

    [TestMethod]
    public void ALabelInTwoGroupsIsRefusedNamingBothColumns()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ClassTable.Build(["a", "a"], ["g", "h"], "Char", "Alphabet"));
        StringAssert.Contains(e.Message, "'Char'");
        StringAssert.Contains(e.Message, "'Alphabet'");
    }

    [TestMethod]
    public void AnyLabelsAreNumberedByFirstAppearanceAndANullLabelIsNamed()
    {
        var table = ClassTable.From<int>([7, 3, 7], "labels");
        CollectionAssert.AreEqual(new[] { 0, 1, 0 }, table.ClassOfRow);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ClassTable.From<string>(["a", null!], "labels"));
        StringAssert.Contains(e.Message, "item 1");
    }

    [TestMethod]
    public void DenseIdsKeepEmptyClassesAndRenumberGroupsInAscendingOrder()
    {
        // class 1 is empty; groups 5 and 9 become 0 and 1 (group 2 only holds the empty class, so it is left out)
        var table = ClassTable.FromIds([0, 2, 3, 0, 3], [9, 2, 5, 9]);
        Assert.AreEqual(4, table.Count);
        CollectionAssert.AreEqual(new[] { 0, 2, 3 }, table.NonEmptyClasses);
        Assert.HasCount(2, table.ClassesByGroup);
        CollectionAssert.AreEqual(new[] { 2 }, table.ClassesByGroup[0]);
        CollectionAssert.AreEqual(new[] { 0, 3 }, table.ClassesByGroup[1]);
        CollectionAssert.AreEqual(new[] { 1, -1, 0, 1 }, table.GroupOfClass);
        CollectionAssert.AreEqual(new[] { 2, 4 }, table.RowsOfClass[3]);
    }

    [TestMethod]
    public void WithoutGroupsEveryNonEmptyClassIsInOneGroup()
    {
        var table = ClassTable.FromIds([1, 1, 2]);
        Assert.HasCount(1, table.ClassesByGroup);
        CollectionAssert.AreEqual(new[] { 1, 2 }, table.ClassesByGroup[0]);
    }
}
