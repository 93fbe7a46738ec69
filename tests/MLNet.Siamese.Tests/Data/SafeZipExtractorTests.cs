using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Tests.Data;

[TestClass]
public sealed class SafeZipExtractorTests
{
    private static readonly byte[] Hello = Encoding.UTF8.GetBytes("hello");

    /// <summary>Sandbox layout: archives/ holds the zip, cache/ is the extraction cache; nothing else may appear.</summary>
    private static (TempFolder Sandbox, string Archive, string Cache) Sandbox(string name)
    {
        var sandbox = new TempFolder();
        return (sandbox, sandbox.Combine("archives", name), sandbox.Combine("cache"));
    }

    /// <summary>Asserts the refusal names archive (and entry), and that only the archive itself is left in the sandbox.</summary>
    private static ArchiveRejectedException AssertRefused(TempFolder sandbox, string archive, string cache, string? entry,
        ZipExtractionLimits? limits = null)
    {
        var e = Assert.ThrowsExactly<ArchiveRejectedException>(() => SafeZipExtractor.Extract(archive, cache, limits));
        StringAssert.Contains(e.Message, archive);
        Assert.AreEqual(archive, e.ArchivePath);
        if (entry is not null)
        {
            StringAssert.Contains(e.Message, entry);
            Assert.AreEqual(entry, e.EntryName);
        }
        CollectionAssert.AreEqual(new[] { "archives/" + Path.GetFileName(archive) }, sandbox.AllFiles(), "files were left behind");
        Assert.IsTrue(!Directory.Exists(cache) || !Directory.EnumerateFileSystemEntries(cache).Any(), "a partial cache folder remains");
        return e;
    }

