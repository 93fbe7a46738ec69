using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>ValidationClassFraction: whole classes held out of training, the same ones for the same seed.</summary>
[TestClass]
public sealed class ClassHoldOutTests
{
    private static TrainingData Items(int classes, int perClass)
    {
        int n = classes * perClass;
        return new TrainingData
        {
            Features = Enumerable.Range(0, n * 2).Select(i => (float)i).ToArray(),
            FeatureSize = 2,
            ClassOfItem = Enumerable.Range(0, n).Select(i => i / perClass).ToArray(),
            ClassNames = Enumerable.Range(0, classes).Select(c => "class" + c.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            GroupOfClass = new int[classes],
        };
    }

    [TestMethod]
    public void HoldsOutWholeClasses_DisjointFromTraining_FeaturesFollowTheirItems()
    {
        var items = Items(20, 3);
        var (train, validation) = ClassHoldOut.Split(items, 0.2, seed: 5, "test");
        Assert.HasCount(4, validation.ClassNames);
        Assert.HasCount(16, train.ClassNames);
        Assert.IsEmpty(train.ClassNames.Intersect(validation.ClassNames));
        Assert.AreEqual(12, validation.Count);
        for (int i = 0; i < validation.Count; i++)
        {
            // Item k of class c had features (2(3c+k), 2(3c+k)+1): the first value identifies its original class.
            int original = (int)validation.Features[i * 2] / 2 / 3;
            Assert.AreEqual(items.ClassNames[original], validation.ClassNames[validation.ClassOfItem[i]]);
        }
    }

    [TestMethod]
    public void TheDataBeforeTheSplit_IsReadBackFromItsTwoParts_WithoutAThirdCopy()
    {
        var items = Items(10, 3);
        var split = ClassHoldOut.Split(items, 0.3, seed: 2, "test");
        Assert.IsEmpty(split.All.Features, "no copy of the features is kept for the whole set");
        CollectionAssert.AreEqual(items.ClassOfItem, split.All.ClassOfItem);
        CollectionAssert.AreEqual(items.ClassNames, split.All.ClassNames);
        Assert.AreEqual(items.Count, split.TrainRows.Length + split.ValidationRows.Length);
        for (int row = 0; row < items.Count; row++)
            CollectionAssert.AreEqual(items.Features.AsSpan(row * 2, 2).ToArray(), split.Item(row).ToArray(), $"row {row}");
    }

    [TestMethod]
    public void PartsReadOneAtATime_EqualTheCopiedParts_AndAShortReadFails()
    {
        // Image files are split by class first and each part decoded on its own (never all images in one array beside
        // the parts): the parts must be those the split of the decoded whole gives, item for item.
        var items = Items(10, 3);
        var copied = ClassHoldOut.Split(items, 0.3, seed: 2, "test");
        var labels = items.WithFeatures([], 0);
        var reads = new List<int[]>();
        var read = ClassHoldOut.Split(labels, 0.3, seed: 2, "test", 2, rows =>
        {
            reads.Add(rows);
            return rows.SelectMany(r => items.Features.AsSpan(r * 2, 2).ToArray()).ToArray();
        });
        Assert.HasCount(2, reads, "one read per part");
        foreach (var (a, b) in new[] { (copied.Train, read.Train), (copied.Validation, read.Validation) })
        {
            CollectionAssert.AreEqual(a.Features, b.Features);
            CollectionAssert.AreEqual(a.ClassOfItem, b.ClassOfItem);
            CollectionAssert.AreEqual(a.ClassNames, b.ClassNames);
            Assert.AreEqual(2, b.FeatureSize);
        }
        CollectionAssert.AreEqual(copied.TrainRows, reads[0]);
        CollectionAssert.AreEqual(copied.ValidationRows, reads[1]);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ClassHoldOut.Split(labels, 0.3, 2, "test", 2, rows => new float[rows.Length]));
        StringAssert.Contains(e.Message, "values were read for");
    }

    [TestMethod]
    public void ManyHeldOutItems_AreDrawnEvenlyByClass_AndTheRestTakeNoPart()
    {
        // 3 of 10 classes of 700 items are held out: 2,100 items, more than validation embeds; 2,000 are kept, 666 or 667
        // a class, and the whole set read back from the parts is the training items and those 2,000.
        var items = Items(10, 700);
        var reads = new List<int[]>();
        var split = ClassHoldOut.Split(items, 0.3, seed: 4, "test", 2, rows => { reads.Add(rows); return rows.SelectMany(r => items.Features.AsSpan(r * 2, 2).ToArray()).ToArray(); });
        Assert.AreEqual(ClassHoldOut.MaxValidationItems, split.Validation.Count);
        CollectionAssert.AreEquivalent(new[] { 666, 667, 667 }, split.Validation.ClassOfItem.GroupBy(c => c).Select(g => g.Count()).ToArray());
        Assert.AreEqual(7 * 700, split.Train.Count);
        Assert.AreEqual(7 * 700 + ClassHoldOut.MaxValidationItems, split.All.Count);
        Assert.HasCount(ClassHoldOut.MaxValidationItems, reads[1], "only the drawn held-out items are read (decoded)");
        for (int row = 0; row < split.All.Count; row++)
        {
            int original = (int)split.Item(row)[0] / 2;   // item i has features (2i, 2i + 1)
            Assert.AreEqual(items.ClassOfItem[original], split.All.ClassOfItem[row], $"row {row}");
        }
        CollectionAssert.AreEqual(split.Validation.Features, ClassHoldOut.Split(items, 0.3, seed: 4, "test").Validation.Features, "the copied and the read split draw the same items");
        // At the limit nothing is drawn: every item stays, as before.
        var small = ClassHoldOut.Split(Items(10, 600), 0.3, seed: 4, "test");
        Assert.AreEqual(1800, small.Validation.Count);
        Assert.AreEqual(6000, small.All.Count);
    }

    [TestMethod]
    public void SameSeed_SameClasses_OtherSeed_OtherClasses()
    {
        var items = Items(30, 2);
        var a = ClassHoldOut.Split(items, 0.3, seed: 1, "test").Validation.ClassNames;
        var b = ClassHoldOut.Split(items, 0.3, seed: 1, "test").Validation.ClassNames;
        var c = ClassHoldOut.Split(items, 0.3, seed: 2, "test").Validation.ClassNames;
        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEquivalent(a, c);
    }

    [TestMethod]
    public void TooFewClasses_OrABadFraction_FailClearly()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ClassHoldOut.Split(Items(3, 2), 0.5, 1, "Siamese trainer"));
        StringAssert.Contains(e.Message, "ValidationClassFraction");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ClassHoldOut.Split(Items(10, 2), 1.0, 1, "Siamese trainer"));
    }
}
