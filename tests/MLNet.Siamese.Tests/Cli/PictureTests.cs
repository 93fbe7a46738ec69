using System.Text.Json;
using MLNet.Siamese.Cli.Plots;
using MLNet.Siamese.Tests.Data;
using SkiaSharp;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// The pictures of the CLI: <c>train --plots --tensorboard --validation-data</c>, <c>evaluate --plots</c> and
/// <c>embed --plot</c> write non-empty PNGs of the documented sizes (and TensorBoard event files), and give their
/// paths in <c>--json</c>. One tiny model (4 characters x 20 images, 40 iterations) is trained once.
/// </summary>
[TestClass]
public sealed class PictureTests
{
    private static TempFolder _temp = null!;
    private static string _train = null!;
    private static string _validation = null!;
    private static string _model = null!;
    private static JsonDocument _trainJson = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _temp = new TempFolder();
        string all = _temp.Combine("all");
        var (_, characters) = CliData.WriteImageFolder(all);
        // Two folders of whole characters: four to train on, two held out for validation.
        _train = _temp.Combine("train");
        _validation = _temp.Combine("validation");
        for (int c = 0; c < characters.Count; c++)
        {
            string from = Path.GetDirectoryName(characters[c][0])!;
            string to = Path.Combine(c < 4 ? _train : _validation, Path.GetFileName(Path.GetDirectoryName(from))!, Path.GetFileName(from));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            Directory.Move(from, to);
        }
        _model = _temp.Combine("model.zip");
        var result = CliRunner.Run("train", "--data", _train, "--label-depth", "2", "--iterations", "40", "--batch", "16", "--embedding-dim", "8",
            "--image-size", "28", "--test-time-views", "none", "--seed", "3", "--validation-data", _validation,
            "--plots", _temp.Combine("train-plots"), "--tensorboard", _temp.Combine("tb"), "--json", "--out", _model);
        result.AssertSuccess();
        _trainJson = JsonDocument.Parse(result.Out);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        _trainJson?.Dispose();
        _temp?.Dispose();
    }

    [TestMethod]
    public void TrainDrawsTheLossAndValidationCurves()
    {
        var plots = _trainJson.RootElement.GetProperty("plots");
        string loss = plots.GetProperty("loss").GetString()!;
        string validation = plots.GetProperty("validation").GetString()!;
        Assert.AreEqual(Path.Combine(_temp.Combine("train-plots"), TrainPlots.LossFile), loss);
        Assert.AreEqual(Path.Combine(_temp.Combine("train-plots"), TrainPlots.ValidationFile), validation);
        AssertPicture(loss, PlotFiles.Width, PlotFiles.Height);
        AssertPicture(validation, PlotFiles.Width, PlotFiles.Height);
    }

    [TestMethod]
    public void TrainWritesTensorBoardEvents()
    {
        string folder = _trainJson.RootElement.GetProperty("tensorboard").GetString()!;
        var events = Directory.GetFiles(folder, "events.out.tfevents.*", SearchOption.AllDirectories);
        Assert.HasCount(1, events);
        byte[] bytes = File.ReadAllBytes(events[0]);
        // 40 loss scalars and 20 validation scalars (every 2 iterations), each record naming its tag.
        Assert.AreEqual(40, Occurrences(bytes, TrainTensorBoard.LossTag));
        Assert.AreEqual(TrainPictures.Validations, Occurrences(bytes, TrainTensorBoard.ValidationTag));
    }

    [TestMethod]
    public void EvaluateDrawsTheRocAndTheScoreHistograms()
    {
        string folder = _temp.Combine("eval-plots");
        var result = CliRunner.Run("evaluate", "--model", _model, "--data", _validation, "--label-depth", "2", "--pairs", "60", "--plots", folder, "--json");
        result.AssertSuccess();
        using var json = JsonDocument.Parse(result.Out);
        var plots = json.RootElement.GetProperty("plots");
        Assert.AreEqual(Path.Combine(folder, EvaluationPlots.RocFile), plots.GetProperty("roc").GetString());
        Assert.AreEqual(Path.Combine(folder, EvaluationPlots.HistogramFile), plots.GetProperty("scores").GetString());
        AssertPicture(plots.GetProperty("roc").GetString()!, PlotFiles.Width, PlotFiles.Height);
        AssertPicture(plots.GetProperty("scores").GetString()!, PlotFiles.Width, PlotFiles.Height);
    }

    [TestMethod]
    public void EmbedDrawsAMapWithThumbnails()
    {
        string map = _temp.Combine("maps", "map.png");
        var result = CliRunner.Run("embed", "--model", _model, "--data", _validation, "--label-depth", "2", "--out", _temp.Combine("e.csv"), "--plot", map, "--json");
        result.AssertSuccess();
        using var json = JsonDocument.Parse(result.Out);
        Assert.AreEqual(map, json.RootElement.GetProperty("plot").GetString());
        AssertPicture(map, PlotFiles.MapSide, PlotFiles.MapSide);
    }

    [TestMethod]
    public void APictureOptionThatNamesAFileOrFolderWrongIsAUsageError()
    {
        string file = _temp.Combine("not-a-folder.txt");
        File.WriteAllText(file, "x");
        CliRunner.Run("evaluate", "--model", _model, "--data", _validation, "--label-depth", "2", "--pairs", "10", "--plots", file)
            .AssertUsageError("--plots");
        CliRunner.Run("embed", "--model", _model, "--data", _validation, "--label-depth", "2", "--out", _temp.Combine("e2.csv"), "--plot", _temp.Path)
            .AssertUsageError("--plot");
    }

    [TestMethod]
    public void ABackbonesValidationCurve_IsMapAtRWithItsStart()
    {
        string folder = _temp.Combine("map-plots");
        Directory.CreateDirectory(folder);
        var paths = TrainPlots.Write(folder, [2f, 1.9f, 1.95f], [new(25, 0.5201), new(50, 0.5177)], "MAP@R", start: 0.52);
        Assert.HasCount(2, paths);
        using var image = SKBitmap.Decode(paths[1]);
        Assert.AreEqual(PlotFiles.Width, image.Width);
    }

    [TestMethod]
    public void EveryClassOfTheMap_GetsItsOwnColour()
    {
        // Before, the ten-colour palette repeated past ten classes: Caltech's 15 unseen classes shared five colours.
        CollectionAssert.AreEqual(PlotFiles.Palette[..3], PlotFiles.ColoursFor(3).ToArray(), "few classes keep the palette");
        var fifteen = PlotFiles.ColoursFor(15);
        Assert.HasCount(15, fifteen);
        Assert.HasCount(15, fifteen.Distinct().ToList());
    }

    [TestMethod]
    public void MovingAverageRocAndThresholdAreComputedAsDocumented()
    {
        CollectionAssert.AreEqual(new[] { 1.0, 1.5, 2.5, 3.5 }, TrainPlots.MovingAverage([1f, 2f, 3f, 4f], 2));
        CollectionAssert.AreEqual(new[] { 1.0, 1.0, 3.0 }, TrainPlots.MovingAverage([1f, float.NaN, 3f], 2), "non-finite values are skipped");
        var roc = EvaluationPlots.RocPoints([0.9f, 0.8f, 0.3f, 0.1f], [true, false, true, false]);
        CollectionAssert.AreEqual(new[] { (0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0) }, roc.Select(p => (p.X, p.Y)).ToArray());
        Assert.AreEqual(0.55, EvaluationPlots.ModelThreshold([0.9f, 0.6f, 0.5f, 0.1f], [true, true, false, false])!.Value, 1e-6);
        Assert.IsNull(EvaluationPlots.ModelThreshold([0.9f, 0.1f], [true, true]));
    }

    /// <summary>A PNG of the given size that is not blank: more than a handful of colours, some of them far from white.</summary>
    private static void AssertPicture(string path, int width, int height)
    {
        Assert.IsTrue(File.Exists(path), path);
        using var bitmap = SKBitmap.Decode(path);
        Assert.IsNotNull(bitmap, $"{path} is not a readable PNG");
        Assert.AreEqual(width, bitmap.Width, path);
        Assert.AreEqual(height, bitmap.Height, path);
        var colours = new HashSet<uint>();
        int dark = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                SKColor c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                if (c.Red + c.Green + c.Blue < 3 * 160) dark++;
            }
        }
        Assert.IsGreaterThan(8, colours.Count, $"{path} looks blank");
        Assert.IsGreaterThan(500, dark, $"{path} has almost no ink (text, axes, curves)");
    }

    private static int Occurrences(byte[] haystack, string text)
    {
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(text);
        int count = 0;
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) count++;
        }
        return count;
    }
}
