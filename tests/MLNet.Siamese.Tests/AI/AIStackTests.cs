using MLNet.Siamese.Losses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.ML;
using MLNet.Siamese.AI;
using MLNet.Siamese.Data;
using MLNet.Siamese.Identification;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Tests.AI;

/// <summary>The embedder as an IEmbeddingGenerator of image paths, and a gallery as vector-store records.</summary>
[TestClass]
public sealed class AIStackTests
{
    private static MLContext _ml = null!;
    private static SiameseModel _model = null!;
    private static List<ImageFolderEntry> _entries = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _ml = new MLContext(seed: 1);
        _entries = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), new ImageFolderOptions { LabelDepth = 2 })
            .GroupBy(e => e.Label).Take(4).SelectMany(g => g.Take(3)).ToList();
        _model = _ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            LearningRate = 6e-5f,
            ImageColumnName = "ImagePath",
            Preprocessing = new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true },
            Network = NetworkPresets.Compact(28, 16),
            Iterations = 5,
            BatchSize = 8,
            Seed = 5,
            CalibrationPairs = 40,
        }).Fit(_ml.Data.LoadFromEnumerable(_entries));
    }

    [TestMethod]
    public async Task TheGeneratorEmbedsImagePathsAsTheModelDoes()
    {
        var embedder = GalleryEmbedder.FromModel(_ml, _model);
        using IEmbeddingGenerator<string, Embedding<float>> generator = new SiameseEmbeddingGenerator(_ml, embedder);
        var paths = _entries.Take(3).Select(e => e.ImagePath).ToList();
        var generated = await generator.GenerateAsync(paths);
        var expected = embedder.Embed(_ml.Data.LoadFromEnumerable(_entries.Take(3)));
        Assert.HasCount(3, generated);
        for (int i = 0; i < 3; i++)
            CollectionAssert.AreEqual(expected[i], generated[i].Vector.ToArray(), $"item {i}");
        var metadata = (EmbeddingGeneratorMetadata)generator.GetService(typeof(EmbeddingGeneratorMetadata))!;
        Assert.AreEqual(embedder.Fingerprint, metadata.DefaultModelId);
        Assert.AreEqual(16, metadata.DefaultModelDimensions);
        Assert.AreEqual(embedder.Fingerprint, generated[0].ModelId);

        string missing = Path.Combine(Path.GetTempPath(), "no-such-image-" + Guid.NewGuid().ToString("N") + ".png");
        var error = await Assert.ThrowsExactlyAsync<FileNotFoundException>(() => generator.GenerateAsync([missing]));
        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    public void AGalleryBecomesVectorStoreRecordsAndBack()
    {
        var identifier = _ml.Siamese().Enroll(_model, _ml.Data.LoadFromEnumerable(_entries), new EnrollmentOptions { K = 2 });
        var records = GalleryRecords.From(identifier.Gallery).ToList();
        Assert.HasCount(_entries.Count, records);
        Assert.AreEqual(_entries[0].ImagePath, records[0].Id);
        Assert.AreEqual(_entries[0].Label, records[0].Label);
        CollectionAssert.AreEqual(identifier.Gallery.Embedding(0).ToArray(), records[0].Embedding.ToArray());

        var definition = GalleryRecords.Definition(16);
        var vector = definition.Properties.OfType<VectorStoreVectorProperty>().Single();
        Assert.AreEqual(16, vector.Dimensions);
        Assert.AreEqual(DistanceFunction.EuclideanDistance, vector.DistanceFunction);
        Assert.AreEqual(nameof(GalleryRecord.Id), definition.Properties.OfType<VectorStoreKeyProperty>().Single().Name);

        var back = GalleryRecords.ToGallery(records.Take(6), identifier.Embedder);
        var rebuilt = identifier.WithGallery(back);
        Assert.AreEqual(6, rebuilt.Gallery.Count);
    }
}
