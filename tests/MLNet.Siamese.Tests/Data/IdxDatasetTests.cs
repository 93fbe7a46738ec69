using MLNet.Siamese.Data;

namespace MLNet.Siamese.Tests.Data;

/// <summary>The one IDX loader: an image file paired with its label file, as the catalog, the CLI and the benchmarks read it.</summary>
[TestClass]
public sealed class IdxDatasetTests
{
    private static readonly byte[] Pixels = [0, 51, 102, 153, 204, 255, 0, 0];

    [TestMethod]
    public void TheLabelsBesideTheImagesAreFoundByTheMnistNaming()
    {
        Assert.AreEqual(Path.Combine("d", "train-labels-idx1-ubyte.gz"), IdxDataset.LabelsPathFor(Path.Combine("d", "train-images-idx3-ubyte.gz")));
        using var folder = new TempFolder();
        string images = folder.Combine("t10k-images-idx3-ubyte.gz");
        File.WriteAllBytes(images, TestFiles.Gzip(TestFiles.Idx(IdxReader.ImagesMagic, [2, 2, 2], Pixels)));
        File.WriteAllBytes(folder.Combine("t10k-labels-idx1-ubyte.gz"), TestFiles.Gzip(TestFiles.Idx(IdxReader.LabelsMagic, [2], [3, 250])));
        var set = IdxDataset.Read(images);
        Assert.AreEqual(2, set.Count);
        CollectionAssert.AreEqual(new[] { "3", "250" }, set.LabelTexts());
        CollectionAssert.AreEqual(Pixels.Select(p => p / 255f).ToArray(), set.ScaledPixels());
        CollectionAssert.AreEqual(Pixels[4..].Select(p => p / 255f).ToArray(), set.ScaledImage(1));
    }

    [TestMethod]
    public void AMissingLabelsFileIsNamedAndMismatchedCountsAreRefused()
    {
        using var folder = new TempFolder();
        string images = folder.Combine("train-images-idx3-ubyte");
        File.WriteAllBytes(images, TestFiles.Idx(IdxReader.ImagesMagic, [2, 2, 2], Pixels));
        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => IdxDataset.Read(images));
        StringAssert.Contains(missing.Message, "train-labels-idx1-ubyte");
        File.WriteAllBytes(folder.Combine("train-labels-idx1-ubyte"), TestFiles.Idx(IdxReader.LabelsMagic, [3], [1, 2, 3]));
        var mismatch = Assert.ThrowsExactly<InvalidDataException>(() => IdxDataset.Read(images));
        StringAssert.Contains(mismatch.Message, "2 images");
        StringAssert.Contains(mismatch.Message, "3 labels");
    }

    [TestMethod]
    public void ImageFilesAreRecognisedByNameOrMagicAndCorruptGzipIsNotOne()
    {
        using var folder = new TempFolder();
        string byMagic = folder.Combine("anything.bin");
        File.WriteAllBytes(byMagic, TestFiles.Gzip(TestFiles.Idx(IdxReader.ImagesMagic, [1, 1, 1], [7])));
        string labels = folder.Combine("labels.bin");
        File.WriteAllBytes(labels, TestFiles.Idx(IdxReader.LabelsMagic, [1], [7]));
        string corrupt = folder.Combine("corrupt.gz");
        File.WriteAllBytes(corrupt, [0x1f, 0x8b, 1, 2, 3, 4, 5]);
        Assert.IsTrue(IdxDataset.IsImagesFile(byMagic));
        Assert.IsFalse(IdxDataset.IsImagesFile(labels));
        Assert.IsFalse(IdxDataset.IsImagesFile(corrupt));
        Assert.IsFalse(IdxDataset.IsImagesFile(folder.Combine("absent-idx3-ubyte")));
    }
}
