using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Evaluation;

[TestClass]
public sealed class OneShotRunsTests
{
    private string _root = "";

    // Answers (class_labels.txt) of the two runs: test item i -> training class Answers[run][i] (1-based, as in file names).
    private static readonly int[][] Answers = [[2, 3, 1], [1, 2, 3]];

    [TestInitialize]
    public void CreateRuns()
    {
        // all_runs/run01, run02: test/item01..03.png, training/class01..03.png (empty files: the reader checks existence only).
        _root = Path.Combine(Path.GetTempPath(), "mlnet-siamese-runs-" + Guid.NewGuid().ToString("N"), "all_runs");
        for (int r = 0; r < 2; r++)
        {
            string run = $"run{r + 1:00}";
            Directory.CreateDirectory(Path.Combine(_root, run, "test"));
            Directory.CreateDirectory(Path.Combine(_root, run, "training"));
            var lines = new List<string>();
            for (int i = 1; i <= 3; i++)
            {
                File.WriteAllBytes(Path.Combine(_root, run, "test", $"item{i:00}.png"), []);
                File.WriteAllBytes(Path.Combine(_root, run, "training", $"class{i:00}.png"), []);
                lines.Add($"{run}/test/item{i:00}.png {run}/training/class{Answers[r][i - 1]:00}.png");
            }
            File.WriteAllLines(Path.Combine(_root, run, "class_labels.txt"), lines);
        }
        Directory.CreateDirectory(Path.Combine(_root, "not_a_run")); // ignored
    }

    [TestCleanup]
    public void DeleteRuns() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    [TestMethod]
    public void ReadsRunsWithAbsolutePathsAndAnswers()
    {
        var runs = OneShotRunsReader.Read(_root);
        Assert.AreEqual(2, runs.Count);
        Assert.AreEqual("run01", runs[0].Name);
        Assert.AreEqual("run02", runs[1].Name);
        string run1 = Path.Combine(_root, "run01");
        CollectionAssert.AreEqual(new[] { "item01.png", "item02.png", "item03.png" }.Select(f => Path.Combine(run1, "test", f)).ToArray(), runs[0].TestImages.ToArray());
        CollectionAssert.AreEqual(new[] { "class01.png", "class02.png", "class03.png" }.Select(f => Path.Combine(run1, "training", f)).ToArray(), runs[0].TrainingImages.ToArray());
        Assert.IsTrue(runs.SelectMany(r => r.TestImages.Concat(r.TrainingImages)).All(Path.IsPathFullyQualified));
        // Answers 2, 3, 1 (1-based) are training indices 1, 2, 0.
        CollectionAssert.AreEqual(new[] { 1, 2, 0 }, runs[0].CorrectTrainingIndex.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, runs[1].CorrectTrainingIndex.ToArray());
    }

    [TestMethod]
    public void MissingClassLabelsNamesTheFile()
    {
        string file = Path.Combine(_root, "run02", "class_labels.txt");
        File.Delete(file);
        var e = Assert.Throws<FileNotFoundException>(() => OneShotRunsReader.Read(_root));
        Assert.Contains(file, e.Message);
    }

    [TestMethod]
    public void MalformedLineNamesFileAndLine()
    {
        string file = Path.Combine(_root, "run01", "class_labels.txt");
        File.WriteAllLines(file, ["run01/test/item01.png run01/training/class02.png", "run01/test/item02.png"]);
        var e = Assert.Throws<InvalidDataException>(() => OneShotRunsReader.Read(_root));
        Assert.Contains($"{file}(2)", e.Message);
    }

    [TestMethod]
    public void MissingImageNamesFileAndLine()
    {
        string file = Path.Combine(_root, "run01", "class_labels.txt");
        File.WriteAllLines(file, ["", "run01/test/item01.png run01/training/class02.png", "run01/test/item09.png run01/training/class01.png"]);
        var e = Assert.Throws<FileNotFoundException>(() => OneShotRunsReader.Read(_root));
        Assert.Contains($"{file}(3)", e.Message);   // the blank line still counts
        Assert.Contains("item09.png", e.Message);
    }