    [TestMethod]
    public void ValidArchive_IsExtractedWithMarker_AndReusedOnSecondCall()
    {
        var (sandbox, archive, cache) = Sandbox("good.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("top/a/1.txt", Hello), ("top/b/2.txt", Encoding.UTF8.GetBytes("world"))]);

        string folder = SafeZipExtractor.Extract(archive, cache);
        StringAssert.StartsWith(folder, Path.Combine(cache, "good-"));
        Assert.AreEqual("hello", File.ReadAllText(Path.Combine(folder, "top", "a", "1.txt")));
        Assert.AreEqual("world", File.ReadAllText(Path.Combine(folder, "top", "b", "2.txt")));
        Assert.IsTrue(SafeZipExtractor.IsComplete(folder));

        string marker = Path.Combine(folder, SafeZipExtractor.CompleteMarkerFileName);
        var markerTime = File.GetLastWriteTimeUtc(marker);
        string extracted = Path.Combine(folder, "top", "a", "1.txt");
        var fileTime = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(extracted, fileTime); // a verified cache is reused as it is, not extracted again

        string again = SafeZipExtractor.Extract(archive, cache);
        Assert.AreEqual(folder, again);
        Assert.AreEqual(markerTime, File.GetLastWriteTimeUtc(marker));
        Assert.AreEqual(fileTime, File.GetLastWriteTimeUtc(extracted), "the extraction was redone instead of reused");
        Assert.AreEqual(1, Directory.GetDirectories(cache).Length);
    }

    [TestMethod]
    public void InterruptedExtraction_WithoutMarker_IsRedoneNotUsed()
    {
        var (sandbox, archive, cache) = Sandbox("good.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("a/1.txt", Hello)]);
        string folder = SafeZipExtractor.Extract(archive, cache);

        // Simulate an interrupted extraction: marker missing, a file half-written.
        File.Delete(Path.Combine(folder, SafeZipExtractor.CompleteMarkerFileName));
        File.WriteAllText(Path.Combine(folder, "a", "1.txt"), "he");

        string again = SafeZipExtractor.Extract(archive, cache);
        Assert.AreEqual(folder, again);
        Assert.AreEqual("hello", File.ReadAllText(Path.Combine(folder, "a", "1.txt")));
        Assert.IsTrue(SafeZipExtractor.IsComplete(folder));
    }

    [TestMethod]
    public void ZipSlipEntry_DotDot_IsRefused_NothingWritten()
    {
        var (sandbox, archive, cache) = Sandbox("slip.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("ok/fine.txt", Hello), ("../evil.txt", Hello)]);
        AssertRefused(sandbox, archive, cache, "../evil.txt");
    }

    [TestMethod]
    public void ZipSlipEntry_DeepDotDot_IsRefused_NothingWritten()
    {
        var (sandbox, archive, cache) = Sandbox("slip2.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("a/../../../evil.txt", Hello)]);
        AssertRefused(sandbox, archive, cache, "a/../../../evil.txt");
    }

    [TestMethod]
    public void AbsoluteUnixPath_IsRefused_NothingWritten()
    {
        var (sandbox, archive, cache) = Sandbox("abs.zip");
        using var _ = sandbox;
        string evil = Path.Combine(Path.GetTempPath(), $"mlnet-siamese-evil-{Guid.NewGuid():N}");
        TestFiles.WriteZip(archive, [(evil, Hello)]);
        var e = AssertRefused(sandbox, archive, cache, evil);
        StringAssert.Contains(e.Message, "absolute");
        Assert.IsFalse(File.Exists(evil));
    }

    [TestMethod]
    [DataRow(@"C:\evil.txt")]
    [DataRow("C:/evil.txt")]
    [DataRow(@"\evil.txt")]
    public void AbsoluteWindowsPath_IsRefused_NothingWritten(string name)
    {
        var (sandbox, archive, cache) = Sandbox("abswin.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [(name, Hello)]);
        AssertRefused(sandbox, archive, cache, name);
    }

    [TestMethod]
    public void SymbolicLinkEntry_IsRefused_NothingWritten()
    {
        var (sandbox, archive, cache) = Sandbox("link.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("data/link", Encoding.UTF8.GetBytes("/etc/passwd"))],
            entry => entry.ExternalAttributes = unchecked((int)(0xA1FFu << 16)));
        var e = AssertRefused(sandbox, archive, cache, "data/link");
        StringAssert.Contains(e.Message, "symbolic link");
    }

    [TestMethod]
    public void SizeBomb_OverTotalLimit_IsRefusedBeforeWriting()
    {
        var (sandbox, archive, cache) = Sandbox("bomb.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("zeros.bin", new byte[50 * 1024 * 1024])]);
        var limits = new ZipExtractionLimits { MaxTotalBytes = 10 * 1024 * 1024, MaxCompressionRatio = double.MaxValue };
        var e = AssertRefused(sandbox, archive, cache, "zeros.bin", limits);
        StringAssert.Contains(e.Message, "limit");
    }

    [TestMethod]
    public void SizeBomb_HighCompressionRatio_IsRefusedWithDefaultLimits()
    {
        var (sandbox, archive, cache) = Sandbox("ratio.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("zeros.bin", new byte[50 * 1024 * 1024])]);
        var e = AssertRefused(sandbox, archive, cache, "zeros.bin");
        StringAssert.Contains(e.Message, "compression ratio");
    }

    [TestMethod]
    public void EntryOverPerEntryLimit_IsRefused()
    {
        var (sandbox, archive, cache) = Sandbox("entry.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("small.txt", Hello), ("big.bin", new byte[4096])]);
        AssertRefused(sandbox, archive, cache, "big.bin", new ZipExtractionLimits { MaxEntryBytes = 1000 });
    }

    [TestMethod]
    public void TooManyEntries_IsRefused()
    {
        var (sandbox, archive, cache) = Sandbox("many.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, Enumerable.Range(0, 20).Select(i => ($"f{i}.txt", Hello)));
        var e = AssertRefused(sandbox, archive, cache, null, new ZipExtractionLimits { MaxEntries = 10 });
        StringAssert.Contains(e.Message, "20 entries");
    }

    [TestMethod]
    public void LyingHeader_DeclaredSizeSmallerThanData_IsRefusedWhileCopying()
    {
        var (sandbox, archive, cache) = Sandbox("liar.zip");
        using var _ = sandbox;
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n")));
        TestFiles.WriteZip(archive, [("liar.txt", content)]);

        // Patch the declared uncompressed size (local header offset 22, central directory offset 24) to 100 bytes.
        byte[] bytes = File.ReadAllBytes(archive);
        int local = IndexOf(bytes, [0x50, 0x4b, 0x03, 0x04]);
        int central = IndexOf(bytes, [0x50, 0x4b, 0x01, 0x02]);
        Assert.AreEqual((uint)content.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(local + 22)));
        Assert.AreEqual((uint)content.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(central + 24)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(local + 22), 100);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(central + 24), 100);
        File.WriteAllBytes(archive, bytes);

        // .NET stops reading at the declared size, so the entry would come out silently truncated: the CRC-32
        // check (and the byte count) catch it.
        var e = AssertRefused(sandbox, archive, cache, "liar.txt");
        StringAssert.Contains(e.Message, "lying header");
    }

    [TestMethod]
    public void TruncatedArchive_CutInHalf_IsRefused()
    {
        var (sandbox, archive, cache) = Sandbox("cut.zip");
        using var _ = sandbox;
        var random = new Random(1);
        TestFiles.WriteZip(archive, Enumerable.Range(0, 10).Select(i =>
        {
            var data = new byte[2000];
            random.NextBytes(data);
            return ($"d/{i}.bin", data);
        }));
        byte[] bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length / 2)]);
        var e = AssertRefused(sandbox, archive, cache, null);
        StringAssert.Contains(e.Message, "corrupt");
    }

    [TestMethod]
    public void NotAZipAtAll_IsRefused()
    {
        var (sandbox, archive, cache) = Sandbox("text.zip");
        using var _ = sandbox;
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        File.WriteAllText(archive, "this is not a zip archive");
        AssertRefused(sandbox, archive, cache, null);
    }

    [TestMethod]
    public void DuplicateEntry_SamePathTwice_IsRefused()
    {
        var (sandbox, archive, cache) = Sandbox("dup.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("a/x.txt", Hello), ("a/./x.txt", Hello)]);
        AssertRefused(sandbox, archive, cache, "a/./x.txt");
    }

    [TestMethod]
    public void FileThenFolderOfSameName_IsRefused()
    {
        var (sandbox, archive, cache) = Sandbox("clash.zip");
        using var _ = sandbox;
        TestFiles.WriteZip(archive, [("a", Hello), ("a/x.txt", Hello)]);
        AssertRefused(sandbox, archive, cache, "a/x.txt");
    }

    [TestMethod]
    public void MissingArchive_ThrowsFileNotFound()
    {
        using var sandbox = new TempFolder();
        string missing = sandbox.Combine("missing.zip");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => SafeZipExtractor.Extract(missing, sandbox.Combine("cache")));
        StringAssert.Contains(e.Message, missing);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int index = haystack.AsSpan().IndexOf(needle);
        Assert.IsGreaterThanOrEqualTo(0, index);
        return index;
    }
}
