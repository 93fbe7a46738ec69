using System.Text.Json;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// enroll, identify and evaluate-identification end to end, in process, on one small image model (6 Omniglot
/// characters x 20 images, 20 iterations) trained once; the gallery is 4 characters x 3 drawings.
/// </summary>
[TestClass]
public sealed class IdentificationCliTests
{
    private static TempFolder _temp = null!;
    private static string _data = null!;
    private static string _gallery = null!;
    private static string _model = null!;
    private static string _identifier = null!;
    private static List<string[]> _characters = null!;

    [ClassInitialize]
    public static void TrainAndEnrollOnce(TestContext context)
    {
        _temp = new TempFolder();
        _data = _temp.Combine("images");
        (_, _characters) = CliData.WriteImageFolder(_data);
        _gallery = _temp.Combine("gallery");
        for (int c = 0; c < 4; c++)
        {
            string folder = Path.Combine(_gallery, "alphabet", $"character{c}");
            Directory.CreateDirectory(folder);
            foreach (var file in _characters[c].Take(3))
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        _model = _temp.Combine("model.zip");
        CliRunner.Run(CliData.SmallModelTraining(_data, _model)).AssertSuccess();
        _identifier = _temp.Combine("id.zip");
        CliRunner.Run("enroll", "--model", _model, "--gallery", _gallery, "--label-depth", "2", "--out", _identifier, "--k", "3").AssertSuccess();
    }

    [ClassCleanup]
    public static void Cleanup() => _temp?.Dispose();

    [TestMethod]
    public void Evaluate_ThroughAnIdentifier_ScoresPairsByDistance_AndRetrievesAsItsPairScorer()
    {
        JsonElement Run(string model)
        {
            var run = CliRunner.Run("evaluate", "--model", model, "--data", _data, "--label-depth", "2", "--pairs", "60", "--json");
            run.AssertSuccess();
            return JsonDocument.Parse(run.Out).RootElement.Clone();
        }
        var scorer = Run(_model);
        var identifier = Run(_identifier);
        Assert.AreEqual(JsonValueKind.Null, identifier.GetProperty("accuracy").ValueKind, "an identifier has no pair threshold");
        Assert.AreEqual(60, identifier.GetProperty("pairs").GetInt32());
        Assert.IsTrue(identifier.GetProperty("auc").GetDouble() is > 0 and <= 1);
        var (a, b) = (scorer.GetProperty("retrieval"), identifier.GetProperty("retrieval"));
        Assert.AreEqual(a.GetProperty("queries").GetInt32(), b.GetProperty("queries").GetInt32());
        Assert.AreEqual(a.GetProperty("mapAtR").GetDouble(), b.GetProperty("mapAtR").GetDouble(), 1e-4, "the same embeddings, the same neighbours");
        Assert.AreEqual(a.GetProperty("precisionAt1").GetDouble(), b.GetProperty("precisionAt1").GetDouble(), 1e-4);

        var table = CliRunner.Run("evaluate", "--model", _identifier, "--data", _data, "--label-depth", "2", "--pairs", "60");
        table.AssertSuccess();
        StringAssert.Contains(table.Out, "none (an embedder or identifier scores no pairs)");
        StringAssert.Contains(table.Out, "Retrieval MAP@R");
        CliRunner.Run("evaluate", "--model", _identifier, "--data", _data, "--label-depth", "2", "--plots", _temp.Combine("plots")).AssertUsageError("--plots");
    }

    [TestMethod]
    public void TheIdentifier_KeepsItsModelsDescription_BesideItsGallery()
    {
        // Before, enrolling re-exported the embedder without its metadata: info called the identifier "not an MLNet.Siamese model".
        var ml = new Microsoft.ML.MLContext();
        var model = ModelFiles.SiameseModelInfo.Read(ml, _model);
        var identifier = ModelFiles.SiameseModelInfo.Read(ml, _identifier);
        Assert.IsNotNull(model.NetworkName);
        Assert.AreEqual(model.NetworkName, identifier.NetworkName);
        Assert.AreEqual(model.Loss, identifier.Loss);
        Assert.AreEqual(model.Threshold, identifier.Threshold);
        Assert.AreEqual(12, identifier.GalleryItems);
        Assert.IsNull(model.GalleryItems);
        var table = CliRunner.Run("info", "--model", _identifier);
        table.AssertSuccess();
        StringAssert.Contains(table.Out, "Pair threshold", "the model's threshold scores pairs");
        StringAssert.Contains(table.Out, "Unknown beyond distance", "the identifier's own threshold");
        Assert.DoesNotContain("not an MLNet.Siamese model", table.Out);
    }

    [TestMethod]
    public void EmbedSearchAndOneShot_ReadAnIdentifier_AsItsPairScorer()
    {
        // Before, embed took pair scorers only ("not a siamese pair scorer") and refused the embedder of an identifier,
        // or the Photos example's embedder zip.
        string fromScorer = _temp.Combine("scorer.csv"), fromIdentifier = _temp.Combine("identifier.csv");
        CliRunner.Run("embed", "--model", _model, "--data", _gallery, "--label-depth", "2", "--out", fromScorer).AssertSuccess();
        CliRunner.Run("embed", "--model", _identifier, "--data", _gallery, "--label-depth", "2", "--out", fromIdentifier).AssertSuccess();
        var a = File.ReadAllLines(fromScorer);
        var b = File.ReadAllLines(fromIdentifier);
        Assert.HasCount(13, b, "a header and the 12 gallery drawings");
        Assert.AreEqual(a[0], b[0]);
        for (int i = 1; i < a.Length; i++)
        {
            var x = a[i].Split(',');
            var y = b[i].Split(',');
            Assert.AreEqual(x[0] + x[1], y[0] + y[1], "the same path and label in the same order");
            for (int j = 2; j < x.Length; j++)
                Assert.AreEqual(double.Parse(x[j], System.Globalization.CultureInfo.InvariantCulture), double.Parse(y[j], System.Globalization.CultureInfo.InvariantCulture), 1e-5);
        }
        // search reads it the same way: a gallery drawing finds itself first.
        var search = CliRunner.Run("search", "--model", _identifier, "--gallery", _gallery, "--label-depth", "2", "--query", _characters[1][0], "--k", "2", "--json");
        search.AssertSuccess();
        using (var found = JsonDocument.Parse(search.Out))
            Assert.AreEqual("alphabet/character1", found.RootElement.GetProperty("results")[0].GetProperty("label").GetString());
        // and oneshot: the same episodes through the identifier's embedder as through the pair scorer.
        string Accuracy(string model)
        {
            var run = CliRunner.Run("oneshot", "--model", model, "--data", _data, "--label-depth", "2", "--ways", "3", "--shots", "1", "--episodes", "20", "--json");
            run.AssertSuccess();
            using var doc = JsonDocument.Parse(run.Out);
            return doc.RootElement.GetProperty("accuracy").GetRawText();
        }
        Assert.AreEqual(Accuracy(_model), Accuracy(_identifier));
        File.WriteAllText(_temp.Combine("text.zip"), "not a zip");
        CliRunner.Run("embed", "--model", _temp.Combine("text.zip"), "--data", _gallery, "--out", _temp.Combine("none.csv")).AssertUsageError("text.zip");
    }

    [TestMethod]
    public void Enroll_TakesImpostorImages_OfClassesItDoesNotEnrol()
    {
        string impostors = _temp.Combine("impostors");
        for (int c = 4; c < 6; c++)
        {
            string folder = Path.Combine(impostors, "alphabet", $"character{c}");
            Directory.CreateDirectory(folder);
            foreach (var file in _characters[c])
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }
        var run = CliRunner.Run("enroll", "--model", _model, "--gallery", _gallery, "--impostors", impostors, "--label-depth", "2",
            "--out", _temp.Combine("id-impostors.zip"), "--far", "0.05", "--json");
        run.AssertSuccess();
        using var doc = JsonDocument.Parse(run.Out);
        int count = _characters[4].Length + _characters[5].Length;
        StringAssert.Contains(doc.RootElement.GetProperty("calibration").GetString(), $"on {12 + count} leave-class-out impostor queries",
            "the 12 gallery drawings left class out, and every impostor image");
        CliRunner.Run("enroll", "--model", _model, "--gallery", _gallery, "--impostors", _gallery, "--label-depth", "2", "--out", _temp.Combine("no.zip"))
            .AssertUsageError("which --gallery enrols");
        CliRunner.Run("enroll", "--model", _identifier, "--gallery", _gallery, "--impostors", impostors, "--label-depth", "2", "--out", _temp.Combine("no.zip"))
            .AssertUsageError("--impostors calibrates a new identifier");
        Assert.IsFalse(File.Exists(_temp.Combine("no.zip")), "nothing written on a refused enrolment");
    }

    [TestMethod]
    public void OneShotByScore_ThroughTheIdentifierOfABinaryCrossEntropyModel_IsRefused()
    {
        // Its pair score is a learned head, not a function of the distance, and an identifier holds no pair scorer.
        string bce = _temp.Combine("bce.zip"), identifier = _temp.Combine("bce-id.zip");
        CliRunner.Run("train", "--data", _data, "--label-depth", "2", "--iterations", "5", "--batch", "16", "--embedding-dim", "16",
            "--image-size", "28", "--loss", "bce", "--seed", "3", "--out", bce).AssertSuccess();
        CliRunner.Run("enroll", "--model", bce, "--gallery", _gallery, "--label-depth", "2", "--out", identifier).AssertSuccess();
        CliRunner.Run("oneshot", "--model", identifier, "--data", _data, "--label-depth", "2", "--ways", "3", "--episodes", "5", "--match", "score")
            .AssertUsageError("no pair scores");
        CliRunner.Run("oneshot", "--model", identifier, "--data", _data, "--label-depth", "2", "--ways", "3", "--episodes", "5", "--match", "distance")
            .AssertSuccess();
    }

    [TestMethod]
    public void IdentifyJsonHasExactlyTheDocumentedShape()
    {
        var run = CliRunner.Run("identify", "--model", _identifier, "--query", _characters[0][10], "--query", _characters[5][0], "--json");
        run.AssertSuccess();
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        CollectionAssert.AreEqual(new[] { "results" }, root.EnumerateObject().Select(p => p.Name).ToArray());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.HasCount(2, results);
        var labels = new[] { "alphabet/character0", "alphabet/character1", "alphabet/character2", "alphabet/character3" };
        for (int q = 0; q < 2; q++)
        {
            var r = results[q];
            CollectionAssert.AreEqual(new[] { "query", "label", "distance", "neighbors" }, r.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.AreEqual(Path.GetFullPath(q == 0 ? _characters[0][10] : _characters[5][0]), r.GetProperty("query").GetString());
            var label = r.GetProperty("label");
            Assert.IsTrue(label.ValueKind == JsonValueKind.Null || labels.Contains(label.GetString()), $"label {label}");
            var neighbors = r.GetProperty("neighbors").EnumerateArray().ToList();
            Assert.HasCount(3, neighbors);
            Assert.AreEqual(neighbors[0].GetProperty("distance").GetDouble(), r.GetProperty("distance").GetDouble(), 1e-9);
            for (int n = 0; n < 3; n++)
            {
                CollectionAssert.AreEqual(new[] { "id", "label", "distance" }, neighbors[n].EnumerateObject().Select(p => p.Name).ToArray());
                Assert.IsTrue(File.Exists(neighbors[n].GetProperty("id").GetString()), "ids are the gallery image paths");
                if (n > 0) Assert.IsGreaterThanOrEqualTo(neighbors[n - 1].GetProperty("distance").GetDouble(), neighbors[n].GetProperty("distance").GetDouble());
            }
            if (label.ValueKind != JsonValueKind.Null)
                Assert.AreEqual(neighbors[0].GetProperty("label").GetString(), label.GetString());
        }
    }

    [TestMethod]
    public void AGalleryImageIsIdentifiedAsItsOwnClassAndTilesAreWritten()
    {
        string tiles = _temp.Combine("tiles.png");
        var run = CliRunner.Run("identify", "--model", _identifier, "--query", _characters[2][0], "--k", "2", "--out", tiles);
        run.AssertSuccess();
        StringAssert.Contains(run.Out, "| alphabet/character2 |");
        StringAssert.Contains(run.Out, "alphabet/character2 0.00", "the same drawing is at distance ~0 (float rounding of the MatMul form)");
        Assert.IsTrue(File.Exists(tiles));
    }

    [TestMethod]
    public void EnrollUpdatesAnIdentifierWithoutRetraining()
    {
        string updated = _temp.Combine("updated.zip");
        string removed = Path.GetFullPath(Directory.GetFiles(Path.Combine(_gallery, "alphabet", "character0")).Order(StringComparer.Ordinal).First());
        var run = CliRunner.Run("enroll", "--model", _identifier, "--remove", removed, "--out", updated, "--json");
        run.AssertSuccess();
        using (var doc = JsonDocument.Parse(run.Out))
        {
            Assert.AreEqual(11, doc.RootElement.GetProperty("items").GetInt32());
            Assert.IsTrue(doc.RootElement.GetProperty("updated").GetBoolean());
        }
        string extra = _temp.Combine("extra");
        Directory.CreateDirectory(Path.Combine(extra, "alphabet", "character4"));
        File.Copy(_characters[4][0], Path.Combine(extra, "alphabet", "character4", "a.png"));
        var add = CliRunner.Run("enroll", "--model", updated, "--gallery", extra, "--label-depth", "2", "--out", updated, "--json");
        add.AssertSuccess();
        using (var doc = JsonDocument.Parse(add.Out))
        {
            Assert.AreEqual(12, doc.RootElement.GetProperty("items").GetInt32());
            Assert.AreEqual(5, doc.RootElement.GetProperty("classes").GetInt32());
        }
        var again = CliRunner.Run("enroll", "--model", updated, "--gallery", extra, "--label-depth", "2", "--out", updated);
        again.AssertUsageError("already");
    }

    [TestMethod]
    public void EvaluateIdentificationReportsRatesOnNeverEnrolledClasses()
    {
        var run = CliRunner.Run("evaluate-identification", "--model", _model, "--data", _data, "--label-depth", "2", "--unknown-fraction", "0.34", "--far", "0.1", "--json");
        run.AssertSuccess();
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.AreEqual(4, root.GetProperty("enrolledClasses").GetInt32());
        Assert.AreEqual(4 * 19, root.GetProperty("knownQueries").GetInt32());
        Assert.AreEqual(2 * 20, root.GetProperty("impostorQueries").GetInt32());
        foreach (string name in new[] { "far", "dir", "dirAtFar", "rank1", "rank5" })
            Assert.IsTrue(root.GetProperty(name).GetDouble() is >= 0 and <= 1, name);
        Assert.IsGreaterThanOrEqualTo(root.GetProperty("rank1").GetDouble(), root.GetProperty("rank5").GetDouble());
        Assert.IsLessThanOrEqualTo(0.1 + 1e-9, root.GetProperty("targetFar").GetDouble());
    }

    [TestMethod]
    public void Enroll_ReadsTheThresholdFromTheModel_OrFromTheGalleryWhenAsked()
    {
        JsonElement Enroll(params string[] extra)
        {
            var run = CliRunner.Run(["enroll", "--model", _model, "--gallery", _gallery, "--label-depth", "2", "--out", _temp.Combine("calibrated.zip"), "--json", .. extra]);
            run.AssertSuccess();
            return JsonDocument.Parse(run.Out).RootElement.Clone();
        }
        // The model trained on every class (no held-out ones): auto calibrates on the gallery, model on its training classes.
        var auto = Enroll();
        var model = Enroll("--calibration", "model");
        var gallery = Enroll("--calibration", "gallery");
        StringAssert.Contains(model.GetProperty("calibration").GetString(), "read from the model's");
        StringAssert.Contains(model.GetProperty("calibration").GetString(), "training classes): pair rate");
        StringAssert.Contains(model.GetProperty("calibration").GetString(), "for 12 gallery rows");
        StringAssert.Contains(gallery.GetProperty("calibration").GetString(), "on 12 leave-class-out impostor queries");
        Assert.AreEqual(gallery.GetProperty("threshold").GetDouble(), auto.GetProperty("threshold").GetDouble());
        Assert.AreNotEqual(model.GetProperty("threshold").GetDouble(), gallery.GetProperty("threshold").GetDouble());

        var evaluated = CliRunner.Run("evaluate-identification", "--model", _model, "--data", _data, "--label-depth", "2", "--unknown-fraction", "0.34", "--calibration", "gallery", "--json");
        evaluated.AssertSuccess();
        using (var doc = JsonDocument.Parse(evaluated.Out))
            StringAssert.Contains(doc.RootElement.GetProperty("calibration").GetString(), "leave-class-out");

        CliRunner.Run("enroll", "--model", _model, "--gallery", _gallery, "--label-depth", "2", "--out", _temp.Combine("no.zip"), "--calibration", "sideways")
            .AssertUsageError("sideways");
        CliRunner.Run("enroll", "--model", _model, "--gallery", _gallery, "--label-depth", "2", "--out", _temp.Combine("no.zip"), "--calibration", "model", "--prototypes", "--k", "3")
            .AssertUsageError("not to class prototypes");
        CliRunner.Run("enroll", "--model", _identifier, "--gallery", _gallery, "--label-depth", "2", "--out", _temp.Combine("no.zip"), "--calibration", "gallery")
            .AssertUsageError("an updated one keeps its own");
        Assert.IsFalse(File.Exists(_temp.Combine("no.zip")), "nothing written on a refused enrolment");
    }

    [TestMethod]
    public void ANetpbmQuery_IsConvertedAndIdentifiedAsItsPngOriginal()
    {
        // The same drawing as a raw .pgm (the AT&T faces' format): the tool converts it and finds the enrolled original.
        string original = Directory.GetFiles(Path.Combine(_gallery, "alphabet", "character2")).Order(StringComparer.Ordinal).First();
        using var bitmap = SkiaSharp.SKBitmap.Decode(original);
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                gray[y * bitmap.Width + x] = (byte)((c.Red + c.Green + c.Blue) / 3);
            }
        string pgm = _temp.Combine("query.pgm");
        File.WriteAllBytes(pgm, [.. System.Text.Encoding.ASCII.GetBytes($"P5\n{bitmap.Width} {bitmap.Height}\n255\n"), .. gray]);
        string tiles = _temp.Combine("pgm-tiles.png");
        var run = CliRunner.Run("identify", "--model", _identifier, "--query", pgm, "--json", "--out", tiles);
        run.AssertSuccess();
        using var doc = JsonDocument.Parse(run.Out);
        var result = doc.RootElement.GetProperty("results")[0];
        Assert.AreEqual(Path.GetFullPath(pgm), result.GetProperty("query").GetString(), "named as given, not by its converted PNG");
        var nearest = result.GetProperty("neighbors")[0];
        Assert.AreEqual(Path.GetFullPath(original), nearest.GetProperty("id").GetString());
        Assert.IsLessThan(0.05, nearest.GetProperty("distance").GetDouble(), "the same pixels, the same embedding");
        Assert.IsTrue(File.Exists(tiles), "the query's tile is drawn from its PNG");

        string broken = _temp.Combine("broken.pgm");
        File.WriteAllText(broken, "P5 28 28 255\n");
        CliRunner.Run("identify", "--model", _identifier, "--query", broken).AssertUsageError("broken.pgm");
    }

    [TestMethod]
    public void BadInputGetsOneLineNamingIt()
    {
        CliRunner.Run("identify", "--model", _identifier, "--query", _characters[0][0], "--k", "13").AssertUsageError("larger than the gallery (12 items)");
        string broken = _temp.Combine("broken.png");
        File.WriteAllText(broken, "not an image");
        CliRunner.Run("identify", "--model", _identifier, "--query", broken).AssertUsageError("broken.png");
        CliRunner.Run("identify", "--model", _model, "--query", _characters[0][0]).AssertUsageError("not an identifier");
        string empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        CliRunner.Run("enroll", "--model", _model, "--gallery", empty, "--out", _temp.Combine("x.zip")).AssertUsageError("No image");
        CliRunner.Run("enroll", "--model", _model, "--gallery", _gallery, "--label-depth", "2", "--k", "50", "--out", _temp.Combine("x.zip")).AssertUsageError("larger than the gallery");
    }
}
