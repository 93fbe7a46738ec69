using System.Globalization;
using System.Text.Json;
using MLNet.Siamese.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// The siamese tool end to end, in process: one small model (6 Omniglot characters x 20 images, 20 iterations) is
/// trained once, then every command runs against it; bad input must give exit code 2 and one line on stderr.
/// </summary>
[TestClass]
public sealed class CliTests
{
    private static TempFolder _temp = null!;
    private static string _data = null!;
    private static string _runs = null!;
    private static string _model = null!;
    private static List<string[]> _characters = null!;
    private static CliResult _train = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _temp = new TempFolder();
        _data = _temp.Combine("images");
        (_, _characters) = CliData.WriteImageFolder(_data);
        _runs = _temp.Combine("runs");
        CliData.WriteRuns(_runs, _characters, runs: 2, ways: 5);
        _model = _temp.Combine("out", "model.zip");
        _train = CliRunner.Run(CliData.SmallModelTraining(_data, _model));
    }

    [ClassCleanup]
    public static void Cleanup() => _temp?.Dispose();

    [TestMethod]
    public void TrainWritesTheModelAndOneJsonObject()
    {
        _train.AssertSuccess();
        Assert.IsTrue(File.Exists(_model));
        using var json = JsonDocument.Parse(_train.Out);
        var root = json.RootElement;
        Assert.AreEqual(20, root.GetProperty("iterations").GetInt32());
        Assert.IsTrue(double.IsFinite(root.GetProperty("finalLoss").GetDouble()));
        Assert.IsGreaterThan(0.0, root.GetProperty("seconds").GetDouble());
        Assert.IsTrue(root.GetProperty("threshold").GetDouble() is >= 0 and <= 1);
        Assert.AreEqual(Path.GetFullPath(_model), root.GetProperty("output").GetString());
        Assert.AreEqual("images", root.GetProperty("input").GetString());
        Assert.AreEqual(CliData.Classes, root.GetProperty("classes").GetInt32());
        Assert.IsTrue(root.GetProperty("invert").GetBoolean(), "Omniglot is black ink on white: it must be inverted");
        Assert.AreEqual(9, root.GetProperty("testTimeViews").GetInt32(), "the standard test-time views are the default");
        Assert.AreEqual("handwriting", root.GetProperty("recipe").GetString(), "drawings on paper get the handwriting recipe");
        StringAssert.Contains(root.GetProperty("recipeReason").GetString(), "light background");
        Assert.AreEqual(SiameseRecipes.Handwriting.CreateOptions().WeightAveragingDecay, root.GetProperty("weightAveraging").GetDouble());
        Assert.AreEqual(HandwritingRecipe.Spread, root.GetProperty("spread").GetDouble());
        // The handwriting recipe holds no classes out and tries no whitened start: the choice fields say so.
        Assert.IsFalse(root.GetProperty("keptStart").GetBoolean());
        Assert.AreEqual(JsonValueKind.Null, root.GetProperty("heldOutChoice").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, root.GetProperty("identityHeldOutMapAtR").ValueKind);
        Assert.AreEqual(0, root.GetProperty("whiteningCandidates").GetArrayLength());
        Assert.AreEqual(JsonValueKind.Null, root.GetProperty("fineTuneHint").ValueKind);
        Assert.IsFalse(root.GetProperty("mirrorViews").GetBoolean(), "drawings have no backbone to mirror");
        // Progress, the recipe and the inversion notice went to stderr, not stdout.
        StringAssert.Contains(_train.Error, "Recipe: handwriting");
        StringAssert.Contains(_train.Error, "Images inverted");
        StringAssert.Contains(_train.Error, "iteration 20/20");
    }

    [TestMethod]
    public void InfoTellsWhatTheZipIs()
    {
        _train.AssertSuccess();
        var info = ModelFiles.SiameseModelInfo.Read(new Microsoft.ML.MLContext(), _model);
        Assert.AreEqual("compact", info.NetworkName);
        Assert.AreEqual("MultiSimilarity", info.Loss, "the handwriting recipe's loss");
        using (var trained = JsonDocument.Parse(_train.Out))
        {
            Assert.AreEqual(trained.RootElement.GetProperty("threshold").GetDouble(), info.Threshold!.Value, 1e-6);
            var measured = trained.RootElement.GetProperty("impostorDistances");
            Assert.IsGreaterThan(0L, measured.GetProperty("pairs").GetInt64());
            Assert.IsFalse(measured.GetProperty("heldOutClasses").GetBoolean(), "no validation data: the training classes");
        }
        Assert.IsTrue(info.InputColumns.Any(c => c.StartsWith("LeftImagePath", StringComparison.Ordinal)), string.Join(", ", info.InputColumns));
        Assert.IsNull(info.GalleryItems);

        var json = CliRunner.Run("info", "--model", _model, "--json");
        json.AssertSuccess();
        using var doc = JsonDocument.Parse(json.Out);
        Assert.AreEqual("compact", doc.RootElement.GetProperty("network").GetString());
        Assert.AreEqual("MultiSimilarity", doc.RootElement.GetProperty("loss").GetString());
        // The model measured its impostor distances on its own training classes (no validation data here).
        var impostors = doc.RootElement.GetProperty("impostorDistances");
        Assert.IsGreaterThan(0L, impostors.GetProperty("pairs").GetInt64());
        Assert.IsFalse(impostors.GetProperty("heldOutClasses").GetBoolean());
        Assert.IsGreaterThan(0.0, impostors.GetProperty("median").GetDouble());
        var table = CliRunner.Run("info", "--model", _model);
        table.AssertSuccess();
        StringAssert.Contains(table.Out, "Impostor distances");
        StringAssert.Contains(table.Out, "training classes");

        string notAModel = _temp.Combine("not-a-model.zip");
        File.WriteAllText(notAModel, "plain text");
        CliRunner.Run("info", "--model", notAModel).AssertUsageError("not-a-model.zip");
        CliRunner.Run("info", "--model", _temp.Combine("missing.zip")).AssertUsageError("missing.zip");
    }

    [TestMethod]
    public void ScoreMatchingFromEmbeddingsEqualsScoringEveryPair()
    {
        _train.AssertSuccess();
        var ml = new Microsoft.ML.MLContext(seed: 3);
        using var model = ItemEmbedder.Open(ml, _model);
        Assert.IsNotNull(model.PairScorer);
        Assert.IsTrue(model.ScoreFollowsDistance, "a prototypical model's score is a function of the distance");
        var items = DataSources.Load([_data], 2);
        var options = new global::MLNet.Siamese.Evaluation.OneShotEpisodeOptions { Ways = 5, Shots = 2, Episodes = 30, Seed = 4 };
        var byPairs = global::MLNet.Siamese.Cli.Commands.OneShotCommand.EvaluateEpisodes(model, items, options, byScore: true, global::MLNet.Siamese.Evaluation.SupportAggregation.NearestSupport);
        var byEmbeddings = global::MLNet.Siamese.Cli.Commands.OneShotCommand.EvaluateEpisodes(model, items, options, byScore: false, global::MLNet.Siamese.Evaluation.SupportAggregation.NearestSupport);
        Assert.AreEqual(byPairs.Correct, byEmbeddings.Correct);
        Assert.AreEqual(byPairs.Queries, byEmbeddings.Queries);
    }

    [TestMethod]
    public void EvaluatePrintsATableAndJson()
    {
        var table = CliRunner.Run("evaluate", "--model", _model, "--data", _data, "--label-depth", "2", "--pairs", "100");
        table.AssertSuccess();
        foreach (string row in new[] { "Accuracy at the model threshold", "Best-threshold accuracy", "AUC", "EER", "Precision", "Recall", "F1", "Retrieval P@1", "Retrieval MAP@R" })
            StringAssert.Contains(table.Out, row);

        var json = CliRunner.Run("evaluate", "--model", _model, "--data", _data, "--label-depth", "2", "--pairs", "100", "--within-group", "--json");
        json.AssertSuccess();
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.AreEqual(100, root.GetProperty("pairs").GetInt32());
        Assert.AreEqual(50, root.GetProperty("samePairs").GetInt32());
        Assert.IsTrue(root.GetProperty("withinGroup").GetBoolean());
        foreach (string name in new[] { "accuracy", "bestThresholdAccuracy", "auc", "eer", "precision", "recall", "f1" })
            Assert.IsTrue(root.GetProperty(name).GetDouble() is >= 0 and <= 1, name);
        Assert.IsGreaterThanOrEqualTo(root.GetProperty("accuracy").GetDouble(), root.GetProperty("bestThresholdAccuracy").GetDouble());
        var retrieval = root.GetProperty("retrieval");
        Assert.IsGreaterThan(0, retrieval.GetProperty("queries").GetInt32());
        foreach (string name in new[] { "precisionAt1", "rPrecision", "mapAtR" })
            Assert.IsTrue(retrieval.GetProperty(name).GetDouble() is >= 0 and <= 1, name);
        Assert.IsGreaterThanOrEqualTo(retrieval.GetProperty("mapAtR").GetDouble(), retrieval.GetProperty("rPrecision").GetDouble(), "MAP@R never exceeds R-precision");
        // 20 steps already separate these characters somewhat (deterministic on CPU for the seed; 0.70 measured).
        Assert.IsGreaterThan(0.55, root.GetProperty("auc").GetDouble());
        TestContext.WriteLine(json.Out);
    }

    [TestMethod]
    public void OneShotOnRandomEpisodesBothMatchings()
    {
        foreach (string match in new[] { "score", "distance" })
        {
            var result = CliRunner.Run("oneshot", "--model", _model, "--data", _data, "--label-depth", "2", "--ways", "5", "--shots", "1",
                "--episodes", "10", "--match", match, "--json");
            result.AssertSuccess();
            using var doc = JsonDocument.Parse(result.Out);
            var root = doc.RootElement;
            double accuracy = root.GetProperty("accuracy").GetDouble();
            Assert.IsTrue(accuracy is >= 0 and <= 1);
            Assert.AreEqual(10, root.GetProperty("episodes").GetInt32());
            Assert.AreEqual(50, root.GetProperty("queries").GetInt32());
            var runs = root.GetProperty("runs").EnumerateArray().ToList();
            Assert.HasCount(10, runs);
            Assert.AreEqual(accuracy, runs.Average(r => r.GetProperty("accuracy").GetDouble()), 1e-9);
            Assert.IsGreaterThan(0.25, accuracy, "better than 5-way chance (0.44 measured)");
            TestContext.WriteLine($"{match}: 5-way accuracy {accuracy:P0}");
        }
    }

    [TestMethod]
    public void OneShotOnLakeRuns()
    {
        var json = CliRunner.Run("oneshot", "--model", _model, "--runs", _runs, "--json");
        json.AssertSuccess();
        using var doc = JsonDocument.Parse(json.Out);
        var runs = doc.RootElement.GetProperty("runs").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { "run01", "run02" }, runs.Select(r => r.GetProperty("name").GetString()).ToArray());
        Assert.AreEqual(10, doc.RootElement.GetProperty("queries").GetInt32());
        Assert.IsTrue(doc.RootElement.GetProperty("accuracy").GetDouble() is >= 0 and <= 1);

        var table = CliRunner.Run("oneshot", "--model", _model, "--runs", _runs, "--match", "distance");
        table.AssertSuccess();
        StringAssert.Contains(table.Out, "run02");
        StringAssert.Contains(table.Out, "matching by distance");
    }

    [TestMethod]
    public void EmbedWritesInvariantCsv()
    {
        string csv = _temp.Combine("out", "embeddings.csv");
        var result = CliRunner.Run("embed", "--model", _model, "--data", _data, "--label-depth", "2", "--out", csv);
        result.AssertSuccess();
        string[] lines = File.ReadAllLines(csv);
        Assert.HasCount(1 + CliData.Classes * CliData.PerClass, lines);
        Assert.AreEqual("path,label," + string.Join(',', Enumerable.Range(0, 16).Select(d => $"e{d}")), lines[0]);
        var first = lines[1].Split(',');
        Assert.HasCount(18, first);
        Assert.IsTrue(File.Exists(first[0]), first[0]);
        Assert.AreEqual(2, first[1].Split('/').Length, "label depth 2 gives alphabet/character");
        foreach (string value in first.Skip(2))
            Assert.IsTrue(float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v), value);
    }

    [TestMethod]
    public void SearchFindsTheQueryFirstAndWritesTiles()
    {
        string query = _characters[2][0];
        string tiles = _temp.Combine("out", "tiles.png");
        var table = CliRunner.Run("search", "--model", _model, "--gallery", _data, "--label-depth", "2", "--query", query, "--k", "4", "--out", tiles);
        table.AssertSuccess();
        StringAssert.Contains(table.Out, query);
        byte[] png = File.ReadAllBytes(tiles);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4).ToArray());
        using (var bitmap = SkiaSharp.SKBitmap.Decode(tiles))
        {
            Assert.IsGreaterThan(3.0 * bitmap.Height, (double)bitmap.Width, "query + 4 results in one row");
            Assert.IsGreaterThan(0, CountDarkPixels(bitmap), "images and captions are drawn");
        }

        var json = CliRunner.Run("search", "--model", _model, "--gallery", _data, "--label-depth", "2", "--query", query, "--k", "3", "--json");
        json.AssertSuccess();
        using var doc = JsonDocument.Parse(json.Out);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.HasCount(3, results);
        Assert.AreEqual(query, results[0].GetProperty("path").GetString(), "the query is in the gallery: it is its own nearest");
        Assert.AreEqual(0.0, results[0].GetProperty("distance").GetDouble(), 1e-4);
        var distances = results.Select(r => r.GetProperty("distance").GetDouble()).ToList();
        CollectionAssert.AreEqual(distances.Order().ToList(), distances);

        // The distances agree with the embeddings that 'embed' writes.
        string csv = _temp.Combine("out", "search-check.csv");
        CliRunner.Run("embed", "--model", _model, "--data", _data, "--label-depth", "2", "--out", csv).AssertSuccess();
        var vectors = File.ReadLines(csv).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f.Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        double[] q = vectors[query], second = vectors[results[1].GetProperty("path").GetString()!];
        double expected = Math.Sqrt(q.Zip(second).Sum(z => (z.First - z.Second) * (z.First - z.Second)));
        Assert.AreEqual(expected, distances[1], 1e-4);
    }

    [TestMethod]
    public void IdxDataTrainsAFeatureModelThatEmbedsAndSearches()
    {
        string folder = _temp.Combine("idx");
        Directory.CreateDirectory(folder);
        string images = CliData.WriteIdx(folder, _characters, perClass: 8);
        string model = _temp.Combine("out", "idx-model.zip");
        var train = CliRunner.Run("train", "--data", images, "--iterations", "3", "--batch", "8", "--embedding-dim", "8", "--out", model);
        train.AssertSuccess();
        StringAssert.Contains(train.Out, "IDX items: 48 in 6 classes, 28x28");

        string csv = _temp.Combine("out", "idx.csv");
        CliRunner.Run("embed", "--model", model, "--data", images, "--out", csv).AssertSuccess();
        string[] lines = File.ReadAllLines(csv);
        Assert.HasCount(49, lines);
        StringAssert.StartsWith(lines[1], images + "#0,0,");

        var search = CliRunner.Run("search", "--model", model, "--gallery", images, "--query", images + "#9", "--k", "2", "--json");
        search.AssertSuccess();
        using var doc = JsonDocument.Parse(search.Out);
        Assert.AreEqual(images + "#9", doc.RootElement.GetProperty("results")[0].GetProperty("path").GetString());

        // An image model cannot read IDX data, and the other way round.
        CliRunner.Run("embed", "--model", _model, "--data", images, "--out", csv).AssertUsageError("IDX feature vectors");
        CliRunner.Run("embed", "--model", model, "--data", _data, "--out", csv).AssertUsageError("image files");
    }

    [TestMethod]
    public void NormalizationViewsAndAveragingCanBeTurnedOffAndTheScheduleChosen()
    {
        string model = _temp.Combine("out", "single-view.zip");
        var train = CliRunner.Run("train", "--data", _data, "--label-depth", "2", "--iterations", "3", "--batch", "16", "--embedding-dim", "16",
            "--image-size", "28", "--seed", "3", "--test-time-views", "none", "--spread", "0", "--schedule", "cosine", "--weight-averaging", "0", "--json", "--out", model);
        train.AssertSuccess();
        using var json = JsonDocument.Parse(train.Out);
        Assert.AreEqual(1, json.RootElement.GetProperty("testTimeViews").GetInt32());
        Assert.AreEqual("cosine", json.RootElement.GetProperty("schedule").GetString());
        Assert.AreEqual(0.0, json.RootElement.GetProperty("weightAveraging").GetDouble());
        Assert.AreEqual(0.0, json.RootElement.GetProperty("spread").GetDouble());
        CliRunner.Run("evaluate", "--model", model, "--data", _data, "--label-depth", "2", "--pairs", "40").AssertSuccess();
    }

    [TestMethod]
    public void BadInputExitsWithCodeTwoAndOneLine()
    {
        string missing = _temp.Combine("no-such-folder");
        CliRunner.Run("train", "--data", missing, "--out", _temp.Combine("x.zip")).AssertUsageError(missing);
        CliRunner.Run("train", "--data", _data, "--network", "resnet9000", "--out", _temp.Combine("x.zip")).AssertUsageError("resnet9000");
        CliRunner.Run("train", "--data", _data, "--loss", "hinge", "--out", _temp.Combine("x.zip")).AssertUsageError("hinge");
        CliRunner.Run("train", "--data", _data, "--test-time-views", "sideways", "--out", _temp.Combine("x.zip")).AssertUsageError("sideways");
        CliRunner.Run("train", "--data", _data, "--schedule", "exponential", "--out", _temp.Combine("x.zip")).AssertUsageError("exponential");
        CliRunner.Run("train", "--data", _data, "--weight-averaging", "1", "--out", _temp.Combine("x.zip")).AssertUsageError("--weight-averaging 1");
        CliRunner.Run("train", "--data", _data, "--spread", "1.5", "--out", _temp.Combine("x.zip")).AssertUsageError("--spread 1.5");
        CliRunner.Run("train", "--data", _data, "--spread", "-0.1", "--out", _temp.Combine("x.zip")).AssertUsageError("--spread -0.1");
        CliRunner.Run("train", "--data", _data, "--iterations", "-5", "--out", _temp.Combine("x.zip")).AssertUsageError("--iterations");
        CliRunner.Run("train", "--data", _data, "--backbone", "vgg16", "--out", _temp.Combine("x.zip")).AssertUsageError("vgg16");
        CliRunner.Run("train", "--data", _data, "--backbone", "resnet18", "--fine-tune", "7", "--out", _temp.Combine("x.zip")).AssertUsageError("--fine-tune 7");
        CliRunner.Run("train", "--data", _data, "--label-depth", "2", "--recipe", "general", "--fine-tune", "1", "--out", _temp.Combine("x.zip")).AssertUsageError("--backbone resnet18");
        CliRunner.Run("train", "--data", _data, "--backbone-features", "deep", "--out", _temp.Combine("x.zip")).AssertUsageError("--backbone-features 'deep'");
        CliRunner.Run("train", "--data", _data, "--label-depth", "2", "--recipe", "general", "--backbone-features", "auto", "--out", _temp.Combine("x.zip")).AssertUsageError("--backbone resnet18");
        CliRunner.Run("train", "--data", _data, "--out").AssertUsageError("--out");
        CliRunner.Run("train", "--out", _temp.Combine("x.zip")).AssertUsageError("--data");

        string corrupt = _temp.Combine("corrupt.zip");
        File.WriteAllBytes(corrupt, [0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
        CliRunner.Run("evaluate", "--model", corrupt, "--data", _data).AssertUsageError(corrupt);
        CliRunner.Run("embed", "--model", _temp.Combine("absent.zip"), "--data", _data, "--out", _temp.Combine("e.csv")).AssertUsageError("absent.zip");
        CliRunner.Run("oneshot", "--model", _model, "--runs", _runs, "--data", _data).AssertUsageError("either --runs");
        CliRunner.Run("oneshot", "--model", _model, "--data", _data, "--label-depth", "2", "--ways", "50").AssertUsageError("50-way");
        CliRunner.Run("search", "--model", _model, "--gallery", _data, "--query", _temp.Combine("nope.png")).AssertUsageError("nope.png");
        CliRunner.Run("frobnicate").AssertUsageError("frobnicate");
        Assert.IsFalse(File.Exists(_temp.Combine("x.zip")));
    }

    [TestMethod]
    public void HelpListsTheCommands()
    {
        var help = CliRunner.Run("--help");
        help.AssertSuccess();
        foreach (string command in new[] { "train", "evaluate", "oneshot", "embed", "search" })
            StringAssert.Contains(help.Out, command);
    }

    private static int CountDarkPixels(SkiaSharp.SKBitmap bitmap)
    {
        int dark = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (bitmap.GetPixel(x, y).Red < 128)
                    dark++;
            }
        }
        return dark;
    }
}
