using MLNet.Siamese.Runtime;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Sampling;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Cross-validation of the whitened starts over the training part's classes
/// (<see cref="SiameseTrainerOptions.WhiteningCrossValidationFolds"/>): the classes are dealt into folds; each fold's
/// items are ranked by cosine, as they are and through each candidate whitening fitted on the other folds' items, and
/// the candidate's gain is its MAP@R minus theirs. The held-out classes then add one more gain per candidate, and
/// <see cref="SurelyPositive"/> decides from all of them.
/// </summary>
/// <remarks>
/// Why: one split of held-out classes is a noisy judge of a small gain, so alone it needs a fixed margin (0.03 in the
/// photos recipe) whose size cannot be measured from one number. Several splits measure their own spread. On
/// Caltech-101 the recipe's one held-out split scored within-class whitening at power 0.25 0.5 point above the identity,
/// under the margin; five folds of its 28 other training classes scored it +0.4 to +1.9 points, every one positive
/// (docs/photos.md).
/// </remarks>
internal static class WhiteningCrossValidation
{
    /// <summary>Items of one fold ranked at most (an even draw per class past that), so a fold of Fashion-MNIST's 6,000-image classes costs what 2,000 items cost.</summary>
    public const int MaxFoldItems = 2000;

    /// <summary>
    /// The gain of each candidate in each fold: its MAP@R on the fold's items minus the unwhitened features' MAP@R.
    /// NaN where a candidate cannot be fitted on the other folds (within-class whitening with no class of two items).
    /// </summary>
    /// <param name="unit">The training part's L2-normalised features, <paramref name="count"/> rows of <paramref name="dimension"/>.</param>
    /// <param name="classOfItem">The class of each row.</param>
    /// <param name="count">Rows.</param>
    /// <param name="dimension">Feature size.</param>
    /// <param name="candidates">The whitenings to try.</param>
    /// <param name="folds">Folds wanted; fewer when the classes are fewer than two per fold.</param>
    /// <param name="seed">Seed of the deal.</param>
    /// <returns>One array of gains per candidate (in order), one gain per fold; null when there are fewer than four classes (two folds of two).</returns>
    public static double[][]? FoldGains(float[] unit, IReadOnlyList<int> classOfItem, int count, int dimension, IReadOnlyList<WhitenedStart> candidates, int folds, int seed)
    {
        var classes = classOfItem.Distinct().Order().ToArray();
        int k = Math.Min(folds, classes.Length / 2);   // every fold holds at least two classes, so its MAP@R can rank across them
        if (k < 2)
            return null;
        var random = new SiameseRandom(seed);
        for (int i = classes.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (classes[i], classes[j]) = (classes[j], classes[i]);
        }
        var foldOfClass = new Dictionary<int, int>();
        for (int i = 0; i < classes.Length; i++) foldOfClass[classes[i]] = i % k;
        var classOf = classOfItem as int[] ?? classOfItem.ToArray();
        var gains = candidates.Select(_ => new double[k]).ToArray();
        for (int fold = 0; fold < k; fold++)
        {
            var fitRows = Enumerable.Range(0, count).Where(r => foldOfClass[classOf[r]] != fold).ToArray();
            var testRows = Enumerable.Range(0, count).Where(r => foldOfClass[classOf[r]] == fold).ToArray();
            if (testRows.Length > MaxFoldItems)
                testRows = ClassHoldOut.EvenDraw(testRows, classOf, MaxFoldItems, random);
            var fit = Rows(unit, fitRows, dimension);
            var test = Rows(unit, testRows, dimension);
            var testLabels = testRows.Select(r => classOf[r]).ToArray();
            var fitLabels = fitRows.Select(r => classOf[r]).ToArray();
            double identity = MapAtR(test, dimension, testLabels);
            for (int c = 0; c < candidates.Count; c++)
            {
                var weights = candidates[c].Kind == WhiteningKind.Pca
                    ? HeadWhitening.Fit(fit, fitRows.Length, dimension, candidates[c].Power, 0)
                    : HeadWhitening.FitWithinClass(fit, fitLabels, fitRows.Length, dimension, candidates[c].Power, 0);
                gains[c][fold] = weights is null ? double.NaN : MapAtR(Apply(weights, test, testRows.Length, dimension), dimension, testLabels) - identity;
            }
        }
        return gains;
    }

    /// <summary>
    /// Whether the gains are positive with 95 % confidence: their mean minus the one-sided 95 % Student t quantile times
    /// their standard error is above 0 (with one gain, never).
    /// </summary>
    /// <param name="gains">The gains, from independent splits of classes.</param>
    /// <returns>True when the lower confidence bound of the mean gain is above 0.</returns>
    public static bool SurelyPositive(IReadOnlyList<double> gains) => gains.Count >= 2 && LowerBound(gains) > 0;

    /// <summary>The one-sided 95 % lower confidence bound of the mean gain.</summary>
    /// <param name="gains">At least two gains.</param>
    /// <returns>mean − t(0.95, n − 1) · s / √n.</returns>
    public static double LowerBound(IReadOnlyList<double> gains)
    {
        int n = gains.Count;
        double mean = gains.Average();
        double variance = gains.Sum(g => (g - mean) * (g - mean)) / (n - 1);
        return mean - StudentT95(n - 1) * Math.Sqrt(variance / n);
    }

    /// <summary>The one-sided 95 % quantile of Student's t with <paramref name="df"/> degrees of freedom (tabled to 10; beyond, z + (z³ + z) / 4df).</summary>
    internal static double StudentT95(int df)
    {
        double[] table = [6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812];
        const double z = 1.6449;
        return df <= table.Length ? table[df - 1] : z + (z * z * z + z) / (4.0 * df);
    }

    private static float[] Rows(float[] features, int[] rows, int dimension)
    {
        var result = new float[(long)rows.Length * dimension];
        for (int i = 0; i < rows.Length; i++)
            Array.Copy(features, (long)rows[i] * dimension, result, (long)i * dimension, dimension);
        return result;
    }

    /// <summary>The head's linear map, x W^T + b (its L2 normalization is left to the cosine ranking).</summary>
    private static float[] Apply(Dictionary<string, WeightTensor> weights, float[] features, int count, int dimension)
    {
        using var scope = NewDisposeScope();
        var w = weights["0.weight"];
        var b = weights["0.bias"];
        var y = tensor(features, [count, dimension]).matmul(tensor(w.Values, w.Shape).t()).Plus(tensor(b.Values, b.Shape));
        return y.contiguous().data<float>().ToArray();
    }

    private static double MapAtR(float[] features, int dimension, int[] labels)
        => RetrievalMetrics.Compute(features, dimension, labels, VectorDistance.Cosine).MapAtR;
}
