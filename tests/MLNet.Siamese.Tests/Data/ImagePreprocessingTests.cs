using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Tests.Data;

[TestClass]
public sealed class ImagePreprocessingTests
{
    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class PairRow
    {
        public string LeftImagePath { get; set; } = "";
        public string RightImagePath { get; set; } = "";
    }

    /// <summary>8x8 white image with a black 4x4 square at the top-left corner.</summary>
    private static string SquareImage(TempFolder folder, string name = "square.png") =>
        TestFiles.WritePng(folder.Combine(name), 8, 8, square: 4, x: 0, y: 0);

    private static bool InSquare(int index) => index % 8 < 4 && index / 8 < 4;

    private static float[] Features(MLContext ml, string path, ImagePreprocessingOptions options)
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = path } });
        var transformed = ml.Siamese().PreprocessImages("Features", "ImagePath", options).Fit(data).Transform(data);
        return transformed.GetColumn<float[]>("Features").Single();
    }

    [TestMethod]
    public void KnownImage_NotInverted_SquareIsZero_BackgroundIsOne()
    {
        using var folder = new TempFolder();
        var values = Features(new MLContext(), SquareImage(folder), new ImagePreprocessingOptions { Width = 8, Height = 8 });
        Assert.HasCount(64, values);
        for (int i = 0; i < 64; i++)
            Assert.AreEqual(InSquare(i) ? 0f : 1f, values[i], 1e-6f, $"pixel {i}");
    }

    [TestMethod]
    public void KnownImage_Inverted_SquareIsOne_BackgroundIsZero()
    {
        using var folder = new TempFolder();
        var values = Features(new MLContext(), SquareImage(folder), new ImagePreprocessingOptions { Width = 8, Height = 8, Invert = true });
        for (int i = 0; i < 64; i++)
            Assert.AreEqual(InSquare(i) ? 1f : 0f, values[i], 1e-6f, $"pixel {i}");
    }

    [TestMethod]
    public void Resize105To28_Gives784ValuesInZeroOne_KnownSizeInSchema()
    {
        using var folder = new TempFolder();
        string path = TestFiles.WritePng(folder.Combine("big.png"), 105, 105, square: 50, x: 0, y: 0);
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = path } });
        var transformed = ml.Siamese().PreprocessImages(new ImagePreprocessingOptions { Invert = true },
            new InputOutputColumnPair("Features", "ImagePath")).Fit(data).Transform(data);

        var type = (VectorDataViewType)transformed.Schema["Features"].Type;
        Assert.AreEqual(784, type.Size);
        Assert.AreEqual(NumberDataViewType.Single, type.ItemType);
        var values = transformed.GetColumn<float[]>("Features").Single();
        Assert.HasCount(784, values);
        Assert.IsTrue(values.All(v => v is >= 0f and <= 1f));
        Assert.AreEqual(1f, values[0], 1e-3f, "top-left lies in the ink square");
        Assert.AreEqual(0f, values[783], 1e-3f, "bottom-right is background");
    }

    [TestMethod]
    public void SeveralColumnPairs_InOneChain_EachGetsItsOwnFeatures()
    {
        using var folder = new TempFolder();
        string left = SquareImage(folder, "left.png");
        string right = TestFiles.WritePng(folder.Combine("right.png"), 8, 8); // all white
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new PairRow { LeftImagePath = left, RightImagePath = right } });
        var transformed = ml.Siamese().PreprocessImages(new ImagePreprocessingOptions { Width = 8, Height = 8, Invert = true },
                new InputOutputColumnPair("LeftFeatures", "LeftImagePath"),
                new InputOutputColumnPair("RightFeatures", "RightImagePath"))
            .Fit(data).Transform(data);

        var leftValues = transformed.GetColumn<float[]>("LeftFeatures").Single();
        var rightValues = transformed.GetColumn<float[]>("RightFeatures").Single();
        Assert.AreEqual(16f, leftValues.Sum(), 1e-4f);
        Assert.AreEqual(0f, rightValues.Sum(), 1e-4f);
        // No intermediate image column is visible: inputs plus the two feature columns.
        CollectionAssert.AreEquivalent(new[] { "LeftImagePath", "RightImagePath", "LeftFeatures", "RightFeatures" },
            transformed.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void RelativePaths_AreResolvedAgainstImageFolder()
    {
        using var folder = new TempFolder();
        SquareImage(folder, "rel.png");
        var options = new ImagePreprocessingOptions { Width = 8, Height = 8, ImageFolder = folder.Path };
        var values = Features(new MLContext(), "rel.png", options);
        Assert.AreEqual(48f, values.Sum(), 1e-4f);
        var decoded = ImagePreprocessing.DecodeToArray(new MLContext(), ["rel.png"], options);
        CollectionAssert.AreEqual(values, decoded);
    }

    [TestMethod]
    public void DecodeToArray_IsContiguous_InInputOrder_AndMatchesTheChain()
    {
        using var folder = new TempFolder();
        string[] paths =
        [
            SquareImage(folder, "a.png"),
            TestFiles.WritePng(folder.Combine("b.png"), 8, 8),
            TestFiles.WritePng(folder.Combine("c.png"), 16, 16, square: 16),
        ];
        var ml = new MLContext();
        var options = new ImagePreprocessingOptions { Width = 8, Height = 8, Invert = true };
        float[] all = ml.Siamese().DecodeImages(paths, options);
        Assert.HasCount(3 * 64, all);
        for (int i = 0; i < paths.Length; i++)
            CollectionAssert.AreEqual(Features(ml, paths[i], options), all[(i * 64)..((i + 1) * 64)], $"image {i}");
        Assert.AreEqual(16f, all[..64].Sum(), 1e-4f);
        Assert.AreEqual(0f, all[64..128].Sum(), 1e-4f);
        Assert.AreEqual(64f, all[128..].Sum(), 1e-4f);
        Assert.IsEmpty(ImagePreprocessing.DecodeToArray(ml, [], options));
    }

    [TestMethod]
    public void DecodeToArray_CorruptPng_ThrowsInvalidDataNamingTheFile()
    {
        using var folder = new TempFolder();
        string good = SquareImage(folder, "good.png");
        string corrupt = folder.Combine("corrupt.png");
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(corrupt, bytes[..20]); // PNG signature and a cut header: not decodable
        string[] goods = Enumerable.Range(0, 5).Select(i => SquareImage(folder, $"good{i}.png")).ToArray();
        // ML.NET decodes ahead of the cursor: the bad file sits among good ones, and the message must name it, not a neighbour.
        var e = Assert.ThrowsExactly<InvalidDataException>(() =>
            ImagePreprocessing.DecodeToArray(new MLContext(), [good, .. goods, corrupt, .. goods], new ImagePreprocessingOptions()));
        StringAssert.Contains(e.Message, corrupt);
        Assert.IsFalse(e.Message.Contains("good", StringComparison.Ordinal), e.Message);
    }

    [TestMethod]
    public void DecodeToArray_NotAnImage_ThrowsInvalidDataNamingTheFile()
    {
        using var folder = new TempFolder();
        string text = folder.Combine("text.png");
        File.WriteAllText(text, "not an image at all");
        var e = Assert.ThrowsExactly<InvalidDataException>(() =>
            ImagePreprocessing.DecodeToArray(new MLContext(), [text], new ImagePreprocessingOptions()));
        StringAssert.Contains(e.Message, text);
    }

    [TestMethod]
    public void DecodeToArray_MissingFile_ThrowsFileNotFoundNamingTheFile()
    {
        using var folder = new TempFolder();
        string missing = folder.Combine("missing.png");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() =>
            ImagePreprocessing.DecodeToArray(new MLContext(), [missing], new ImagePreprocessingOptions()));
        StringAssert.Contains(e.Message, missing);
    }

    [TestMethod]
    public void Chain_MissingFile_ErrorFromMlNetNamesTheFile()
    {
        // In the estimator chain ML.NET reports the error when the row is read, wrapped in its own exception.
        using var folder = new TempFolder();
        string missing = folder.Combine("missing.png");
        var e = Assert.Throws<Exception>(() => Features(new MLContext(), missing, new ImagePreprocessingOptions()));
        StringAssert.Contains(e.ToString(), missing);
    }

    [TestMethod]
    public void InvalidSize_IsRejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new MLContext().Siamese().PreprocessImages(new ImagePreprocessingOptions { Width = 0 }, new InputOutputColumnPair("F", "P")));
        Assert.ThrowsExactly<ArgumentException>(() =>
            new MLContext().Siamese().PreprocessImages(new ImagePreprocessingOptions()));
    }

    [TestMethod]
    public void Options_RoundTripThroughSystemTextJson()
    {
        var options = new ImagePreprocessingOptions { Width = 32, Height = 24, Invert = true, ImageFolder = "/data/images" };
        string json = JsonSerializer.Serialize(options);
        Assert.AreEqual(options, JsonSerializer.Deserialize<ImagePreprocessingOptions>(json));
        var defaults = JsonSerializer.Deserialize<ImagePreprocessingOptions>("{}")!;
        Assert.AreEqual(28, defaults.Width);
        Assert.AreEqual(28, defaults.Height);
        Assert.IsFalse(defaults.Invert);
        Assert.IsNull(defaults.ImageFolder);
    }
}
