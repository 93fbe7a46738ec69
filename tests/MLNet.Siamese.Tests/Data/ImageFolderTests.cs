using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Tests.Data;

[TestClass]
public sealed class ImageFolderTests
{
    [TestMethod]
    public void DepthOne_LabelsAreParentFolders_SortedOrdinally_NonImagesIgnored()
    {
        using var root = new TempFolder();
        // Written out of order on purpose.
        TestFiles.WritePng(root.Combine("b", "2.png"));
        TestFiles.WritePng(root.Combine("a", "2.PNG"));
        TestFiles.WritePng(root.Combine("a", "1.png"));
        TestFiles.WritePng(root.Combine("B", "1.png"));
        File.WriteAllText(root.Combine("a", "notes.txt"), "not an image");   // ignored: extension
        TestFiles.WritePng(root.Combine("a", ".hidden.png"));                // ignored: hidden file
        TestFiles.WritePng(root.Combine("__MACOSX", "a", "1.png"));          // ignored: macOS metadata folder

        var entries = ImageFolder.Scan(root.Path);
        var expected = new[]
        {
            new ImageFolderEntry(root.Combine("B", "1.png"), "B", "B"),
            new ImageFolderEntry(root.Combine("a", "1.png"), "a", "a"),
            new ImageFolderEntry(root.Combine("a", "2.PNG"), "a", "a"),
            new ImageFolderEntry(root.Combine("b", "2.png"), "b", "b"),
        };
        CollectionAssert.AreEqual(expected, entries.ToArray());
        Assert.IsTrue(entries.All(e => Path.IsPathFullyQualified(e.ImagePath)));
    }

    [TestMethod]
    public void DepthTwo_LabelIsGroupSlashClass_GroupIsFirstPart()
    {
        using var root = new TempFolder();
        TestFiles.WritePng(root.Combine("wrapper", "Latin", "character01", "x.png"));
        TestFiles.WritePng(root.Combine("wrapper", "Greek", "character02", "y.jpg"));
        TestFiles.WritePng(root.Combine("wrapper", "Greek", "character01", "z.bmp"));

        var entries = ImageFolder.Scan(root.Path, new ImageFolderOptions { LabelDepth = 2 });
        CollectionAssert.AreEqual(new[] { "Greek/character01", "Greek/character02", "Latin/character01" },
            entries.Select(e => e.Label).ToArray());
        CollectionAssert.AreEqual(new[] { "Greek", "Greek", "Latin" }, entries.Select(e => e.Group).ToArray());
    }

    [TestMethod]
    public void CatalogLoad_GivesImagePathLabelGroupColumns_InDeterministicOrder()
    {
        using var root = new TempFolder();
        foreach (string cls in new[] { "z", "m", "a" })
            for (int i = 3; i > 0; i--)
                TestFiles.WritePng(root.Combine(cls, $"{i}.png"));

        var ml = new MLContext();
        IDataView first = ml.Siamese().LoadImageFolder(root.Path);
        IDataView second = ml.Siamese().LoadImageFolder(root.Path, new ImageFolderOptions());
        foreach (string column in new[] { "ImagePath", "Label", "Group" })
            Assert.AreEqual(TextDataViewType.Instance, first.Schema[column].Type);

        var paths = first.GetColumn<string>("ImagePath").ToArray();
        Assert.HasCount(9, paths);
        CollectionAssert.AreEqual(paths.Order(StringComparer.Ordinal).ToArray(), paths);
        CollectionAssert.AreEqual(paths, second.GetColumn<string>("ImagePath").ToArray());
        CollectionAssert.AreEqual(first.GetColumn<string>("Label").ToArray(), first.GetColumn<string>("Group").ToArray());
        CollectionAssert.AreEqual(new[] { "a", "a", "a", "m", "m", "m", "z", "z", "z" }, first.GetColumn<string>("Label").ToArray());
    }

    [TestMethod]
    public void CustomExtensions_OnlyThoseAreTaken()
    {
        using var root = new TempFolder();
        TestFiles.WritePng(root.Combine("a", "1.png"));
        TestFiles.WritePng(root.Combine("a", "2.bmp"));
        var entries = ImageFolder.Scan(root.Path, new ImageFolderOptions { Extensions = ["bmp"] });
        Assert.AreEqual(root.Combine("a", "2.bmp"), entries.Single().ImagePath);
    }

