using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>Rotated and mirrored classes: which pixels go where, and which class and group each copy belongs to.</summary>
[TestClass]
public sealed class ClassExpansionTests
{
    // Two 1x2x3 images (values 0..5 and 10..15) of classes 0 and 1, groups 0 and 1.
    private static TrainingData TwoImages(int height = 2, int width = 3) => new()
    {
        Features = Enumerable.Range(0, height * width).Select(v => (float)v).Concat(Enumerable.Range(0, height * width).Select(v => 10f + v)).ToArray(),
        FeatureSize = height * width,
        ClassOfItem = [0, 1],
        ClassNames = ["a/x", "b/y"],
        GroupOfClass = [0, 1],
    };

    [TestMethod]
    public void MirroredClassesAddAMirrorOfEveryItemAsANewClassOfTheSameGroup()
    {
        var mirrored = TwoImages().WithMirroredClasses(1, 2, 3);
        Assert.AreEqual(4, mirrored.Count);
        // The originals first, unchanged; then each mirrored left to right, row by row.
        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 2, 1, 0, 5, 4, 3, 12, 11, 10, 15, 14, 13 }, mirrored.Features);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, mirrored.ClassOfItem);
        CollectionAssert.AreEqual(new[] { "a/x", "b/y", "a/x@mirrored", "b/y@mirrored" }, mirrored.ClassNames);
        CollectionAssert.AreEqual(new[] { 0, 1, 0, 1 }, mirrored.GroupOfClass);
    }

    [TestMethod]
    public void RotatedClassesTurnEveryItemByQuarterTurnsIntoNewClassesOfTheSameGroup()
    {
        // One 2x2 image [[0, 1], [2, 3]].
        var one = new TrainingData { Features = [0, 1, 2, 3], FeatureSize = 4, ClassOfItem = [0], ClassNames = ["c"], GroupOfClass = [0] };
        var rotated = one.WithRotatedClasses(1, 2);
        Assert.AreEqual(4, rotated.Count);
        // 90 degrees counter-clockwise: [[1, 3], [0, 2]]; 180: [[3, 2], [1, 0]]; 270: [[2, 0], [3, 1]].
        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3, 1, 3, 0, 2, 3, 2, 1, 0, 2, 0, 3, 1 }, rotated.Features);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, rotated.ClassOfItem);
        CollectionAssert.AreEqual(new[] { "c", "c@90", "c@180", "c@270" }, rotated.ClassNames);
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 0 }, rotated.GroupOfClass);
    }

    [TestMethod]
    public void MirroredThenRotatedGivesEightClassesPerCharacter()
    {
        var both = TwoImages(3, 3).WithMirroredClasses(1, 3, 3).WithRotatedClasses(1, 3);
        Assert.AreEqual(16, both.Count);
        Assert.AreEqual(16, both.ClassNames.Length);
        Assert.AreEqual(16, both.ClassNames.Distinct().Count());
        CollectionAssert.AreEqual(Enumerable.Range(0, 16).Select(c => c % 2).ToArray(), both.GroupOfClass);
    }

    [TestMethod]
    public void ImagesOfTheWrongSizeAreRefused()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => TwoImages().WithMirroredClasses(1, 3, 3));
        Assert.ThrowsExactly<InvalidOperationException>(() => TwoImages().WithRotatedClasses(1, 3));
    }
}
