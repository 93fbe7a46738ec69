using System.Text.Json;
using MLNet.Siamese.Cli;
using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// <c>siamese evaluate --pairs-file</c>: a fixed list of labelled pairs scored through a pair scorer and through an
/// identifier of the same network, on one small image model (6 Omniglot characters x 20 images, 20 iterations) trained
/// once; and every malformed list refused naming its line.
/// </summary>
[TestClass]
public sealed class PairsFileCliTests
{
    private static TempFolder _temp = null!;
    private static string _data = null!;
    private static string _model = null!;
    private static string _identifier = null!;
    private static List<string[]> _characters = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _temp = new TempFolder();
        _data = _temp.Combine("images");
        (_, _characters) = CliData.WriteImageFolder(_data);
        _model = _temp.Combine("model.zip");
        CliRunner.Run(CliData.SmallModelTraining(_data, _model)).AssertSuccess();
        _identifier = _temp.Combine("id.zip");
        CliRunner.Run("enroll", "--model", _model, "--gallery", _data, "--label-depth", "2", "--out", _identifier).AssertSuccess();
    }

    [ClassCleanup]
    public static void Cleanup() => _temp?.Dispose();

    /// <summary>Writes a list file in the images folder and returns its path.</summary>
    private static string Write(string name, params string[] lines)
    {
        string path = Path.Combine(_data, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The path of an image relative to the images folder, as a list names it.</summary>
    private static string Relative(int character, int drawing) => Path.GetRelativePath(_data, _characters[character][drawing]);

    private static JsonElement Evaluate(string model, string list)
    {
        var run = CliRunner.Run("evaluate", "--model", model, "--pairs-file", list, "--json");
        run.AssertSuccess();
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }

    [TestMethod]
    public void AListedPair_IsScoredAsWritten_ByThePairScorerAndByItsIdentifier()
    {
        // A header, a comment, a blank line, commas and tabs, every label spelling, an absolute path and a repeated image.
        string[] sameWords = ["1", "true", "same"], differentWords = ["0", "FALSE", "Different"];
        List<string> Lines(bool flipped)
        {
            var lines = new List<string> { "left,right,label", "# same character, then two characters", "" };
            for (int k = 0; k < 12; k++)
            {
                int c = k % 6;
                lines.Add($"{Relative(c, k)},{Relative(c, k + 1)},{(flipped ? differentWords : sameWords)[k % 3]}");
                lines.Add($"{Relative(c, k)}\t{_characters[(c + 1) % 6][k]}\t{(flipped ? sameWords : differentWords)[k % 3]}");
            }
            return lines;
        }
        string list = Write("pairs.csv", [.. Lines(flipped: false)]);

        var scorer = Evaluate(_model, list);
        Assert.AreEqual(24, scorer.GetProperty("pairs").GetInt32());
        Assert.AreEqual(12, scorer.GetProperty("samePairs").GetInt32());
        Assert.AreEqual(12, scorer.GetProperty("differentPairs").GetInt32());
        Assert.AreEqual(Path.GetFullPath(list), scorer.GetProperty("pairsFile").GetString());
        Assert.AreEqual(36, scorer.GetProperty("images").GetInt32(), "12 first images, each listed twice (relative, then again), and 24 second ones");
        Assert.AreEqual(JsonValueKind.Number, scorer.GetProperty("accuracy").ValueKind, "the pair scorer's own threshold decides");
        Assert.AreEqual(JsonValueKind.Null, scorer.GetProperty("retrieval").ValueKind, "listed images have no classes to retrieve");

        // The identifier scores the same pairs by the distance of the same embeddings: the same ranking, so the same AUC.
        var identifier = Evaluate(_identifier, list);
        Assert.AreEqual(JsonValueKind.Null, identifier.GetProperty("accuracy").ValueKind);
        Assert.AreEqual(scorer.GetProperty("auc").GetDouble(), identifier.GetProperty("auc").GetDouble(), 1e-9);
        Assert.AreEqual(scorer.GetProperty("eer").GetDouble(), identifier.GetProperty("eer").GetDouble(), 1e-9);

        // Flipping every label turns the ranking upside down: AUC becomes 1 - AUC.
        string flipped = Write("flipped.csv", [.. Lines(flipped: true)]);
        Assert.AreEqual(1 - scorer.GetProperty("auc").GetDouble(), Evaluate(_model, flipped).GetProperty("auc").GetDouble(), 1e-9);
    }

    [TestMethod]
    public void ANetpbmImage_InTheList_IsReadThroughItsPng()
    {
        // The first drawing as a raw .pgm beside its PNG: the same pixels, so the pair of the two is the closest there is.
        string original = _characters[0][0];
        using var bitmap = SkiaSharp.SKBitmap.Decode(original);
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                gray[y * bitmap.Width + x] = bitmap.GetPixel(x, y).Red;
        string pgm = Path.Combine(_data, "copy.pgm");
        File.WriteAllBytes(pgm, [.. System.Text.Encoding.ASCII.GetBytes($"P5\n{bitmap.Width} {bitmap.Height}\n255\n"), .. gray]);
        string list = Write("pgm.csv", $"copy.pgm,{Relative(0, 0)},1", $"copy.pgm,{Relative(3, 0)},0");
        var result = Evaluate(_identifier, list);
        Assert.AreEqual(1.0, result.GetProperty("auc").GetDouble(), "the identical pair ranks above the different one");
        Assert.AreEqual(3, result.GetProperty("images").GetInt32());
    }

    [TestMethod]
    public void AMalformedList_IsRefusedNamingItsLine()
    {
        string good = $"{Relative(0, 0)},{Relative(0, 1)},1";
        string other = $"{Relative(0, 0)},{Relative(1, 0)},0";
        void Refused(string mention, params string[] lines)
            => CliRunner.Run("evaluate", "--model", _model, "--pairs-file", Write("bad.csv", lines)).AssertUsageError(mention);

        Refused("line 2: 2 field(s)", good, $"{Relative(0, 0)},1", other);
        Refused("line 3: label 'maybe' is not 1/0, true/false or same/different", good, other, $"{Relative(0, 0)},{Relative(0, 1)},maybe");
        Refused("line 2: image 'nowhere.png' does not exist", good, $"nowhere.png,{Relative(0, 1)},0");
        Refused("line 1: an empty image path", $",{Relative(0, 1)},1", other);
        Refused("lists 2 same and 0 different pair(s)", good, good);
        Refused("lists 0 same and 0 different pair(s)", "left,right,label", "# nothing else");
        CliRunner.Run("evaluate", "--model", _model, "--pairs-file", _temp.Combine("absent.csv")).AssertUsageError("absent.csv' does not exist");

        string list = Write("fine.csv", good, other);
        CliRunner.Run("evaluate", "--model", _model, "--pairs-file", list, "--data", _data).AssertUsageError("not both");
        CliRunner.Run("evaluate", "--model", _model, "--pairs-file", list, "--within-group").AssertUsageError("--pairs-file lists its own");
        CliRunner.Run("evaluate", "--model", _model).AssertUsageError("Give --data");
        string plots = _temp.Combine("plots");
        CliRunner.Run("evaluate", "--model", _identifier, "--pairs-file", list, "--plots", plots).AssertUsageError("an embedder or an identifier");
    }

    [TestMethod]
    public void Labels_AreTheSixSpellings_AndNothingElse()
    {
        foreach (var word in new[] { "1", "true", "SAME", "Same" })
            Assert.IsTrue(PairsFile.Label(word));
        foreach (var word in new[] { "0", "FALSE", "different" })
            Assert.IsFalse(PairsFile.Label(word));
        foreach (var word in new[] { "", "yes", "2", "-1", "label", "diff" })
            Assert.IsNull(PairsFile.Label(word));
    }
}
