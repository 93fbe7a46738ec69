using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Sampling;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// Fine-tuning ImageNet ResNet18: what freezing keeps fixed, the photo augmentation, and a fine-tuned model whose saved
/// zip (ImageAnalytics + one ONNX graph: normalization, trunk, head) scores in a process without TorchSharp.
/// </summary>
[TestClass]
public sealed class FineTuneTests
{
    [TestMethod]
    public void Freeze_TrainsOnlyTheLastStage_AndKeepsBatchNormStatistics()
    {
        var spec = ResNet18Network.Create(64, PretrainedBackbone.ResNet18.Head());
        using var net = new EmbeddingNetwork(spec);
        net.LoadWeights(ResNet18Weights.Import(PretrainedBackbone.ResNet18.ResolveModelDirectory(), 64));
        int frozen = ResNet18Network.FrozenLayerCount(1);
        net.Freeze(frozen, trainBatchNorm: false);
        net.train();
        var before = net.ExportWeights();
        var trainable = Enumerable.Range(0, spec.Layers.Count).SelectMany(net.TrainableParameters).ToList();
        using var adam = optim.Adam(trainable, 1e-2);
        using (var scope = NewDisposeScope())
        {
            manual_seed(1);
            var x = rand(4, 3, 64, 64) * 255;
            var loss = (net.forward(x) * randn(512)).sum();
            loss.backward();
            adam.step();
        }
        var after = net.ExportWeights();
        foreach (var (name, w) in before)
        {
            int layer = int.Parse(name.Split('.')[0], CultureInfo.InvariantCulture);
            bool changed = !w.Values.SequenceEqual(after[name].Values);
            bool batchNorm = name.Contains("bn", StringComparison.Ordinal);
            if (layer < frozen || batchNorm)
                Assert.IsFalse(changed, $"{name} is frozen but changed");
            else if (name.EndsWith("conv1.weight", StringComparison.Ordinal) || name == $"{spec.Layers.Count - 2}.weight")
                Assert.IsTrue(changed, $"{name} trains but did not change");
        }
        Assert.IsTrue(net.training);
        Assert.IsFalse(net.named_modules().Where(m => m.module is MLNet.Siamese.Networks.BatchNorm2dModule).Any(m => m.module.training), "batch norms stay in evaluation mode");
    }

    [TestMethod]
    public void PhotoAugmentation_FlipOnly_MirrorsAndJitterKeepsTheRange()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var x = rand(3, 3, 8, 10) * 255;
        var flip = new PhotoAugmentation { MinCropArea = 1, MaxAspectRatio = 1, FlipProbability = 1, ColorJitter = 0 };
        var mirrored = flip.Apply(x, new SiameseRandom(1));
        Assert.IsTrue(mirrored.allclose(x.flip(3), rtol: 0, atol: 1e-3), "a flip with no crop is the mirror image");
        var full = new PhotoAugmentation();
        var a = full.Apply(x, new SiameseRandom(5));
        var b = full.Apply(x, new SiameseRandom(5));
        CollectionAssert.AreEqual(x.shape, a.shape);
        Assert.IsTrue(a.allclose(b, rtol: 0, atol: 0), "the same seed gives the same augmentation");
        Assert.IsFalse(a.allclose(x), "the default augmentation changes the photos");
        Assert.IsGreaterThanOrEqualTo(x.min().item<float>(), a.min().item<float>());
        Assert.IsLessThanOrEqualTo(x.max().item<float>(), a.max().item<float>());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PhotoAugmentation { MinCropArea = 0 }.Validate());
    }

    [TestMethod]
    public void FineTunedModel_TrainsTheLastStage_AndItsZipScoresWithoutTorchSharp()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.Options();
        options.FineTuneStages = 1;
        using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        Assert.AreEqual("resnet18-64", model.Network.Name);
        Assert.AreEqual(512, model.EmbeddingDimension);
        Assert.IsTrue(model.Images!.BackboneInNetwork);
        Assert.AreEqual(4, model.Summary.Iterations);

        InNetworkBackboneRun.AssertZipScoresWithoutTorchSharp(ml, model, entries, folder);
    }

    [TestMethod]
    public void FineTuning_NeedsABackboneAndAValidStageCount()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(PhotoBackboneTests.SmallPhotoSet());
        var options = SiameseRecipes.Photos.CreateOptions();
        options.FineTuneStages = 5;
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Siamese().Train(options).Fit(data));
        options = SiameseRecipes.Photos.CreateOptions();
        options.FineTuneStages = 1;
        options.Backbone = null;
        options.Network = NetworkPresets.Compact(28, 16) with { Channels = 3 };
        options.Augmentation = null;
        Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().Train(options).Fit(data));
    }
}
