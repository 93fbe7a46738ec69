using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Tests.Onnx;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// <see cref="SiameseTrainerOptions.MirrorViews"/>: the frozen trunk's features are averaged over each photo and its
/// mirror image before the head, so a photo and its mirror image embed alike; the saved zip (one graph: trunk, mean,
/// head) scores in the process without TorchSharp; it needs a frozen backbone.
/// </summary>
[TestClass]
public sealed class MirrorViewsTests
{
    [TestMethod]
    public void APhotoAndItsMirrorEmbedAlike_AndTheZipScoresWithoutTorchSharp()
    {
        var entries = PhotoBackboneTests.SmallPhotoSet();
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.Options();
        options.MirrorViews = true;
        using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        CollectionAssert.AreEqual(EmbeddingView.PhotoAndMirror.ToArray(), model.Network.TestTimeViews!.ToArray());
        Assert.AreEqual(ResNet18Network.PoolingLayer + 1, model.Network.TestTimeViewsMergeAfter, "the views merge at the trunk's pooled features");
        Assert.IsTrue(model.Images!.BackboneInNetwork, "the trunk is in the network's graph, not ML.NET's featurizer");

        const int side = 64, count = 4;
        var pixels = BackboneFeaturizer.DecodePixels(ml, side, entries.Take(count).Select(e => e.ImagePath).ToList());
        var mirrored = new float[pixels.Length];
        for (int row = 0; row < pixels.Length / side; row++)
            for (int col = 0; col < side; col++) mirrored[row * side + col] = pixels[row * side + side - 1 - col];
        var onnx = model.EmbedderOnnx.ToArray();
        var embedded = OnnxRuntimeRunner.Run(onnx, ("Features", pixels, new long[] { count, pixels.Length / count }))["Embedding"].Values;
        var embeddedMirrored = OnnxRuntimeRunner.Run(onnx, ("Features", mirrored, new long[] { count, pixels.Length / count }))["Embedding"].Values;
        TrainedNetworks.AssertClose(embedded, embeddedMirrored, 1e-5f, "a photo and its mirror image");
        var fromPipeline = model.Transform(ml.Data.LoadFromEnumerable(entries.Take(count))).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).SelectMany(e => e).ToArray();
        TrainedNetworks.AssertClose(embedded, fromPipeline, 1e-5f, "the saved pipeline decodes the photos as the graph was fed here");

        InNetworkBackboneRun.AssertZipScoresWithoutTorchSharp(ml, model, entries, folder);
    }

    [TestMethod]
    public void MirrorViews_NeedsAFrozenBackbone()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(PhotoBackboneTests.SmallPhotoSet());
        var fineTuned = InNetworkBackboneRun.Options();
        fineTuned.MirrorViews = true;
        fineTuned.FineTuneStages = 1;
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().Train(fineTuned).Fit(data));
        Assert.AreEqual(nameof(SiameseTrainerOptions.MirrorViews), e.ParamName);
        StringAssert.Contains(e.Message, "FineTuneStages 0");
    }
}
