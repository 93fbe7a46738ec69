using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// A frozen trunk inside the network (ResNet18 cut after stage 3, <see cref="SiameseTrainerOptions.FineTuneStages"/> 0):
/// its features computed once (<see cref="FrozenTrunk"/>), the head trained on them, and the saved graph (trunk and head)
/// embedding as TorchSharp did.
/// </summary>
[TestClass]
public sealed class FrozenTrunkTests
{
    private static SiameseTrainerOptions CutTrunkOptions()
    {
        var options = InNetworkBackboneRun.Options();
        options.SelectBackboneFeatures = false;
        options.Backbone = PretrainedBackbone.ResNet18.UpToStage(3);
        options.Network = options.Backbone.Head();
        return options;
    }

    [TestMethod]
    public void Features_AreTheSameDecodedInChunksOrAllAtOnce()
    {
        var paths = PhotoBackboneTests.SmallPhotoSet().Select(e => e.ImagePath).ToList();
        var ml = new MLContext(seed: 1);
        using var trunk = FrozenTrunk.Create(FineTuning.Create(CutTrunkOptions()), TorchSharp.torch.CPU)!;
        Assert.AreEqual(256, trunk.FeatureDimension);
        Assert.AreEqual(3 * 64 * 64, trunk.PixelLength);
        var chunked = trunk.Featurize(ml, paths, imagesPerChunk: 7);   // 30 photos: 5 chunks, the last of 2
        var whole = trunk.Featurize(BackboneFeaturizer.DecodePixels(ml, 64, paths), paths.Count);
        Assert.HasCount(paths.Count * 256, chunked);
        for (int i = 0; i < whole.Length; i++)
            Assert.AreEqual(whole[i], chunked[i], 1e-4f * Math.Max(1f, Math.Abs(whole[i])), $"value {i}");
        Assert.IsTrue(chunked.Any(v => v != 0), "features, not zeros");
        Assert.IsGreaterThan(TimeSpan.Zero, trunk.FeaturizingTime);
        var e = Assert.ThrowsExactly<ArgumentException>(() => trunk.Featurize(new float[10], 1));
        StringAssert.Contains(e.Message, "3x64x64");
    }

    [TestMethod]
    public void UndecodableFile_FailsNamingIt()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        using var folder = new TempFolder();
        string bad = folder.Combine("not-an-image.png");
        File.WriteAllText(bad, "this is text, not a PNG");
        entries.Insert(3, new ImageFolderEntry(bad, entries[0].Label, entries[0].Group));
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Siamese().Train(CutTrunkOptions()).Fit(ml.Data.LoadFromEnumerable(entries)));
        StringAssert.Contains(e.Message, bad);
    }

    [TestMethod]
    public void Create_OnlyForATrunkThatDoesNotTrain()
    {
        Assert.IsNull(FrozenTrunk.Create(null, TorchSharp.torch.CPU), "no backbone in the network");
        var fineTuned = CutTrunkOptions();
        fineTuned.FineTuneStages = 1;
        Assert.IsNull(FrozenTrunk.Create(FineTuning.Create(fineTuned), TorchSharp.torch.CPU), "a stage trains: the pixels go through the network at every step");
    }

    [TestMethod]
    public void UntrainedHead_SavedGraphEmbedsAsTheTrunksNormalisedFeatures()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        var ml = new MLContext(seed: 1);
        var options = CutTrunkOptions();
        options.EarlyStoppingPatience = 4;
        options.HeadWhiteningPowers = [];
        options.ValidationMinimumGain = 2;   // no trained head can beat the untrained one: the identity head is kept
        var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        Assert.IsTrue(model.Summary.KeptStart);
        Assert.AreEqual("resnet18-s3-64", model.Network.Name, "the saved network is the trunk and the head");
        Assert.IsGreaterThan(TimeSpan.Zero, model.Summary.FeaturizationTime);

        using var trunk = FrozenTrunk.Create(FineTuning.Create(options), TorchSharp.torch.CPU)!;
        var features = trunk.Featurize(ml, entries.Select(e => e.ImagePath).ToList());
        var embeddings = model.Transform(ml.Data.LoadFromEnumerable(entries)).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).ToList();
        Assert.HasCount(entries.Count, embeddings);
        for (int r = 0; r < entries.Count; r++)
        {
            var row = features.AsSpan(r * 256, 256);
            float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            for (int i = 0; i < 256; i++)
                Assert.AreEqual(row[i] / norm, embeddings[r][i], 1e-4f, $"image {r}, value {i}");
        }
    }

    [TestMethod]
    public void TrainedHead_IsTheSameWithOrWithoutPhotoAugmentation()
    {
        // The trunk's features are computed once, from the photos as the saved pipeline reads them: photo augmentation
        // (crop, flip, colour) serves fine-tuning only, and a frozen trunk trains the same with it or without it.
        var entries = PhotoBackboneTests.SmallPhotoSet();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(entries);
        var augmented = CutTrunkOptions();
        Assert.IsNotNull(augmented.PhotoAugmentation, "the recipe's");
        var plain = CutTrunkOptions();
        plain.PhotoAugmentation = null;
        var a = ml.Siamese().Train(augmented).Fit(data);
        var b = ml.Siamese().Train(plain).Fit(data);
        Assert.IsFalse(a.Summary.KeptStart, "four steps kept whatever the validation says");
        CollectionAssert.AreEqual(a.Summary.LossHistory.ToArray(), b.Summary.LossHistory.ToArray());
        var ea = a.Transform(data).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).SelectMany(v => v).ToArray();
        var eb = b.Transform(data).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).SelectMany(v => v).ToArray();
        CollectionAssert.AreEqual(ea, eb);
    }
}
