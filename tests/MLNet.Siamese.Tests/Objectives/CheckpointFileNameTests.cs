using MLNet.Siamese.Checkpoints;

namespace MLNet.Siamese.Tests.Objectives;

/// <summary><see cref="CheckpointFileName"/>: one pattern for writing, finding and reading back checkpoint files.</summary>
[TestClass]
public sealed class CheckpointFileNameTests
{
    [TestMethod]
    public void NamesSortByIterationAndReadBack()
    {
        Assert.AreEqual("checkpoint-000500.mlnsckpt", CheckpointFileName.Of(500));
        Assert.AreEqual(TrainingCheckpoint.FileName(42), CheckpointFileName.Of(42));
        Assert.AreEqual(1234567, CheckpointFileName.IterationOf("/x/" + CheckpointFileName.Of(1234567)));
        Assert.IsNull(CheckpointFileName.IterationOf("checkpoint-12.mlnsckpt.diverged"));
        Assert.IsNull(CheckpointFileName.IterationOf("checkpoint-abc.mlnsckpt"));
        Assert.IsNull(CheckpointFileName.IterationOf("model.zip"));
    }

    [TestMethod]
    public void NewestFirstListsOnlyCheckpointsInIterationOrder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ckpt-names-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (int i in new[] { 9, 1000, 10 })
                File.WriteAllText(Path.Combine(dir, CheckpointFileName.Of(i)), "");
            File.WriteAllText(Path.Combine(dir, CheckpointFileName.Of(2000) + ".diverged"), "");
            CollectionAssert.AreEqual(new[] { 1000, 10, 9 }, CheckpointFileName.NewestFirst(dir).Select(f => CheckpointFileName.IterationOf(f)!.Value).ToArray());
            Assert.IsEmpty(CheckpointFileName.NewestFirst(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
