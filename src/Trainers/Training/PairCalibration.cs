using MLNet.Siamese.Networks;
using MLNet.Siamese.Sampling;
using MLNet.Siamese.Classes;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Calibration of the trained model's pair score: balanced pairs drawn once from the validation (or training) items are
/// embedded, and either the learned head's scores get the best threshold, or a sigmoid of the Euclidean distance is
/// fitted and thresholded. The same figure is the validation accuracy recorded during training.
/// </summary>
internal static class PairCalibration
{
    public static PairBatch DrawPairs(TrainingData data, int count, int seed)
    {
        var index = ClassTable.FromIds(data.ClassOfItem, data.GroupOfClass);
        if (index.ClassesWithTwoRows.Length == 0 || index.NonEmptyClasses.Length < 2)
            throw new InvalidOperationException("Siamese trainer: the validation data needs at least two classes and a class with two items.");
        return new BatchSampler(index, new SiameseRandom(seed)).SamplePairs(count);
    }

    public static (PairScoring, double Accuracy) Calibrate(TrainingRun run, NetworkSpec spec, TrainingData data, PairBatch pairs)
    {
        var (scoring, accuracy, _) = Calibrate(run, spec, Reader(spec, data), pairs, null, false);
        return (scoring, accuracy);
    }

    /// <summary>Reads item rows of <paramref name="data"/>'s features.</summary>
    public static ItemReader Reader(NetworkSpec spec, TrainingData data)
    {
        int size = spec.InputSize;
        return row => data.Features.AsSpan(checked((int)(row * size)), size);
    }

    /// <summary>
    /// The same, reading each item that a pair uses through <paramref name="read"/>; with <paramref name="classOfItem"/>,
    /// also the distances between the embedded items of different classes (<see cref="ImpostorDistanceProfile"/>).
    /// </summary>
    public static (PairScoring Scoring, double Accuracy, ImpostorDistanceProfile? Impostors) Calibrate(
        TrainingRun run, NetworkSpec spec, ItemReader read, PairBatch pairs, int[]? classOfItem, bool heldOutClasses)
    {
        // Embed only the items the pairs use (at most two per pair), not the whole data set, straight from the items.
        var used = pairs.Left.Concat(pairs.Right).Distinct().Order().ToArray();
        var slot = new Dictionary<long, int>(used.Length);
        for (int i = 0; i < used.Length; i++) slot[used[i]] = i;
        var embeddings = run.EmbedRows(read, used, used.Length);
        int d = spec.EmbeddingDimension;
        var impostors = classOfItem is null ? null
            : ImpostorDistanceProfile.Measure(embeddings, d, used.Select(row => classOfItem[row]).ToArray(), heldOutClasses);
        int n = pairs.Left.Length;
        var left = new float[n * d];
        var right = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            embeddings.AsSpan(slot[pairs.Left[i]] * d, d).CopyTo(left.AsSpan(i * d));
            embeddings.AsSpan(slot[pairs.Right[i]] * d, d).CopyTo(right.AsSpan(i * d));
        }
        var (scoring, accuracy) = Score(run, left, right, pairs.Similar);
        return (scoring, accuracy, impostors);
    }

    /// <summary>The distances between <paramref name="data"/>'s items of different classes (at most <see cref="ImpostorDistanceProfile.MaxItems"/> items, evenly spaced).</summary>
    public static ImpostorDistanceProfile? ImpostorDistances(TrainingRun run, NetworkSpec spec, TrainingData data, bool heldOutClasses)
    {
        int stride = Math.Max(1, (data.Count + ImpostorDistanceProfile.MaxItems - 1) / ImpostorDistanceProfile.MaxItems);
        var rows = Enumerable.Range(0, data.Count).Where(i => i % stride == 0).Select(i => (long)i).ToArray();
        var embeddings = run.EmbedRows(Reader(spec, data), rows, rows.Length);
        return ImpostorDistanceProfile.Measure(embeddings, spec.EmbeddingDimension, rows.Select(r => data.ClassOfItem[r]).ToArray(), heldOutClasses);
    }

    /// <summary>Calibration on explicit pairs (no classes): the impostor distances are those of the dissimilar pairs.</summary>
    public static (PairScoring Scoring, double Accuracy, ImpostorDistanceProfile? Impostors) OnExplicitPairs(TrainingRun run, NetworkSpec spec, float[] features, float[] similar)
    {
        int n = similar.Length;
        var embeddings = run.EmbedAll(features, 2 * n);
        int d = spec.EmbeddingDimension;
        var left = embeddings.AsSpan(0, n * d).ToArray();
        var right = embeddings.AsSpan(n * d, n * d).ToArray();
        var dissimilar = Enumerable.Range(0, n).Where(i => similar[i] <= 0.5f)
            .Select(i => System.Numerics.Tensors.TensorPrimitives.Distance(left.AsSpan(i * d, d), right.AsSpan(i * d, d))).ToArray();
        var impostors = dissimilar.Length == 0 ? null : ImpostorDistanceProfile.FromDistances(dissimilar, 0, heldOutClasses: false);
        var (scoring, accuracy) = Score(run, left, right, similar);
        return (scoring, accuracy, impostors);
    }

    private static (PairScoring, double Accuracy) Score(TrainingRun run, float[] left, float[] right, float[] similar)
    {
        int n = similar.Length;
        int d = left.Length / n;
        if (run.Head is not null)
        {
            var scores = run.HeadScores(left, right, n);
            var (threshold, accuracy) = ScoreCalibration.BestThreshold(scores, similar);
            return (new PairScoring { LearnedHead = true, Threshold = threshold }, accuracy);
        }
        var distances = new float[n];
        for (int i = 0; i < n; i++)
            distances[i] = System.Numerics.Tensors.TensorPrimitives.Distance(left.AsSpan(i * d, d), right.AsSpan(i * d, d));
        var (scale, offset) = ScoreCalibration.FitDistanceSigmoid(distances, similar);
        var calibrated = distances.Select(x => 1f / (1f + MathF.Exp(-(scale * x + offset)))).ToArray();
        var (t, acc) = ScoreCalibration.BestThreshold(calibrated, similar);
        return (new PairScoring { LearnedHead = false, DistanceScale = scale, DistanceOffset = offset, Threshold = t }, acc);
    }
}
