namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Scores fixed one-shot runs (see <see cref="OneShotRunsReader"/>): every test image of a run is matched against the
/// run's training images and is correct when matched to its listed training image. With similarity scores the highest
/// wins, with distances the lowest; equal scores go to the first training image (path order). The result has one
/// accuracy per run (<see cref="OneShotResult.PerEpisodeAccuracy"/>, named in <see cref="OneShotResult.EpisodeNames"/>)
/// and overall (all correct test images / all test images).
/// </summary>
public static class OneShotRunsEvaluator
{
    /// <summary>Evaluates with a function scoring one (test image, training image) pair of absolute paths.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="pairScore">Returns the score of (test image path, training image path).</param>
    /// <param name="higherScoreIsSimilar">True when the score is a similarity (highest wins), false for a distance (lowest wins).</param>
    /// <returns>Accuracy per run and overall.</returns>
    public static OneShotResult Evaluate(IReadOnlyList<OneShotRun> runs, Func<string, string, float> pairScore, bool higherScoreIsSimilar = true)
    {
        ArgumentNullException.ThrowIfNull(pairScore);
        return Evaluate(runs, run =>
        {
            var scores = new float[run.TestImages.Count][];
            for (int t = 0; t < scores.Length; t++)
            {
                scores[t] = new float[run.TrainingImages.Count];
                for (int m = 0; m < scores[t].Length; m++) scores[t][m] = pairScore(run.TestImages[t], run.TrainingImages[m]);
            }
            return scores;
        }, higherScoreIsSimilar);
    }

    /// <summary>Evaluates with a function scoring a whole run at once (for example one batched pass of a network).</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="runScores">Returns <c>scores[testIndex][trainingIndex]</c> for a run, indices into its <see cref="OneShotRun.TestImages"/> and <see cref="OneShotRun.TrainingImages"/>.</param>
    /// <param name="higherScoreIsSimilar">True when the score is a similarity (highest wins), false for a distance (lowest wins).</param>
    /// <returns>Accuracy per run and overall.</returns>
    public static OneShotResult Evaluate(IReadOnlyList<OneShotRun> runs, Func<OneShotRun, float[][]> runScores, bool higherScoreIsSimilar = true)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(runScores);
        if (runs.Count == 0) throw new ArgumentException("There are no runs to evaluate.", nameof(runs));
        var perRun = new double[runs.Count];
        var names = new string[runs.Count];
        long correct = 0, total = 0;
        for (int r = 0; r < runs.Count; r++)
        {
            OneShotRun run = runs[r] ?? throw new ArgumentException($"Run {r} is null.", nameof(runs));
            float[][] scores = runScores(run) ?? throw new InvalidOperationException($"The scores of run {run.Name} are null.");
            if (scores.Length != run.TestImages.Count)
                throw new InvalidOperationException($"Run {run.Name} has {run.TestImages.Count} test images but {scores.Length} score rows were returned.");
            int runCorrect = 0;
            for (int t = 0; t < scores.Length; t++)
            {
                if (scores[t] is null || scores[t].Length != run.TrainingImages.Count)
                    throw new InvalidOperationException($"Run {run.Name}, test image {t}: expected {run.TrainingImages.Count} scores, one per training image.");
                int testIndex = t;
                int predicted = PairScoreMatcher.Best(scores[t], null, higherScoreIsSimilar,
                    m => $"Run {run.Name}: the score of '{run.TestImages[testIndex]}' against '{run.TrainingImages[m]}' is NaN.");
                if (predicted == run.CorrectTrainingIndex[t]) runCorrect++;
            }
            perRun[r] = (double)runCorrect / scores.Length;
            names[r] = run.Name;
            correct += runCorrect;
            total += scores.Length;
        }
        return new OneShotResult(perRun, correct, total, names);
    }

    /// <summary>Evaluates with an embedding function: each image is embedded once per run and the nearest training image wins.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="embed">Returns the embedding of an image given its absolute path.</param>
    /// <param name="distance">The distance between embeddings.</param>
    /// <returns>Accuracy per run and overall.</returns>
    public static OneShotResult EvaluateEmbeddings(IReadOnlyList<OneShotRun> runs, Func<string, float[]> embed, VectorDistance distance = VectorDistance.Euclidean)
    {
        ArgumentNullException.ThrowIfNull(embed);
        return Evaluate(runs, run =>
        {
            var images = run.TestImages.Concat(run.TrainingImages).ToArray();
            var matrix = EmbeddingMatrix.FromRows(images.Select(embed).ToArray(), distance, nameof(embed));
            int tests = run.TestImages.Count;
            var scores = new float[tests][];
            for (int t = 0; t < tests; t++)
            {
                scores[t] = new float[run.TrainingImages.Count];
                for (int m = 0; m < scores[t].Length; m++) scores[t][m] = matrix.Between(t, tests + m);
            }
            return scores;
        }, higherScoreIsSimilar: false);
    }
}
