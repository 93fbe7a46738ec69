using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// The trainer embeds its validation and calibration items in chunks bounded by their input size: a chunk of 256
/// photos at 224 x 224 x 3 through ResNet18 held gigabytes of activations at once (a fine-tuning run on 2,720 images
/// grew to 21.3 GB and was killed), while handwriting keeps its chunks of 256 (and so its exact results).
/// </summary>
[TestClass]
public sealed class EmbeddingChunkTests
{
    [TestMethod]
    public void PhotosAreEmbeddedInSmallChunksAndDrawingsInChunksOf256()
    {
        Assert.AreEqual(27, TrainingRun.EmbeddingChunk(3 * 224 * 224), "photos for a fine-tuned ResNet18");
        Assert.AreEqual(54, TrainingRun.EmbeddingChunk(3 * 160 * 160));
        Assert.AreEqual(256, TrainingRun.EmbeddingChunk(96 * 96), "the handwriting recipe's decoded drawings");
        Assert.AreEqual(256, TrainingRun.EmbeddingChunk(512), "backbone features");
        Assert.AreEqual(1, TrainingRun.EmbeddingChunk(4096 * 4096), "an item larger than the budget is embedded alone");
    }
}