    [TestMethod]
    public void ZipArchive_IsExtractedIntoCache_LabelsFromNearestFolders()
    {
        using var sandbox = new TempFolder();
        string source = sandbox.Combine("src");
        TestFiles.WritePng(Path.Combine(source, "wrap", "Alpha", "c1", "1.png"));
        TestFiles.WritePng(Path.Combine(source, "wrap", "Beta", "c2", "1.png"));
        string archive = sandbox.Combine("set.zip");
        ZipFile.CreateFromDirectory(source, archive);
        string cache = sandbox.Combine("cache");

        var entries = ImageFolder.Scan(archive, new ImageFolderOptions { LabelDepth = 2, CacheDirectory = cache });
        CollectionAssert.AreEqual(new[] { "Alpha/c1", "Beta/c2" }, entries.Select(e => e.Label).ToArray());
        Assert.IsTrue(entries.All(e => e.ImagePath.StartsWith(cache + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
        Assert.IsTrue(entries.All(e => File.Exists(e.ImagePath)));
    }

    [TestMethod]
    public void EmptyFolder_NoImages_ThrowsNamingTheFolder()
    {
        using var root = new TempFolder();
        File.WriteAllText(root.Combine("readme.txt"), "no images here");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root.Path));
        StringAssert.Contains(e.Message, root.Path);
        StringAssert.Contains(e.Message, "No image");
    }

    [TestMethod]
    public void AFolderOfTiffFiles_OrOfNetpbmFilesNotConverted_IsRefused_CountingThemAndSayingHowToConvert()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("s1"));
        for (int i = 1; i <= 3; i++) File.WriteAllText(root.Combine("s1", $"{i}.pgm"), "P2 1 1 255 0");
        File.WriteAllText(root.Combine("s1", "scan.TIF"), "II*");
        File.WriteAllText(root.Combine("s1", "README.txt"), "faces");
        var options = new ImageFolderOptions { ConvertNetpbm = false };
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root.Path, options));
        StringAssert.Contains(e.Message, $"No image (.bmp, .gif, .jpeg, .jpg, .png, .webp) was found under '{root.Path}'. It holds 3 .pgm, 1 .tif, 1 .txt file(s).");
        StringAssert.Contains(e.Message, "cannot decode .pgm or .tif: convert the files to PNG first");
        StringAssert.Contains(e.Message, "Netpbm files are converted by the folder loader and the siamese tool themselves");
        // A saved model's own loader cannot read .pgm: the check before it says so, by name.
        var check = Assert.ThrowsExactly<InvalidDataException>(() => ImageFileCheck.Check(root.Combine("s1", "1.pgm")));
        StringAssert.Contains(check.Message, root.Combine("s1", "1.pgm"));
        StringAssert.Contains(check.Message, "cannot decode .pgm: convert the files to PNG first");
        StringAssert.Contains(check.Message, "NetpbmConversion.ToPng");
        var text = Assert.ThrowsExactly<InvalidDataException>(() => ImageFileCheck.Check(root.Combine("s1", "README.txt")));
        Assert.DoesNotContain("convert", text.Message, "no advice for a file that is not an image format");
        // TIFF alone is refused whatever the option.
        foreach (var pgm in Directory.GetFiles(root.Combine("s1"), "*.pgm")) File.Delete(pgm);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root.Path)).Message, "It holds 1 .tif, 1 .txt file(s).");
    }

    [TestMethod]
    public void AFolderOfImagesAndNetpbmFiles_ConvertsTheNetpbmOnes_OrSkipsAndCountsThemWhenAsked()
    {
        using var root = new TempFolder();
        using var cache = new TempFolder();
        TestFiles.WritePng(root.Combine("a", "1.png"));
        TestFiles.WritePng(root.Combine("b", "1.png"));
        File.WriteAllText(root.Combine("a", "2.pgm"), "P2 1 1 255 0");
        File.WriteAllText(root.Combine("b", "2.PGM"), "P2 1 1 255 7");
        File.WriteAllText(root.Combine("b", "notes"), "text");
        var skipped = new Dictionary<string, int>();
        var entries = ImageFolder.Scan(root.Path, new ImageFolderOptions { ConversionCacheDirectory = cache.Path }, skipped);
        CollectionAssert.AreEqual(new[] { "a", "a", "b", "b" }, entries.Select(e => e.Label).ToArray(), "labels from the originals' folders, in their path order");
        Assert.AreEqual(root.Combine("a", "1.png"), entries[0].ImagePath);
        StringAssert.StartsWith(entries[1].ImagePath, cache.Path + Path.DirectorySeparatorChar);
        StringAssert.EndsWith(entries[1].ImagePath, "2.png");
        StringAssert.EndsWith(entries[3].ImagePath, "2.png");
        Assert.AreNotEqual(entries[1].ImagePath, entries[3].ImagePath, "different contents, different cache entries");
        Assert.AreEqual(root.Combine("a", "2.pgm"), entries[1].SourcePath, "the original is kept beside its PNG");
        Assert.AreEqual(entries[0].ImagePath, entries[0].SourcePath);
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { ["(no extension)"] = 1 }, skipped);
        Assert.IsNull(ImageFolder.UndecodableFiles(skipped));

        skipped.Clear();
        Assert.HasCount(2, ImageFolder.Scan(root.Path, new ImageFolderOptions { ConvertNetpbm = false }, skipped));
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { [".pgm"] = 2, ["(no extension)"] = 1 }, skipped);
        StringAssert.StartsWith(ImageFolder.UndecodableFiles(skipped), "Skipped 2 .pgm file(s): ML.NET's image loader cannot decode .pgm: convert the files to PNG first (for example ImageMagick's `mogrify -format png *.pgm` in each folder), or to JPEG.");
        Assert.IsNull(ImageFolder.UndecodableFiles(new Dictionary<string, int> { [".txt"] = 3 }), "other files are not images: nothing to say");
        // The command line's loader converts them too, and warns of nothing.
        var items = MLNet.Siamese.Cli.DataSources.LoadOne(root.Path, 1);
        Assert.AreEqual(4, items.Count);
        Assert.IsEmpty(items.Warnings);
        Assert.AreEqual(root.Combine("a", "2.pgm"), items.Ids[1], "the tool names items as given");
        StringAssert.EndsWith(items.Paths[1], "2.png", "and reads the PNG");
    }

    [TestMethod]
    public void WebPAndGif_AreTakenAsImages_AndWebPDecodesThroughMLNet()
    {
        using var root = new TempFolder();
        string webp = root.Combine("a", "1.webp");
        Directory.CreateDirectory(root.Combine("a"));
        using (var bitmap = new SkiaSharp.SKBitmap(8, 8))
        {
            bitmap.Erase(SkiaSharp.SKColors.White);
            bitmap.SetPixel(0, 0, SkiaSharp.SKColors.Black);
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Webp, 100);
            File.WriteAllBytes(webp, data.ToArray());
        }
        File.WriteAllText(root.Combine("a", "2.gif"), "GIF89a");
        CollectionAssert.AreEqual(new[] { root.Combine("a", "1.webp"), root.Combine("a", "2.gif") }.Order(StringComparer.Ordinal).ToArray(), ImageFolder.Scan(root.Path).Select(x => x.ImagePath).ToArray());
        ImageFileCheck.Check(webp);
        var pixels = ImagePreprocessing.DecodeToArray(new MLContext(seed: 1), [webp], new ImagePreprocessingOptions { Width = 8, Height = 8 });
        Assert.AreEqual(0f, pixels[0], 0.05f, "the black pixel, lossless WebP");
        Assert.AreEqual(1f, pixels[63], 0.05f);
    }

    [TestMethod]
    public void SymbolicLinksToImages_AreTaken_UnderTheLinksLabel()
    {
        // A data set assembled from links (a split made with ln -s) is the user's own folder: its images are read.
        using var root = new TempFolder();
        string stored = TestFiles.WritePng(root.Combine("store", "photo.png"));
        var data = Directory.CreateDirectory(root.Combine("data", "cat")).FullName;
        File.CreateSymbolicLink(Path.Combine(data, "1.png"), stored);
        TestFiles.WritePng(root.Combine("data", "dog", "1.png"));
        var entries = ImageFolder.Scan(root.Combine("data"));
        CollectionAssert.AreEqual(new[] { "cat", "dog" }, entries.Select(e => e.Label).ToArray());
        Assert.AreEqual(Path.Combine(data, "1.png"), entries[0].ImagePath, "the link's path, so its label is the link's folder");
    }

    [TestMethod]
    public void SymbolicLinksToFolders_AreNotFollowed_AndAFolderOfOnlySuchLinksSaysSo()
    {
        using var root = new TempFolder();
        TestFiles.WritePng(root.Combine("store", "cat", "1.png"));
        var data = Directory.CreateDirectory(root.Combine("data")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(data, "cat"), root.Combine("store", "cat"));
        Directory.CreateSymbolicLink(Path.Combine(data, "loop"), data);   // a cycle: following it would never end
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(data));
        StringAssert.Contains(e.Message, "2 symbolic link(s) to folders were not followed");
        StringAssert.Contains(e.Message, data);
    }

    [TestMethod]
    public void MissingFolder_ThrowsDirectoryNotFound()
    {
        using var root = new TempFolder();
        string missing = root.Combine("nope");
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => new MLContext().Siamese().LoadImageFolder(missing));
        StringAssert.Contains(e.Message, missing);
    }

    [TestMethod]
    public void ImageTooShallowForLabelDepth_ThrowsNamingTheFile()
    {
        using var root = new TempFolder();
        string shallow = TestFiles.WritePng(root.Combine("only-one-folder", "x.png"));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root.Path, new ImageFolderOptions { LabelDepth = 2 }));
        StringAssert.Contains(e.Message, shallow);
    }

    [TestMethod]
    public void NonZipFile_IsRejectedAsArgument()
    {
        using var root = new TempFolder();
        string png = TestFiles.WritePng(root.Combine("x.png"));
        var e = Assert.ThrowsExactly<ArgumentException>(() => ImageFolder.Scan(png));
        StringAssert.Contains(e.Message, png);
    }

    [TestMethod]
    public void LabelDepthZero_IsRejected()
    {
        using var root = new TempFolder();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageFolder.Scan(root.Path, new ImageFolderOptions { LabelDepth = 0 }));
    }
}
