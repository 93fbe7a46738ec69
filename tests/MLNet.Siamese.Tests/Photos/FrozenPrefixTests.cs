using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// The backbone's frozen layers computed once per image (<see cref="FrozenPrefix"/>): a frozen trunk inside the network
/// (ResNet18 cut after stage 3, <see cref="SiameseTrainerOptions.FineTuneStages"/> 0), whose head trains on its features,
/// and the frozen stages before those that fine-tune without photo augmentation; the saved graph (the whole network)
/// embeds as TorchSharp did.
/// </summary>
[TestClass]
public sealed class FrozenPrefixTests
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
        using var trunk = FrozenPrefix.Create(FineTuning.Create(CutTrunkOptions()), new(), TorchSharp.torch.CPU)!;
        Assert.AreEqual(256, trunk.ItemLength);
        Assert.AreEqual(ResNet18Network.PoolingLayerOf(3) + 1, trunk.Layers, "the trunk and its pooling");
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
    public void Create_ForAFrozenTrunk_OrTheFrozenStagesOfAFineTuningWithoutPhotoAugmentation()
    {
        var cpu = TorchSharp.torch.CPU;
        Assert.IsNull(FrozenPrefix.Create(null, null, cpu), "no backbone in the network");
        var fineTuned = InNetworkBackboneRun.Options();   // the whole trunk at 64 px
        fineTuned.FineTuneStages = 1;
        Assert.IsNull(FrozenPrefix.Create(FineTuning.Create(fineTuned), new(), cpu), "augmented photos change at every step: they go through the whole network");
        using (var prefix = FrozenPrefix.Create(FineTuning.Create(fineTuned), null, cpu)!)
        {
            Assert.AreEqual(ResNet18Network.FrozenLayerCount(1), prefix.Layers, "the stem and stages 1-3");
            Assert.AreEqual(256 * 4 * 4, prefix.ItemLength, "stage 3's maps at 64 px");
        }
        using (var trunk = FrozenPrefix.Create(FineTuning.Create(CutTrunkOptions()), null, cpu)!)
            Assert.IsNull(FineTuning.Create(CutTrunkOptions())!.AfterPrefix(trunk), "a frozen trunk: the head trains alone");
        fineTuned.FineTuneStages = 3;   // the stem's maps (64 x 16 x 16) are more values than the photo (3 x 64 x 64): no prefix
        Assert.IsNull(FrozenPrefix.Create(FineTuning.Create(fineTuned), null, cpu));
    }

    [TestMethod]
    public void PrefixThenRest_EmbedsAsTheWholeNetwork_AndWholePutsTheWeightsBack()
    {
        var paths = PhotoBackboneTests.SmallPhotoSet().Take(6).Select(e => e.ImagePath).ToList();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.Options();
        options.FineTuneStages = 1;
        var fineTuning = FineTuning.Create(options)!;
        using var prefix = FrozenPrefix.Create(fineTuning, null, TorchSharp.torch.CPU)!;
        var afterPrefix = fineTuning.AfterPrefix(prefix)!;
        Assert.AreEqual(prefix.Layers, afterPrefix.LayerOffset);
        var head = PretrainedBackbone.ResNet18.Head();
        var wholeSpec = fineTuning.Network(head);
        var restSpec = afterPrefix.Network(head);
        Assert.AreEqual(wholeSpec.Layers.Count - prefix.Layers, restSpec.Layers.Count);
        Assert.AreEqual(prefix.ItemLength, restSpec.InputSize);

        using var whole = new EmbeddingNetwork(wholeSpec);
        fineTuning.Prepare(whole);
        whole.eval();
        using var rest = new EmbeddingNetwork(restSpec);
        afterPrefix.Prepare(rest);
        rest.eval();
        var pixels = BackboneFeaturizer.DecodePixels(ml, 64, paths);
        var expected = Onnx.TrainedNetworks.Forward(whole, pixels, paths.Count);
        var actual = Onnx.TrainedNetworks.Forward(rest, prefix.Featurize(pixels, paths.Count), paths.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-4f, $"value {i}");

        var (network, weights) = prefix.Whole(restSpec, rest.ExportWeights());
        Assert.AreEqual(wholeSpec.Name, network.Name);
        CollectionAssert.AreEqual(wholeSpec.Layers.ToList(), network.Layers.ToList());
        CollectionAssert.AreEquivalent(whole.ExportWeights().Keys.ToList(), weights.Keys.ToList(), "every weight of the whole network, named as in it");
        using var rebuilt = new EmbeddingNetwork(network);
        rebuilt.LoadWeights(weights);
        rebuilt.eval();
        var again = Onnx.TrainedNetworks.Forward(rebuilt, pixels, paths.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], again[i], 1e-4f, $"value {i}");
    }

    [TestMethod]
    public void FineTunedWithoutPhotoAugmentation_TrainsAfterThePrefix_AndItsZipScoresWithoutTorchSharp()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.Options();
        options.FineTuneStages = 1;
        options.PhotoAugmentation = null;
        using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        Assert.AreEqual("resnet18-64", model.Network.Name, "the whole network is saved");
        Assert.AreEqual(4, model.Summary.Iterations);
        Assert.IsFalse(model.Summary.KeptStart);
        Assert.IsGreaterThan(TimeSpan.Zero, model.Summary.FeaturizationTime);

        InNetworkBackboneRun.AssertZipScoresWithoutTorchSharp(ml, model, entries, folder);
    }

    [TestMethod]
    public void UntrainedHead_SavedGraphEmbedsAsTheTrunksNormalisedFeatures()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        var ml = new MLContext(seed: 1);
        var options = CutTrunkOptions();
        options.EarlyStoppingPatience = 4;
        options.HeadWhiteningPowers = [];
        options.HeadWithinClassWhiteningPowers = [];
        options.ValidationMinimumGain = 2;   // no trained head can beat the untrained one: the identity head is kept
        using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        Assert.IsTrue(model.Summary.KeptStart);
        Assert.AreEqual("resnet18-s3-64", model.Network.Name, "the saved network is the trunk and the head");
        Assert.IsGreaterThan(TimeSpan.Zero, model.Summary.FeaturizationTime);

        using var trunk = FrozenPrefix.Create(FineTuning.Create(options), null, TorchSharp.torch.CPU)!;
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
        using var a = ml.Siamese().Train(augmented).Fit(data);
        using var b = ml.Siamese().Train(plain).Fit(data);
        Assert.IsFalse(a.Summary.KeptStart, "four steps kept whatever the validation says");
        CollectionAssert.AreEqual(a.Summary.LossHistory.ToArray(), b.Summary.LossHistory.ToArray());
        var ea = a.Transform(data).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).SelectMany(v => v).ToArray();
        var eb = b.Transform(data).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).SelectMany(v => v).ToArray();
        CollectionAssert.AreEqual(ea, eb);
    }
}
