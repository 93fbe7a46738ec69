using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Tests.Data;

[TestClass]
public sealed class IdxReaderTests
{
    // 3 images of 2 rows x 3 columns, pixel values 0, 10, 20, ... 170; labels 7, 0, 9.
    private static readonly byte[] Pixels = Enumerable.Range(0, 18).Select(i => (byte)(i * 10)).ToArray();
    private static readonly byte[] Labels = [7, 0, 9];

    private static byte[] ImagesFile(int count = 3, byte[]? pixels = null) =>
        TestFiles.Idx(IdxReader.ImagesMagic, [count, 2, 3], pixels ?? Pixels);

    private static byte[] LabelsFile(byte[]? labels = null) =>
        TestFiles.Idx(IdxReader.LabelsMagic, [(labels ?? Labels).Length], labels ?? Labels);

    private static void AssertLoads(string imagesPath, string labelsPath)
    {
        var data = new MLContext().Siamese().LoadIdx(imagesPath, labelsPath);
        var features = data.Schema[IdxReader.FeaturesColumnName];
        Assert.IsInstanceOfType<VectorDataViewType>(features.Type);
        Assert.AreEqual(6, ((VectorDataViewType)features.Type).Size, "the vector size is known in the schema");
        Assert.AreEqual(TextDataViewType.Instance, data.Schema[IdxReader.LabelColumnName].Type);

        var rows = data.GetColumn<float[]>(IdxReader.FeaturesColumnName).ToArray();
        var labels = data.GetColumn<string>(IdxReader.LabelColumnName).ToArray();
        CollectionAssert.AreEqual(new[] { "7", "0", "9" }, labels);
        Assert.HasCount(3, rows);
        for (int i = 0; i < 3; i++)
            for (int p = 0; p < 6; p++)
                Assert.AreEqual(Pixels[i * 6 + p] / 255f, rows[i][p], 1e-7f);
        Assert.AreEqual(170 / 255f, rows[2][5], 1e-7f);
    }

    [TestMethod]
    public void RawFiles_ParseValuesLabelsAndShape()
    {
        using var folder = new TempFolder();
        string images = folder.Combine("images-idx3-ubyte"), labels = folder.Combine("labels-idx1-ubyte");
        File.WriteAllBytes(images, ImagesFile());
        File.WriteAllBytes(labels, LabelsFile());

        var read = IdxReader.ReadImages(images);
        Assert.AreEqual(3, read.Count);
        Assert.AreEqual(2, read.Rows);
        Assert.AreEqual(3, read.Columns);
        CollectionAssert.AreEqual(Pixels[6..12], read.GetImage(1).ToArray());
        CollectionAssert.AreEqual(Labels, IdxReader.ReadLabels(labels));
        AssertLoads(images, labels);
    }

    [TestMethod]
    public void GzipFiles_AreDetectedByMagicBytes_AndParse()
    {
        using var folder = new TempFolder();
        // Names without .gz: detection is by the 1f 8b magic bytes, not by the extension.
        string images = folder.Combine("images"), labels = folder.Combine("labels.gz");
        File.WriteAllBytes(images, TestFiles.Gzip(ImagesFile()));
        File.WriteAllBytes(labels, TestFiles.Gzip(LabelsFile()));
        AssertLoads(images, labels);
    }

