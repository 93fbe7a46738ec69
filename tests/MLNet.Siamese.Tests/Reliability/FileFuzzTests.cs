using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Data;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Random damage to valid zip archives, IDX files and checkpoints: each loader either reads the file or refuses it
/// with its documented exception, never writes outside its folder, never hangs and never allocates what a header claims.
/// </summary>
[TestClass]
public sealed class FileFuzzTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);

    [TestMethod]
    public void FuzzedZipArchives_ExtractOrAreRejected_NothingWrittenOutsideTheCache()
    {
        using var folder = new ReliabilityFolder();
        byte[] png = File.ReadAllBytes(TestFiles.WritePng(folder.Combine("p.png"), 12, 12, square: 3));
        string archive = TestFiles.WriteZip(folder.Combine("model.zip"),
            [("alpha/c1/a.png", png), ("alpha/c1/b.png", png), ("beta/c2/a.png", png), ("readme.txt", "hello"u8.ToArray())]);
        byte[] original = File.ReadAllBytes(archive);
        string work = folder.Combine("work");
        Directory.CreateDirectory(work);
        string fuzzed = Path.Combine(work, "fuzzed.zip");
        int extracted = 0, rejected = 0;
        int done = Mutations.Loop(original, seed: 5, count: 200, Budget, (bytes, what) =>
        {
            File.WriteAllBytes(fuzzed, bytes);
            string cache = Path.Combine(work, "cache-" + Guid.NewGuid().ToString("N"));
            try
            {
                string target = SafeZipExtractor.Extract(fuzzed, cache);
                Assert.IsTrue(SafeZipExtractor.IsComplete(target), what);
                extracted++;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                rejected++;
                Assert.IsFalse(Directory.EnumerateDirectories(cache, ".partial-*").Any(), $"{what}: partial extraction left behind");
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: unexpected {e.GetType().Name}: {e.Message}");
            }
            var outside = Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName).Where(n => n != "fuzzed.zip" && !n!.StartsWith("cache-", StringComparison.Ordinal)).ToArray();
            Assert.IsEmpty(outside, $"{what}: wrote outside the cache: {string.Join(", ", outside)}");
            if (Directory.Exists(cache)) Directory.Delete(cache, true);
        });
        var stray = Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "model.zip", "p.png", "work" }, stray, "nothing written next to the work folder");
        TestContext.WriteLine($"{done} mutated archives: {extracted} extracted, {rejected} rejected");
        Assert.IsGreaterThan(20, done);
        Assert.IsGreaterThan(0, rejected);
    }

    [TestMethod]
    public void FuzzedIdxFiles_ReadOrAreRejected_WithoutAllocatingWhatTheHeaderClaims()
    {
        using var folder = new ReliabilityFolder();
        var pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)i).ToArray();
        byte[] raw = TestFiles.Idx(IdxReader.ImagesMagic, [3, 4, 5], pixels);
        byte[] gzip = TestFiles.Gzip(raw);
        string path = folder.Combine("fuzzed.idx");
        int read = 0, rejected = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int done = 0;
        foreach (var (original, seed) in new[] { (raw, 1), (gzip, 2) })
        {
            done += Mutations.Loop(original, seed, count: 150, Budget, (bytes, what) =>
            {
                File.WriteAllBytes(path, bytes);
                try
                {
                    var images = IdxReader.ReadImages(path);
                    Assert.AreEqual((long)images.Count * images.Rows * images.Columns, images.Count * (long)images.PixelsPerImage, what);
                    read++;
                }
                catch (InvalidDataException e)
                {
                    StringAssert.Contains(e.Message, "fuzzed.idx", what);
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"{what}: unexpected {e.GetType().Name}: {e.Message}");
                }
            });
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.WriteLine($"{done} mutated IDX files: {read} read, {rejected} rejected; {allocated >> 20} MiB allocated in all (this thread and others)");
        Assert.IsGreaterThan(0, rejected);
        Assert.IsLessThan(1L << 30, allocated, "no header claim was allocated blindly");
    }

    [TestMethod]
    public void IdxHeadersThatLieAboutTheirSize_AreRefusedWithoutAllocating()
    {
        using var folder = new ReliabilityFolder();
        // A gzip file cannot be checked against the file length: 10000 images of 200x200 claimed, 60 bytes given.
        string gz = folder.Combine("lying.idx.gz");
        File.WriteAllBytes(gz, TestFiles.Gzip(TestFiles.Idx(IdxReader.ImagesMagic, [10_000, 200, 200], new byte[60])));
        // Dimensions whose product overflows 32 bits.
        string overflow = folder.Combine("overflow.idx");
        File.WriteAllBytes(overflow, TestFiles.Idx(IdxReader.ImagesMagic, [65_536, 65_536, 2], new byte[8]));
        // Negative dimension.
        string negative = folder.Combine("negative.idx");
        File.WriteAllBytes(negative, TestFiles.Idx(IdxReader.ImagesMagic, [-1, 28, 28], new byte[8]));
        // Labels claiming int.MaxValue entries.
        string labels = folder.Combine("labels.idx");
        File.WriteAllBytes(labels, TestFiles.Idx(IdxReader.LabelsMagic, [int.MaxValue], new byte[8]));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        foreach (string file in new[] { gz, overflow, negative })
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(file)).Message, Path.GetFileName(file));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(labels)).Message, "labels.idx");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.IsLessThan(64L << 20, allocated, $"{allocated} bytes allocated for files of a few dozen bytes");
    }

    [TestMethod]
    public void FuzzedCheckpoints_AreAlwaysRefusedWithInvalidData()
    {
        using var folder = new ReliabilityFolder();
        string good = folder.Combine(TrainingCheckpoint.FileName(7));
        new TrainingCheckpoint
        {
            Header = new CheckpointHeader { Iteration = 7, TotalIterations = 10, LossHistory = [1f, 0.5f], Loss = "Contrastive", RandomState = [1, 2, 3, 4] },
            NetworkState = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(),
            HeadState = [],
            OptimizerState = [9, 8, 7],
        }.Save(good);
        byte[] original = File.ReadAllBytes(good);
        string path = folder.Combine(TrainingCheckpoint.FileName(9));
        int loaded = 0;
        int done = Mutations.Loop(original, seed: 3, count: 300, Budget, (bytes, what) =>
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                TrainingCheckpoint.Load(path);
                loaded++; // only possible if the mutation left the bytes unchanged
                CollectionAssert.AreEqual(original, bytes, $"{what}: a damaged checkpoint loaded");
            }
            catch (InvalidDataException e)
            {
                StringAssert.Contains(e.Message, path, what);
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: unexpected {e.GetType().Name}: {e.Message}");
            }
            Assert.AreEqual(loaded > 0 ? path : good, TrainingCheckpoint.FindLatestValid(folder.Path), what);
            loaded = 0;
        });
        TestContext.WriteLine($"{done} mutated checkpoints, all refused by the SHA-256 or the format checks");
    }
}
