using MLNet.Siamese.Classes;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// The trainer's embedding of chosen rows (validation, calibration) reads each item straight into its chunk's tensor,
/// and its training tensor shares the item array instead of copying it: the memory fixes of fine-tuning on photos.
/// </summary>
[TestClass]
public sealed class EmbedRowsTests
{
    private const int Items = 12;

    private static (TrainingRun Run, float[] Features) Run()
    {
        var options = new SiameseTrainerOptions { Network = NetworkPresets.SeedMlp(imageSize: 4, embeddingDimension: 3), Loss = SiameseLoss.Contrastive, BatchSize = 4, Seed = 1 };
        var spec = options.ResolveNetwork();
        var random = new Random(3);
        var features = Enumerable.Range(0, Items * spec.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var classes = ClassTable.FromIds(Enumerable.Range(0, Items).Select(i => i % 3).ToArray());
        return (new TrainingRun(options, TrainingObjectives.Create(options), spec, 1, CPU, features, Items, classes, null), features);
    }

    [TestMethod]
    public void ChosenRows_AreEmbeddedAsTheSameRowsOfTheWholeSet()
    {
        var (run, features) = Run();
        using var _ = run;
        var all = run.EmbedAll(features, Items);
        long[] rows = [7, 0, 11, 7, 3];
        var chosen = run.EmbedRows(features, rows, rows.Length);
        int d = run.Spec.EmbeddingDimension;
        // A chunk of another size may take another matrix-multiply path: equal to rounding.
        for (int i = 0; i < rows.Length; i++)
            for (int k = 0; k < d; k++)
                Assert.AreEqual(all[rows[i] * d + k], chosen[i * d + k], 1e-6, $"row {rows[i]}, value {k}");
    }

    [TestMethod]
    public void AnItemOfTheWrongLength_IsRefusedNamingItsRow()
    {
        var (run, _) = Run();
        using var __ = run;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => run.EmbedRows(row => new float[5], [2], 1));
        StringAssert.Contains(e.Message, "Item 2 has 5 values");
    }

    [TestMethod]
    public void TrainingSteps_LeaveTheSharedItemArrayAsItWas()
    {
        var (run, features) = Run();
        using var _ = run;
        var before = features.ToArray();
        for (int i = 0; i < 3; i++) Assert.IsTrue(float.IsFinite(run.Step()));
        CollectionAssert.AreEqual(before, features);
    }
}
