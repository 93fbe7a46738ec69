using Microsoft.ML;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// ResNet18 cut after an earlier stage (its network, its weights, a model on it whose zip scores without TorchSharp) and
/// the choice of the backbone's features on the training classes (<see cref="SiameseTrainerOptions.SelectBackboneFeatures"/>).
/// </summary>
[TestClass]
public sealed class BackboneFeatureSelectionTests
{
    [TestMethod]
    public void CutTrunk_EndsInTheStagesChannels_AndRefusesAHeadOfAnotherSize()
    {
        var spec = ResNet18Network.Create(64, null, stages: 3);
        Assert.AreEqual("resnet18-s3-64", spec.Name);
        Assert.AreEqual(256, spec.EmbeddingDimension);
        Assert.AreEqual(ResNet18Network.PoolingLayerOf(3) + 1, spec.Layers.Count, "the trunk, then the pooling");
        var backbone = PretrainedBackbone.ResNet18.UpToStage(3);
        Assert.AreEqual(256, backbone.FeatureDimension);
        Assert.AreEqual(256, ResNet18Network.Create(64, backbone.Head(), 3).EmbeddingDimension);
        Assert.IsFalse(backbone.IsFeaturizerOutput(224), "stage 3 is not what DnnFeaturizeImage gives");
        Assert.IsFalse(PretrainedBackbone.ResNet18.IsFeaturizerOutput(112), "nor is another size");
        Assert.IsTrue(PretrainedBackbone.ResNet18.IsFeaturizerOutput(224));
        var e = Assert.ThrowsExactly<ArgumentException>(() => ResNet18Network.Create(64, PretrainedBackbone.ResNet18.Head(), 3));
        StringAssert.Contains(e.Message, "256 features");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PretrainedBackbone.ResNet18.UpToStage(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PretrainedBackbone.ResNet18.UpToStage(5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ResNet18Network.FrozenLayerCount(4, stages: 3));
        Assert.AreEqual(ResNet18Network.PoolingLayerOf(3), ResNet18Network.FrozenLayerCount(0, stages: 3));
    }

    [TestMethod]
    public void CutTrunkWeights_AreTheWholeTrunksFirstLayers()
    {
        string models = PretrainedBackbone.ResNet18.ResolveModelDirectory();
        var whole = ResNet18Weights.Import(models, 64);
        var cut = ResNet18Weights.Import(models, 64, stages: 3);
        int trunk = ResNet18Network.PoolingLayerOf(3);
        Assert.IsTrue(cut.Keys.All(k => int.Parse(k.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) < trunk), "no weight of stage 4");
        Assert.IsFalse(cut.ContainsKey($"{trunk}.conv1.weight"));
        string last = $"{trunk - 1}.conv2.weight";   // stage 3's last convolution
        CollectionAssert.AreEqual(whole[last].Values, cut[last].Values);
        CollectionAssert.AreEqual(whole["0.mean"].Values, cut["0.mean"].Values);
        using var network = new EmbeddingNetwork(ResNet18Network.Create(64, null, 3));
        network.LoadWeights(cut);   // every weight has its place
    }

    [TestMethod]
    public void Selection_MeasuresEveryCandidate_AndKeepsTheFeaturizersUnlessBeatenByTheMargin()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        var ml = new MLContext(seed: 1);
        var selection = BackboneFeatureSelection.Select(ml, PretrainedBackbone.ResNet18, entries.Select(e => e.ImagePath).ToList(), entries.Select(e => e.Label).ToList(), seed: 1);
        CollectionAssert.AreEqual(BackboneFeatureSelection.Candidates.ToList(), selection.Candidates.Select(c => (c.Stages, c.ImageSize)).ToList());
        Assert.AreEqual(entries.Count, selection.SampledImages, "30 images: under the sample size, all taken");
        Assert.AreEqual(1, selection.Candidates.Count(c => c.Chosen));
        Assert.IsTrue(selection.Candidates.All(c => c.MapAtR is > 0 and <= 1), string.Join(", ", selection.Candidates));
        var baseline = selection.Candidates[0];
        var best = selection.Candidates.Skip(1).MaxBy(c => c.MapAtR)!;
        Assert.AreEqual(best.MapAtR >= baseline.MapAtR + BackboneFeatureSelection.MinimumGain ? best : baseline, selection.Chosen);
        StringAssert.Contains(selection.ToString(), $"chosen: stages {selection.Chosen.Stages} at {selection.Chosen.ImageSize} px");
        // Photos of everyday objects: the featurizer's own features (Caltech-101, docs/photos.md).
        Assert.AreEqual((4, 224), (selection.Chosen.Stages, selection.Chosen.ImageSize), selection.ToString());
    }

