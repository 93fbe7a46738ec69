using System.Diagnostics;
using System.IO.Compression;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Issue 18's findings in the file readers: IDX headers that overflow or claim a compression bomb, a zip of many
/// entries each under the per-entry ratio check, a planted extraction cache, and names that are not UTF-8.
/// </summary>
[TestClass]
public sealed class HostileFileTests
{
    [TestMethod]
    public void AnIdxHeaderWhoseSizeWrapsToZeroIsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("overflow-images-idx3-ubyte");
        File.WriteAllBytes(path, TestFiles.Idx(IdxReader.ImagesMagic, [16, 1 << 30, 1 << 30], []));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "1073741824x1073741824");
    }

    [TestMethod]
    [DataRow(100_000_000, "more than the limit of 10000000")]
    [DataRow(9_000_000, "a ratio above the limit")]
    public void AGzipIdxClaimingMillionsOfImagesIsRefusedFromItsHeader(int count, string reason)
    {
        using var folder = new TempFolder();
        string images = folder.Combine("bomb-images-idx3-ubyte.gz");
        // count 1x1 images: count bytes of zeros, about a thousandth of that compressed.
        using (var file = File.Create(images))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(TestFiles.Idx(IdxReader.ImagesMagic, [count, 1, 1], []));
            var zeros = new byte[1 << 20];
            for (int written = 0; written < count; written += zeros.Length)
                gzip.Write(zeros, 0, Math.Min(zeros.Length, count - written));
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(images));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        StringAssert.Contains(error.Message, images);
        StringAssert.Contains(error.Message, reason);
        Assert.IsLessThan(1L << 20, allocated, "refused from the header, before any payload is read");
    }

    [TestMethod]
    public void AnIdxHeaderClaimingMoreThanTheItemLimitIsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("many-labels-idx1-ubyte");
        File.WriteAllBytes(path, TestFiles.Idx(IdxReader.LabelsMagic, [IdxReader.MaxItems + 1], []));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));
        StringAssert.Contains(error.Message, "limit");
    }

    [TestMethod]
    public void AZipOfManySmallWellCompressedEntriesIsCountedAgainstTheRatioLimit()
    {
        using var folder = new TempFolder();
        var zeros = new byte[1_000_000]; // below the 1 MiB per-entry ratio threshold
        string zip = TestFiles.WriteZip(folder.Combine("many.zip"), Enumerable.Range(0, 300).Select(i => ($"a/{i}.png", zeros)));
        var error = Assert.ThrowsExactly<ArchiveRejectedException>(() => SafeZipExtractor.Extract(zip, folder.Combine("cache")));
        StringAssert.Contains(error.Message, "300 entries expand to 300000000 bytes in total");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder.Combine("cache")), "nothing is left in the cache");
    }

    [TestMethod]
    [DataRow("changed")]
    [DataRow("extra")]
    [DataRow("link")]
    public void APlantedOrAlteredCacheFolderIsNotTrusted(string kind)
    {
        using var folder = new TempFolder();
        string zip = TestFiles.WriteZip(folder.Combine("set.zip"), [("cat/1.txt", "real-1"u8.ToArray()), ("dog/2.txt", "real-2"u8.ToArray())]);
        string cache = folder.Combine("cache");
        string extracted = SafeZipExtractor.Extract(zip, cache);
        string victim = Path.Combine(extracted, "cat", "1.txt");
        switch (kind)
        {
            case "changed":
                File.WriteAllText(victim, "PLANT1");
                break;
            case "extra":
                File.WriteAllText(Path.Combine(extracted, "cat", "planted.txt"), "planted");
                break;
            case "link":
                File.Delete(victim);
                File.WriteAllText(folder.Combine("elsewhere.txt"), "real-1");
                File.CreateSymbolicLink(victim, folder.Combine("elsewhere.txt"));
                break;
        }
        string again = SafeZipExtractor.Extract(zip, cache);
        Assert.AreEqual(extracted, again);
        Assert.AreEqual("real-1", File.ReadAllText(Path.Combine(again, "cat", "1.txt")));
        Assert.IsNull(new FileInfo(Path.Combine(again, "cat", "1.txt")).LinkTarget);
        Assert.IsFalse(File.Exists(Path.Combine(again, "cat", "planted.txt")));
    }

    [TestMethod]
    [DataRow("folder")]
    [DataRow("file")]
    public void ANameThatIsNotUtf8IsRefusedNotSkipped(string kind)
    {
        using var folder = new TempFolder();
        string root = folder.Combine("set");
        TestFiles.WritePng(Path.Combine(root, "a", "1.png"));
        TestFiles.WritePng(Path.Combine(root, "b", "1.png"));
        string script = kind == "folder"
            ? "mkdir \"$1/c$(printf '\\377')\" && cp \"$1/a/1.png\" \"$1/c$(printf '\\377')/1.png\""
            : "cp \"$1/a/1.png\" \"$1/a/2$(printf '\\377').png\"";
        using (var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script, "sh", root]) { UseShellExecute = false })!)
        {
            shell.WaitForExit();
            Assert.AreEqual(0, shell.ExitCode);
        }
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root));
        StringAssert.Contains(error.Message, "not valid UTF-8");
        StringAssert.Contains(error.Message, root);
    }

    [TestMethod]
    public void RunsWithAnAnswerOutsideTheirFolderAreRefused()
    {
        using var folder = new TempFolder();
        string runs = folder.Combine("runs");
        TestFiles.WritePng(Path.Combine(runs, "run01", "test", "item01.png"));
        TestFiles.WritePng(Path.Combine(runs, "run01", "training", "class01.png"));
        TestFiles.WritePng(folder.Combine("outside.png"));
        File.WriteAllText(Path.Combine(runs, "run01", "class_labels.txt"), "run01/test/item01.png ../outside.png\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => OneShotRunsReader.Read(runs));
        StringAssert.Contains(error.Message, "outside the runs folder");
        StringAssert.Contains(error.Message, "class_labels.txt(1)");
    }

    [TestMethod]
    public void ARunsLineWithANulCharacterIsRefusedByFileAndLine()
    {
        // Found by the fuzzer (fuzz/regressions/runs): .NET's Path.GetFullPath threw "Null character in path", naming no file.
        using var folder = new TempFolder();
        string runs = folder.Combine("runs");
        TestFiles.WritePng(Path.Combine(runs, "run01", "test", "item01.png"));
        TestFiles.WritePng(Path.Combine(runs, "run01", "training", "class01.png"));
        File.WriteAllText(Path.Combine(runs, "run01", "class_labels.txt"), "run01/test/item01.png run01/training/class01.png\nrun01/test/\0item01.png run01/training/class01.png\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => OneShotRunsReader.Read(runs));
        StringAssert.Contains(error.Message, "class_labels.txt(2)");
        StringAssert.Contains(error.Message, "control character");
    }
}
