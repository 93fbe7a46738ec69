using System.Diagnostics;
using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Tests.Data;

using MLNet.Siamese.Tests.Trainers;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Hostile image files (empty, truncated, a header claiming 100000x100000 pixels, not an image) give a clear error
/// naming the file, quickly and in bounded memory, through DecodeToArray and through the trainer.
/// </summary>
[TestClass]
public sealed class HostileImageTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string WriteHostile(ReliabilityFolder folder, string kind)
    {
        string path = folder.Combine("hostile", kind + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] good = File.ReadAllBytes(TestFiles.WritePng(folder.Combine("model.png"), 105, 105, square: 40, x: 10, y: 10));
        byte[] bytes = kind switch
        {
            "zero-byte" => [],
            "truncated-header" => good[..20],
            "truncated-data" => good[..(good.Length - 30)], // IDAT cut short, IEND gone
            "huge-100000x100000" => HostilePng.WithClaimedSize(100_000, 100_000, rows: 4),
            "large-20000x20000" => HostilePng.WithClaimedSize(20_000, 20_000, rows: 20_000), // complete, 390 KB on disk, 400 Mpx
            "rows-missing" => HostilePng.WithClaimedSize(64, 64, rows: 10),
            "text" => "this is not an image"u8.ToArray(),
            "zip" => File.ReadAllBytes(TestFiles.WriteZip(folder.Combine("a.zip"), [("a.txt", [1, 2, 3])])),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static T WithinTimeout<T>(Func<T> action)
    {
        var task = Task.Run(action);
        Assert.IsTrue(task.Wait(Timeout), $"did not finish within {Timeout.TotalSeconds} s");
        return task.Result;
    }

    [TestMethod]
    [DataRow("zero-byte")]
    [DataRow("truncated-header")]
    [DataRow("truncated-data")]
    [DataRow("huge-100000x100000")]
    [DataRow("large-20000x20000")]
    [DataRow("rows-missing")]
    [DataRow("text")]
    [DataRow("zip")]
    public void DecodeToArray_RefusesTheFileByName_QuicklyAndInBoundedMemory(string kind)
    {
        using var folder = new ReliabilityFolder();
        string path = WriteHostile(folder, kind);
        string good = TestFiles.WritePng(folder.Combine("good.png"), 28, 28, square: 5);
        var process = Process.GetCurrentProcess();
        long peakBefore = process.PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var error = WithinTimeout(() => Assert.ThrowsExactly<InvalidDataException>(() =>
            ImagePreprocessing.DecodeToArray(new MLContext(1), [good, path, good], new ImagePreprocessingOptions())));
        process.Refresh();
        long grown = process.PeakWorkingSet64 - peakBefore;
        TestContext.WriteLine($"{kind}: {clock.ElapsedMilliseconds} ms, peak working set +{grown >> 20} MiB: {error.Message}");
        StringAssert.Contains(error.Message, path);
        Assert.IsLessThan(2L << 30, grown, "peak working set grew by less than 2 GiB");
    }

    [TestMethod]
    [DataRow("zero-byte")]
    [DataRow("truncated-data")]
    [DataRow("huge-100000x100000")]
    [DataRow("text")]
    public void TheTrainerRefusesAHostileImageByName(string kind)
    {
        using var folder = new ReliabilityFolder();
        var rows = new List<ImageRow>();
        for (int c = 0; c < 2; c++)
            for (int k = 0; k < 3; k++)
                rows.Add(new ImageRow { ImagePath = TestFiles.WritePng(folder.Combine($"c{c}", $"{k}.png"), 28, 28, square: 6 + c * 6, x: k, y: k), Label = $"c{c}" });
        string hostile = WriteHostile(folder, kind);
        rows.Insert(3, new ImageRow { ImagePath = hostile, Label = "c1" });
        var ml = new MLContext(1);
        var options = SmallRuns.TinyImageModel();
        var error = WithinTimeout(() => Assert.ThrowsExactly<InvalidDataException>(() => ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(rows))));
        StringAssert.Contains(error.Message, hostile);
    }

    [TestMethod]
    public void FuzzedPngs_DecodeOrFailWithInvalidDataNamingTheFile()
    {
        using var folder = new ReliabilityFolder();
        byte[] original = File.ReadAllBytes(TestFiles.WritePng(folder.Combine("model.png"), 28, 28, square: 9, x: 4, y: 6));
        string path = folder.Combine("fuzzed.png");
        var ml = new MLContext(1);
        var options = new ImagePreprocessingOptions();
        int decoded = 0, refused = 0;
        int done = Mutations.Loop(original, seed: 21, count: 200, budget: TimeSpan.FromSeconds(8), (bytes, what) =>
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                var values = ImagePreprocessing.DecodeToArray(ml, [path], options);
                Assert.HasCount(784, values, what);
                Assert.IsTrue(values.All(v => v is >= 0f and <= 1f), what);
                decoded++;
            }
            catch (InvalidDataException e)
            {
                StringAssert.Contains(e.Message, path, what);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: unexpected {e.GetType().Name}: {e.Message}");
            }
        });
        TestContext.WriteLine($"{done} mutated PNGs: {decoded} decoded (damage in ancillary bytes or pixels), {refused} refused");
        Assert.IsGreaterThan(20, done);
        Assert.IsGreaterThan(0, refused);
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