    [TestMethod]
    public void Selection_UndecodableFile_FailsNamingIt()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet().Take(12).ToList();
        using var folder = new TempFolder();
        string bad = folder.Combine("not-an-image.png");
        File.WriteAllText(bad, "this is text, not a PNG");
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => BackboneFeatureSelection.Select(ml, PretrainedBackbone.ResNet18,
            [.. entries.Select(x => x.ImagePath), bad], [.. entries.Select(x => x.Label), entries[0].Label], seed: 1));
        StringAssert.Contains(e.Message, bad);
    }

    [TestMethod]
    public void DecodingMorePixelsThanAnArrayHolds_FailsSayingHowManyImagesFit()
    {
        // 14,266 photos at 224 px fill one array of floats; one more used to end in "Array dimensions exceeded".
        string photo = PhotoBackboneTests.SmallPhotoSet()[0].ImagePath;
        int fit = Array.MaxLength / (3 * 224 * 224);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => BackboneFeaturizer.DecodePixels(new MLContext(seed: 1), 224, Enumerable.Repeat(photo, fit + 1).ToList()));
        StringAssert.Contains(e.Message, $"{fit + 1} images of 3x224x224");
        StringAssert.Contains(e.Message, $"at most {fit} images at 224 px");
    }

    [TestMethod]
    public void TheSample_StaysAtItsSize_WithThousandsOfClasses()
    {
        // Faces: thousands of people with a few photos each. Two photos of each of SampleSize / 2 people drawn at random.
        var many = Enumerable.Range(0, 4000 * 3).Select(i => $"person{i / 3}").Concat(["alone"]).ToList();
        var rows = BackboneFeatureSelection.Sample(many, seed: 1);
        Assert.HasCount(BackboneFeatureSelection.SampleSize, rows);
        var classes = rows.GroupBy(r => many[r]).ToList();
        Assert.HasCount(BackboneFeatureSelection.SampleSize / 2, classes);
        Assert.IsTrue(classes.All(c => c.Count() == 2), "two photos of each person drawn");
        Assert.IsFalse(classes.Any(c => c.Key == "alone"), "a class of one photo gives no MAP@R");
        CollectionAssert.AreEqual(rows, BackboneFeatureSelection.Sample(many, seed: 1), "the same seed draws the same sample");
        CollectionAssert.AreNotEqual(rows, BackboneFeatureSelection.Sample(many, seed: 2));
        // Fewer classes: every class, as many photos each as fit (100 classes of 30: 15 each).
        var few = Enumerable.Range(0, 100 * 30).Select(i => $"c{i / 30}").ToList();
        var fewRows = BackboneFeatureSelection.Sample(few, seed: 1);
        Assert.HasCount(1500, fewRows);
        Assert.IsTrue(fewRows.GroupBy(r => few[r]).All(c => c.Count() == 15));
    }

    [TestMethod]
    public void Selection_OneClass_LeavesTheRefusalToTheClassHoldOut()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet().Take(6).ToList();
        Assert.AreEqual(1, entries.Select(e => e.Label).Distinct().Count());
        Assert.IsFalse(BackboneFeatureSelection.CanMeasure(entries.Select(e => e.Label).ToList()));
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Siamese().Train(SiameseRecipes.Photos.CreateOptions()).Fit(ml.Data.LoadFromEnumerable(entries)));
        StringAssert.Contains(e.Message, "the data has 1 classes");
    }

    [TestMethod]
    public void Selection_WithTheMirror_MeasuresTheChosenFeaturesAveragedOverTheMirrorImages()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        var ml = new MLContext(seed: 1);
        var paths = entries.Select(e => e.ImagePath).ToList();
        var labels = entries.Select(e => e.Label).ToList();
        var plain = BackboneFeatureSelection.Select(ml, PretrainedBackbone.ResNet18, paths, labels, seed: 1);
        Assert.IsNull(plain.MirroredMapAtR);
        Assert.IsFalse(plain.Mirror);
        var selection = BackboneFeatureSelection.Select(ml, PretrainedBackbone.ResNet18, paths, labels, seed: 1, measureMirror: true);
        Assert.AreEqual(plain.Chosen, selection.Chosen, "the mirror is measured after the choice, on the chosen features");
        double mirrored = selection.MirroredMapAtR!.Value;
        Assert.IsTrue(mirrored is > 0 and <= 1, selection.ToString());
        Assert.AreNotEqual(selection.Chosen.MapAtR, mirrored, "the mirror images change the features");
        Assert.AreEqual(mirrored >= selection.Chosen.MapAtR + BackboneFeatureSelection.MinimumMirrorGain, selection.Mirror);
        StringAssert.Contains(selection.ToString(), "averaged with the mirror images");
    }

    [TestMethod]
    public void MirrorImages_ReversesEveryRowOfEveryPlane()
    {
        float[] pixels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];   // 2 planes of 3 x 3
        CollectionAssert.AreEqual(new float[] { 3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16 }, BackboneFeatureSelection.MirrorImages(pixels, 3));
    }

    [TestMethod]
    public void CutTrunkModel_TrainsTheHeadOnly_AndItsZipScoresWithoutTorchSharp()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.Options();
        options.SelectBackboneFeatures = false;
        options.Backbone = PretrainedBackbone.ResNet18.UpToStage(3);
        options.Network = options.Backbone.Head();
        using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        Assert.AreEqual("resnet18-s3-64", model.Network.Name);
        Assert.AreEqual(256, model.EmbeddingDimension);
        Assert.IsTrue(model.Images!.BackboneInNetwork);
        Assert.IsNull(model.Summary.BackboneSelection);

        InNetworkBackboneRun.AssertZipScoresWithoutTorchSharp(ml, model, entries, folder);
    }
}