    [TestMethod]
    public void TruncatedRawFile_FewerBytesThanHeaderClaims_Throws()
    {
        using var folder = new TempFolder();
        string images = folder.Combine("truncated-images");
        File.WriteAllBytes(images, ImagesFile()[..^4]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(images));
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void TruncatedGzipFile_EndsEarly_Throws()
    {
        using var folder = new TempFolder();
        string images = folder.Combine("truncated-images.gz");
        File.WriteAllBytes(images, TestFiles.Gzip(ImagesFile()[..^4]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(images));
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, "ends after");
    }

    [TestMethod]
    public void CutGzipStream_Throws()
    {
        using var folder = new TempFolder();
        string images = folder.Combine("cut.gz");
        byte[] gz = TestFiles.Gzip(ImagesFile());
        File.WriteAllBytes(images, gz[..(gz.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(images));
        StringAssert.Contains(e.Message, images);
    }

    [TestMethod]
    public void LyingHeader_ClaimsHugeCount_IsRefusedWithoutAllocating()
    {
        using var folder = new TempFolder();
        string raw = folder.Combine("liar-raw"), gz = folder.Combine("liar.gz");
        // 2^31-1 images of 28x28: far over the item limit (and the 2^31-byte cap).
        byte[] huge = TestFiles.Idx(IdxReader.ImagesMagic, [int.MaxValue, 28, 28], Pixels);
        File.WriteAllBytes(raw, huge);
        File.WriteAllBytes(gz, TestFiles.Gzip(huge));
        foreach (string path in new[] { raw, gz })
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "more than the limit of");
        }
    }

    [TestMethod]
    public void LyingHeader_ClaimsMoreImagesThanPresent_Throws()
    {
        using var folder = new TempFolder();
        string raw = folder.Combine("liar-raw"), gz = folder.Combine("liar.gz");
        // 1,000,000 images of 28x28 claimed (784 MB), 18 bytes present: refused by the file length (raw) or by
        // early end of data (gzip), never by allocating 784 MB first.
        byte[] liar = TestFiles.Idx(IdxReader.ImagesMagic, [1_000_000, 28, 28], Pixels);
        File.WriteAllBytes(raw, liar);
        File.WriteAllBytes(gz, TestFiles.Gzip(liar));
        foreach (string path in new[] { raw, gz })
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "lying header");
        }
    }

    [TestMethod]
    public void TrailingBytes_AfterDeclaredData_Throws()
    {
        using var folder = new TempFolder();
        string labels = folder.Combine("labels");
        File.WriteAllBytes(labels, [.. LabelsFile(), 1, 2]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(labels));
        StringAssert.Contains(e.Message, labels);
        StringAssert.Contains(e.Message, "trailing");
    }

    [TestMethod]
    public void WrongMagic_LabelsGivenAsImages_Throws()
    {
        using var folder = new TempFolder();
        string labels = folder.Combine("labels");
        File.WriteAllBytes(labels, LabelsFile());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(labels));
        StringAssert.Contains(e.Message, labels);
        StringAssert.Contains(e.Message, "magic number 0x00000801");
    }

    [TestMethod]
    public void WrongMagic_PngGivenAsLabels_Throws()
    {
        using var folder = new TempFolder();
        string png = TestFiles.WritePng(folder.Combine("image.png"));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(png));
        StringAssert.Contains(e.Message, png);
        StringAssert.Contains(e.Message, "magic");
    }

    [TestMethod]
    public void FileShorterThanHeader_Throws()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("tiny");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "header");
    }

    [TestMethod]
    public void ImageCountDifferentFromLabelCount_ThrowsNamingBothFiles()
    {
        using var folder = new TempFolder();
        string images = folder.Combine("images"), labels = folder.Combine("labels");
        File.WriteAllBytes(images, ImagesFile());
        File.WriteAllBytes(labels, LabelsFile([1, 2]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Siamese().LoadIdx(images, labels));
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, labels);
        StringAssert.Contains(e.Message, "3 images");
        StringAssert.Contains(e.Message, "2 labels");
    }

    [TestMethod]
    public void MissingFile_ThrowsFileNotFound()
    {
        using var folder = new TempFolder();
        string missing = folder.Combine("missing");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.ReadLabels(missing));
        StringAssert.Contains(e.Message, missing);
    }

    [TestMethod]
    public void FashionMnist_LoadsFromAFolderOfStandardNames_AndReportsMissingFiles()
    {
        using var folder = new TempFolder();
        Assert.IsFalse(FashionMnist.IsAvailable(folder.Path));
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.GetFiles(true, folder.Path));
        StringAssert.Contains(e.Message, "dataset-fashion-mnist");

        foreach (string prefix in new[] { "train", "t10k" })
        {
            File.WriteAllBytes(folder.Combine($"{prefix}-images-idx3-ubyte.gz"), TestFiles.Gzip(ImagesFile()));
            File.WriteAllBytes(folder.Combine($"{prefix}-labels-idx1-ubyte"), LabelsFile());
        }
        Assert.IsTrue(FashionMnist.IsAvailable(folder.Path));
        var data = FashionMnist.Load(new MLContext(), train: false, folder.Path);
        CollectionAssert.AreEqual(new[] { "7", "0", "9" }, data.GetColumn<string>("Label").ToArray());
        Assert.AreEqual("Ankle boot", FashionMnist.ClassNames[9]);
    }
}
