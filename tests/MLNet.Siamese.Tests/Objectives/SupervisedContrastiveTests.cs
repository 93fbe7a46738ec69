using MLNet.Siamese.Networks;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Objectives;

/// <summary><see cref="SupervisedContrastiveObjective"/> against the formula of Khosla et al. 2020 on four 2-D embeddings.</summary>
[TestClass]
public sealed class SupervisedContrastiveTests
{
    private static SupervisedContrastiveObjective Objective(double temperature = 0.1)
        => new(temperature, CosineLossSimilarity.Instance, BatchShape.ClassBatch(2, 2, oneGroup: true));

    [TestMethod]
    public void LossIsTheFormulaWorkedOutByHand()
    {
        using var scope = NewDisposeScope();
        // Similarities of MultiSimilarityTests.Points over T = 0.1; each anchor has one positive, and A(i) is every other item.
        double anchor0 = Math.Log(Math.Exp(6) + Math.Exp(0) + Math.Exp(-10)) - 6;
        double anchor1 = Math.Log(Math.Exp(6) + Math.Exp(8) + Math.Exp(-6)) - 6;
        double anchor2 = Math.Log(Math.Exp(0) + Math.Exp(8) + Math.Exp(0)) - 0;
        double anchor3 = Math.Log(Math.Exp(-10) + Math.Exp(-6) + Math.Exp(0)) - 0;
        double expected = (anchor0 + anchor1 + anchor2 + anchor3) / 4;
        float actual = Objective().Compute(tensor(MultiSimilarityTests.Points, [4, 2]), tensor(MultiSimilarityTests.Classes)).item<float>();
        Assert.AreEqual(expected, actual, 1e-4);
    }

    [TestMethod]
    public void SeveralPositivesAreAveragedAndAnAnchorWithoutPositivesIsLeftOut()
    {
        using var scope = NewDisposeScope();
        // Three items of class 0 on a line of angles 0, 90, 180 degrees and one lone item of class 1 at 270 degrees.
        float[] points = [1, 0, 0, 1, -1, 0, 0, -1];
        long[] classes = [0, 0, 0, 1];
        double t = 0.5;
        double[,] s = { { 1, 0, -1, 0 }, { 0, 1, 0, -1 }, { -1, 0, 1, 0 }, { 0, -1, 0, 1 } };
        double total = 0;
        for (int i = 0; i < 3; i++)
        {
            double log = Math.Log(Enumerable.Range(0, 4).Where(a => a != i).Sum(a => Math.Exp(s[i, a] / t)));
            total += -Enumerable.Range(0, 3).Where(p => p != i).Average(p => s[i, p] / t - log);
        }
        float actual = Objective(t).Compute(tensor(points, [4, 2]), tensor(classes)).item<float>();
        Assert.AreEqual(total / 3, actual, 1e-5, "anchor 3 has no positive: loss 0, not counted");
    }

    [TestMethod]
    public void GradientsAreFiniteEvenForIdenticalEmbeddings()
    {
        using var scope = NewDisposeScope();
        var x = (2 * tensor(MultiSimilarityTests.Points, [4, 2])).detach().requires_grad_(true);
        var loss = Objective().Compute(x, tensor(MultiSimilarityTests.Classes));
        loss.backward();
        Assert.IsTrue(x.grad!.data<float>().ToArray().All(float.IsFinite));
        Assert.IsTrue(x.grad!.data<float>().ToArray().Any(g => g != 0));
        var same = ones(4, 3).requires_grad_(true);
        var flat = Objective().Compute(same, tensor(MultiSimilarityTests.Classes));
        flat.backward();
        Assert.AreEqual(Math.Log(3), flat.item<float>(), 1e-5, "all similarities equal: -log(1/3)");
        Assert.IsTrue(same.grad!.data<float>().ToArray().All(float.IsFinite));
    }

    [TestMethod]
    public void BadTemperaturesAreRefused()
    {
        foreach (double bad in new[] { 0, -0.1, double.NaN, double.PositiveInfinity })
        {
            var options = new SiameseTrainerOptions {
        WeightAveragingDecay = 0,
        Augmentation = null,
        LearningRate = 6e-5f,
        Iterations = 1000,
        Geometry = ImageGeometry.Square(28), Loss = SiameseLoss.SupervisedContrastive, Temperature = bad };
            var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrainingObjectives.Create(options), bad.ToString(System.Globalization.CultureInfo.InvariantCulture));
            StringAssert.Contains(ex.Message, "Temperature");
        }
    }
}
