using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Tests.Trainers;
using MLNet.Siamese.Trainers;
using Microsoft.ML;

namespace MLNet.Siamese.Tests.Objectives;

/// <summary>The two batch-wise objectives train end to end through the trainer, and the registry covers every <see cref="SiameseLoss"/>.</summary>
[TestClass]
public sealed class ObjectiveTrainingTests
{
    private static readonly List<GlyphItem> Train = SyntheticGlyphs.Make(12, 6, seed: 31, prefix: "obj", groups: 2);
    private static readonly List<GlyphItem> Unseen = SyntheticGlyphs.Make(4, 2, seed: 32, prefix: "unseen");

    [TestMethod]
    [DataRow(SiameseLoss.MultiSimilarity)]
    [DataRow(SiameseLoss.SupervisedContrastive)]
    public void BatchWiseObjectivesTrainWithUnitEmbeddingsAndScorePairs(SiameseLoss loss)
    {
        var ml = new MLContext(seed: 1);
        var options = SmallRuns.Options(iterations: 6);
        options.Loss = loss;
        options.Ways = 4;
        options.Shots = 1;
        options.Queries = 2;
        options.GroupColumnName = nameof(GlyphItem.Group);
        options.WithinGroup = true;
        var model = ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train));
        Assert.AreEqual(6, model.Summary.LossHistory.Count);
        Assert.IsTrue(model.Summary.LossHistory.All(v => float.IsFinite(v) && v >= 0), string.Join(", ", model.Summary.LossHistory));
        Assert.AreEqual(loss, model.Summary.Loss);

        // The cosine objectives end the network in an L2 normalization: the model's embeddings are unit vectors.
        var embedding = ml.Model.CreatePredictionEngine<GlyphItem, EmbeddingPrediction>(model).Predict(Unseen[0]).Embedding;
        Assert.AreEqual(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 1e-4);
        var pair = ml.Model.CreatePredictionEngine<GlyphPair, PairPrediction>(model.PairScorer)
            .Predict(new GlyphPair { LeftFeatures = Unseen[0].Features, RightFeatures = Unseen[2].Features });
        Assert.IsTrue(pair.Score is >= 0 and <= 1, $"score {pair.Score}");
    }

    private static SiameseTrainerOptions TwoStepsOfSupCon()
    {
        var options = SmallRuns.Options(iterations: 2);
        options.Loss = SiameseLoss.SupervisedContrastive;
        options.Ways = 4;
        return options;
    }

    [TestMethod]
    public void SmallClasses_DrawFewerShots_DownToOne()
    {
        var ml = new MLContext(seed: 1);
        var options = TwoStepsOfSupCon();
        options.Shots = 7;
        options.Queries = 3;   // 10 items per class asked; the data has 6: 5 shots and 1 query are drawn
        Assert.HasCount(2, ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, Train)).Summary.LossHistory);
        Assert.AreEqual(7, options.Shots, "the caller's options are not changed");
        // Two items in every class (two photos of each person): one shot and one query.
        var pairsOnly = Train.GroupBy(g => g.Label).SelectMany(g => g.Take(2)).ToList();
        Assert.HasCount(2, ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, pairsOnly)).Summary.LossHistory);
    }

    [TestMethod]
    public void TooFewItemsPerClassForTheBatchIsAClearError()
    {
        var ml = new MLContext(seed: 1);
        var options = TwoStepsOfSupCon();
        // One class of two items, the others of one: not even one shot and one query of two classes.
        var oneClassOfTwo = Train.GroupBy(g => g.Label).SelectMany((g, i) => g.Take(i == 0 ? 2 : 1)).ToList();
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(options).Fit(SyntheticGlyphs.Load(ml, oneClassOfTwo)));
        StringAssert.Contains(ex.Message, "need classes with 2 items; only 1 class(es) of label column 'Label' have that many");
    }

    [TestMethod]
    public void ExplicitPairsRefuseBatchWiseObjectives()
    {
        var options = new SiameseTrainerOptions {
        WeightAveragingDecay = 0,
        Augmentation = null,
        LearningRate = 6e-5f,
        Iterations = 1000,
        Geometry = ImageGeometry.Square(28), Loss = SiameseLoss.MultiSimilarity, LeftFeatureColumnName = "LeftFeatures", RightFeatureColumnName = "RightFeatures" };
        var ml = new MLContext(seed: 1);
        var pairs = ml.Data.LoadFromEnumerable(new[] { new GlyphPair { LeftFeatures = Unseen[0].Features, RightFeatures = Unseen[1].Features } });
        var ex = Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().Train(options).Fit(pairs));
        StringAssert.Contains(ex.Message, "MultiSimilarity");
    }

    [TestMethod]
    public void EveryLossHasOneRegisteredObjectiveWithItsName()
    {
        var options = new SiameseTrainerOptions();
        foreach (var loss in Enum.GetValues<SiameseLoss>())
        {
            string name = TrainingObjectives.NameOf(loss);
            Assert.AreEqual(loss, TrainingObjectives.LossOf(name));
            Assert.AreEqual(loss, TrainingObjectives.LossOf(name.ToUpperInvariant()), "names are case-insensitive");
            options.Loss = loss;
            Assert.AreEqual(name, TrainingObjectives.Create(options).Name);
            Assert.AreEqual(name, TrainingObjectives.Create(name, new SiameseTrainerOptions()).Name);
        }
        CollectionAssert.AreEqual(new[] { "contrastive", "bce", "triplet", "prototypical", "multi-similarity", "supcon" }, TrainingObjectives.Names.ToArray());
        var ex = Assert.ThrowsExactly<ArgumentException>(() => TrainingObjectives.LossOf("arcface"));
        StringAssert.Contains(ex.Message, "supcon");
    }

    [TestMethod]
    public void OnlyTheBinaryCrossEntropyObjectiveLearnsAHeadAndOnlyTheCosineOnesNormalize()
    {
        foreach (var loss in Enum.GetValues<SiameseLoss>())
        {
            var objective = TrainingObjectives.Create(new SiameseTrainerOptions {
        WeightAveragingDecay = 0,
        Augmentation = null,
        LearningRate = 6e-5f,
        Iterations = 1000,
        Geometry = ImageGeometry.Square(28), Loss = loss });
            Assert.AreEqual(loss == SiameseLoss.BinaryCrossEntropy, objective.LearnsPairHead, loss.ToString());
            Assert.AreEqual(loss is SiameseLoss.MultiSimilarity or SiameseLoss.SupervisedContrastive, objective.NeedsUnitEmbeddings, loss.ToString());
        }
    }
}