    [TestMethod]
    public void FolderWithoutRunsThrows()
    {
        Assert.Throws<DirectoryNotFoundException>(() => OneShotRunsReader.Read(Path.Combine(_root, "nope")));
        Assert.Throws<InvalidDataException>(() => OneShotRunsReader.Read(Path.Combine(_root, "not_a_run")));
    }

    /// <summary>1-based class number from "classKK.png" or the answer of "itemMM.png" in its run.</summary>
    private static int ClassOf(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        int number = int.Parse(name[^2..]);
        if (name.StartsWith("class", StringComparison.Ordinal)) return number;
        int run = int.Parse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path)))![^2..]);
        return Answers[run - 1][number - 1];
    }

    [TestMethod]
    public void EvaluatorWithAKnownMatcher()
    {
        var runs = OneShotRunsReader.Read(_root);
        // A similarity that is right except for run02/item02, which it sends to class03:
        // run01 3/3, run02 2/3, overall 5/6.
        float Score(string test, string training)
        {
            int want = test.EndsWith(Path.Combine("run02", "test", "item02.png"), StringComparison.Ordinal) ? 3 : ClassOf(test);
            return ClassOf(training) == want ? 0.9f : 0.2f;
        }
        var result = OneShotRunsEvaluator.Evaluate(runs, Score);
        Assert.AreEqual(5.0 / 6, result.Accuracy, 1e-12);
        CollectionAssert.AreEqual(new[] { 1.0, 2.0 / 3 }, result.PerEpisodeAccuracy.ToArray());
        CollectionAssert.AreEqual(new[] { "run01", "run02" }, result.EpisodeNames.ToArray());
        Assert.AreEqual(2, result.Episodes);
        Assert.AreEqual(6L, result.Queries);
        Assert.AreEqual(5L, result.Correct);

        // Distance flavour: 1 - score, lowest wins: the same answers.
        var distances = OneShotRunsEvaluator.Evaluate(runs, (t, m) => 1f - Score(t, m), higherScoreIsSimilar: false);
        Assert.AreEqual(5.0 / 6, distances.Accuracy, 1e-12);
        // Treating the distance as a similarity: every image the scorer does not want scores 1 - 0.2 = 0.8, the wanted
        // one 0.1; the highest wins and ties go to the first training image, so each test image gets the first class
        // it is not "wanted" for: run01 (answers 2, 3, 1) -> 1, 1, 2; run02 (answers 1, 2, 3; item02 wants 3) -> 2, 1, 1.
        // None is right: 0/6.
        Assert.AreEqual(0.0, OneShotRunsEvaluator.Evaluate(runs, (t, m) => 1f - Score(t, m)).Accuracy, 1e-12);
    }

    [TestMethod]
    public void EvaluatorWithRunScoresAndEmbeddings()
    {
        var runs = OneShotRunsReader.Read(_root);
        // Whole-run score matrix: scores[test][training] = 1 on the right answer.
        var matrix = OneShotRunsEvaluator.Evaluate(runs, run =>
            run.TestImages.Select((_, t) => run.TrainingImages.Select((_, m) => run.CorrectTrainingIndex[t] == m ? 1f : 0f).ToArray()).ToArray());
        Assert.AreEqual(1.0, matrix.Accuracy);
        // Embedding = one-hot of the class: nearest training image is the right one.
        var embedded = OneShotRunsEvaluator.EvaluateEmbeddings(runs, path =>
        {
            var v = new float[3];
            v[ClassOf(path) - 1] = 1f;
            return v;
        }, VectorDistance.Cosine);
        Assert.AreEqual(1.0, embedded.Accuracy);
        Assert.Throws<InvalidOperationException>(() => OneShotRunsEvaluator.Evaluate(runs, _ => new float[2][]));
    }
}
