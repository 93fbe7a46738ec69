using MLNet.Siamese.Networks;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Objectives;

/// <summary>
/// <see cref="MultiSimilarityObjective"/> and <see cref="MultiSimilarityMiner"/> against the formulas of Wang et al. 2019
/// (as pytorch-metric-learning implements them) on four 2-D embeddings, worked out by hand.
/// </summary>
[TestClass]
public sealed class MultiSimilarityTests
{
    // Classes 0, 0, 1, 1. Cosine similarities (the rows are unit vectors already):
    //        e0    e1    e2    e3
    //  e0   1     0.6   0     -1
    //  e1   0.6   1     0.8   -0.6
    //  e2   0     0.8   1     0
    //  e3  -1    -0.6   0     1
    internal static readonly float[] Points = [1, 0, 0.6f, 0.8f, 0, 1, -1, 0];
    internal static readonly long[] Classes = [0, 0, 1, 1];

    private static MultiSimilarityObjective Objective(IPairMiner? miner)
        => new(2, 50, 0.5, miner, CosineLossSimilarity.Instance, BatchShape.ClassBatch(2, 2, oneGroup: true));

    private static double Softplus(params double[] exponents) => Math.Log(1 + exponents.Sum(Math.Exp));

    [TestMethod]
    public void TheMinerKeepsThePairsWithinEpsilonOfTheHardestOtherKind()
    {
        using var scope = NewDisposeScope();
        var pairs = new MultiSimilarityMiner(0.1).Mine(tensor(Points, [4, 2]), tensor(Classes), CosineLossSimilarity.Instance);
        // Anchor 0: closest negative 0 < farthest positive 0.6 - 0.1: nothing. Anchor 1: negative e2 (0.8 + 0.1 > 0.6),
        // positive e0 (0.6 - 0.1 < 0.8). Anchor 2: negatives e0 and e1 (0 + 0.1 > 0, 0.8 + 0.1 > 0), positive e3
        // (0 - 0.1 < 0.8). Anchor 3: closest negative -0.6 is far below its positive: nothing.
        CollectionAssert.AreEqual(new long[] { 1, 2 }, pairs.AnchorOfPositive.data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 3 }, pairs.Positive.data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 1, 2, 2 }, pairs.AnchorOfNegative.data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 0, 1 }, pairs.Negative.data<long>().ToArray());
    }

    [TestMethod]
    public void MinedLossIsTheFormulaOverTheMinedPairsAveragedOverAllAnchors()
    {
        using var scope = NewDisposeScope();
        double anchor1 = Softplus(-2 * (0.6 - 0.5)) / 2 + Softplus(50 * (0.8 - 0.5)) / 50;
        double anchor2 = Softplus(-2 * (0 - 0.5)) / 2 + Softplus(50 * (0 - 0.5), 50 * (0.8 - 0.5)) / 50;
        double expected = (0 + anchor1 + anchor2 + 0) / 4;
        float actual = Objective(new MultiSimilarityMiner(0.1)).Compute(tensor(Points, [4, 2]), tensor(Classes)).item<float>();
        Assert.AreEqual(expected, actual, 1e-5);
    }

    [TestMethod]
    public void WithoutMinerEveryPairCounts()
    {
        using var scope = NewDisposeScope();
        double[,] s = { { 1, 0.6, 0, -1 }, { 0.6, 1, 0.8, -0.6 }, { 0, 0.8, 1, 0 }, { -1, -0.6, 0, 1 } };
        double total = 0;
        for (int i = 0; i < 4; i++)
        {
            var positives = Enumerable.Range(0, 4).Where(j => j != i && Classes[j] == Classes[i]).Select(j => -2 * (s[i, j] - 0.5)).ToArray();
            var negatives = Enumerable.Range(0, 4).Where(j => Classes[j] != Classes[i]).Select(j => 50 * (s[i, j] - 0.5)).ToArray();
            total += Softplus(positives) / 2 + Softplus(negatives) / 50;
        }
        float actual = Objective(null).Compute(tensor(Points, [4, 2]), tensor(Classes)).item<float>();
        Assert.AreEqual(total / 4, actual, 1e-5);
    }

    [TestMethod]
    public void ScaleOfTheEmbeddingsDoesNotMatterAndGradientsAreFinite()
    {
        using var scope = NewDisposeScope();
        var objective = Objective(new MultiSimilarityMiner(0.1));
        float unit = objective.Compute(tensor(Points, [4, 2]), tensor(Classes)).item<float>();
        var scaled = (3 * tensor(Points, [4, 2])).detach().requires_grad_(true);
        var loss = objective.Compute(scaled, tensor(Classes));
        Assert.AreEqual(unit, loss.item<float>(), 1e-5f, "cosine similarity ignores the norm");
        loss.backward();
        var grad = scaled.grad!.data<float>().ToArray();
        Assert.IsTrue(grad.All(float.IsFinite), "finite gradient");
        Assert.IsTrue(grad.Any(g => g != 0), "a gradient to learn from");

        var identical = ones(4, 2).requires_grad_(true);   // every similarity 1: all pairs mined, nothing degenerate
        var same = objective.Compute(identical, tensor(Classes));
        same.backward();
        Assert.IsTrue(float.IsFinite(same.item<float>()) && identical.grad!.data<float>().ToArray().All(float.IsFinite));
    }

    [TestMethod]
    public void BadSettingsAreRefused()
    {
        SiameseTrainerOptions With(MultiSimilaritySettings s) => new() {
        WeightAveragingDecay = 0,
        Augmentation = null,
        LearningRate = 6e-5f,
        Iterations = 1000,
        Geometry = ImageGeometry.Square(28), Loss = Losses.SiameseLoss.MultiSimilarity, MultiSimilarity = s };
        foreach (var bad in new[] { new MultiSimilaritySettings { Alpha = 0 }, new MultiSimilaritySettings { Beta = -1 }, new MultiSimilaritySettings { Beta = double.NaN },
                     new MultiSimilaritySettings { Base = double.PositiveInfinity }, new MultiSimilaritySettings { Epsilon = -0.1 } })
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrainingObjectives.Create(With(bad)), bad.ToString());
        var oneWay = With(new MultiSimilaritySettings());
        oneWay.Ways = 1;
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrainingObjectives.Create(oneWay));
        StringAssert.Contains(ex.Message, "Ways >= 2");
    }
}
