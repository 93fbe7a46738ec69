using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Tests.Data;

[TestClass]
public sealed class EmbeddedOmniglotTests
{
    [TestMethod]
    public void Small1_DepthTwo_Has2720Images_136Characters_5Alphabets_AndReusesCache()
    {
        using var cache = new TempFolder();
        string archive = EmbeddedOmniglot.FindSmall1();
        Assert.AreEqual(Path.Combine(AppContext.BaseDirectory, "data", "omniglot", "images_background_small1.zip"), archive);
        var options = new ImageFolderOptions { LabelDepth = 2, CacheDirectory = cache.Path };

        var entries = ImageFolder.Scan(archive, options);
        Assert.HasCount(2720, entries);
        Assert.HasCount(136, entries.Select(e => e.Label).Distinct().ToArray());
        CollectionAssert.AreEqual(new[] { "Balinese", "Early_Aramaic", "Greek", "Korean", "Latin" },
            entries.Select(e => e.Group).Distinct().Order(StringComparer.Ordinal).ToArray());
        CollectionAssert.Contains(entries.Select(e => e.Label).ToArray(), "Latin/character01");
        Assert.IsTrue(entries.All(e => e.Label.StartsWith(e.Group + "/", StringComparison.Ordinal)));
        Assert.IsTrue(entries.All(e => e.Label.Split('/').Length == 2));
        Assert.AreEqual(20, entries.Count(e => e.Label == "Latin/character01"));

        string folder = Directory.GetDirectories(cache.Path).Single();
        StringAssert.StartsWith(Path.GetFileName(folder), "images_background_small1-");
        string marker = Path.Combine(folder, SafeZipExtractor.CompleteMarkerFileName);
        DateTime extractedAt = File.GetLastWriteTimeUtc(marker);

        // Second load: same folder, marker untouched, so nothing was extracted again.
        IDataView again = new MLContext().Siamese().LoadImageFolder(archive, options);
        CollectionAssert.AreEqual(entries.Select(e => e.ImagePath).ToArray(), again.GetColumn<string>("ImagePath").ToArray());
        Assert.AreEqual(extractedAt, File.GetLastWriteTimeUtc(marker));
        Assert.HasCount(1, Directory.GetDirectories(cache.Path));
    }

    [TestMethod]
    public void Small2_IsFound_And_DepthOne_LabelsAreCharacterFolders()
    {
        using var cache = new TempFolder();
        var entries = ImageFolder.Scan(EmbeddedOmniglot.FindSmall2(), new ImageFolderOptions { CacheDirectory = cache.Path });
        Assert.HasCount(3120, entries);
        Assert.IsTrue(entries.All(e => e.Label.StartsWith("character", StringComparison.Ordinal) && e.Group == e.Label));
    }

    [TestMethod]
    public void UnknownArchive_ThrowsFileNotFound_ListingWhereItLooked()
    {
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => EmbeddedOmniglot.Find("no_such_set"));
        StringAssert.Contains(e.Message, "no_such_set.zip");
        StringAssert.Contains(e.Message, Path.Combine(AppContext.BaseDirectory, "data", "omniglot").TrimEnd(Path.DirectorySeparatorChar));
    }
}
