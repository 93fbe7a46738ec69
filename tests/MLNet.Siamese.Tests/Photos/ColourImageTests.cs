using MLNet.Siamese.Losses;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Tests.Onnx;
using MLNet.Siamese.Trainers;
using SkiaSharp;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>Colour decoding (three planar channels), and a colour model trained, exported and scored in ML.NET.</summary>
[TestClass]
public sealed class ColourImageTests
{
    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class LabelledPath
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>A 2x2 PNG: red, green / blue, (10, 20, 30).</summary>
    private static string FourColours(TempFolder folder)
    {
        using var bitmap = new SKBitmap(2, 2);
        bitmap.SetPixel(0, 0, new SKColor(255, 0, 0));
        bitmap.SetPixel(1, 0, new SKColor(0, 255, 0));
        bitmap.SetPixel(0, 1, new SKColor(0, 0, 255));
        bitmap.SetPixel(1, 1, new SKColor(10, 20, 30));
        string path = folder.Combine("colours.png");
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A 16x16 PNG filled with one colour plus a little per-file noise, so every file is distinct.</summary>
    private static string Solid(TempFolder folder, string name, SKColor colour, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(16, 16);
        for (int x = 0; x < 16; x++)
            for (int y = 0; y < 16; y++)
            {
                byte Jitter(byte v) => (byte)Math.Clamp(v + random.Next(-20, 21), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(Jitter(colour.Red), Jitter(colour.Green), Jitter(colour.Blue)));
            }
        string path = folder.Combine(name);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    [TestMethod]
    public void ThreeChannels_DecodesPlanarRgb_PerChannelValues()
    {
        using var folder = new TempFolder();
        var ml = new MLContext();
        var options = new ImagePreprocessingOptions { Width = 2, Height = 2, Channels = 3 };
        Assert.AreEqual(12, options.FeatureLength);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = FourColours(folder) } });
        var values = ml.Siamese().PreprocessImages("Features", "ImagePath", options).Fit(data).Transform(data).GetColumn<float[]>("Features").Single();
        // Planes: red (4 pixels), green, blue; pixels row-major: (0,0) red, (1,0) green, (0,1) blue, (1,1) (10,20,30).
        float[] expected =
        [
            1, 0, 0, 10 / 255f,
            0, 1, 0, 20 / 255f,
            0, 0, 1, 30 / 255f,
        ];
        TrainedNetworks.AssertClose(expected, values, 1e-6f, "planar RGB");
        var decoded = ImagePreprocessing.DecodeToArray(ml, [FourColours(folder)], options);
        TrainedNetworks.AssertClose(expected, decoded, 1e-6f, "DecodeToArray");
    }

    [TestMethod]
    public void OneChannel_IsTheDefault_AndOldJsonReadsAsGrayscale()
    {
        var old = System.Text.Json.JsonSerializer.Deserialize<ImagePreprocessingOptions>("{\"Width\":8,\"Height\":8,\"Invert\":true}")!;
        Assert.AreEqual(1, old.Channels);
        Assert.AreEqual(64, old.FeatureLength);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImagePreprocessing.DecodeToArray(new MLContext(), [], new ImagePreprocessingOptions { Channels = 2 }));
    }

    [TestMethod]
    public void ThreeChannelNetwork_ExportedEmbedder_MatchesTorchSharp()
    {
        var spec = NetworkPresets.Compact(16, 8, 8) with { Channels = 3, TestTimeViews = EmbeddingView.Standard };
        using var net = TrainedNetworks.Build(spec, seed: 3);
        var input = TrainedNetworks.RandomInput(2 * spec.InputSize, seed: 4);
        var onnx = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        var outputs = OnnxRuntimeRunner.Run(onnx, ("Features", input, new long[] { 2, spec.InputSize }));
        TrainedNetworks.AssertClose(TrainedNetworks.Forward(net, input, 2), outputs["Embedding"].Values, 1e-4f, "3-channel embedder");
        TrainedNetworks.AssertPairScorerMatchesForward(net, input[..spec.InputSize], input[spec.InputSize..], 1);
    }

    [TestMethod]
    public void ColourModel_TrainsFromFiles_SavesAndScoresInMlNet_SameAsOnnxOnDecodedPixels()
    {
        using var folder = new TempFolder();
        var colours = new[] { SKColors.Red, SKColors.Green, SKColors.Blue, SKColors.Yellow };
        var rows = new List<LabelledPath>();
        for (int c = 0; c < colours.Length; c++)
            for (int i = 0; i < 6; i++)
                rows.Add(new LabelledPath { ImagePath = Solid(folder, $"c{c}_{i}.png", colours[c], c * 100 + i), Label = "colour" + c });
        var ml = new MLContext(seed: 1);
        var model = ml.Siamese().Train(new SiameseTrainerOptions
        {
            Loss = SiameseLoss.Contrastive,
            WeightAveragingDecay = 0,
            Augmentation = null,
            ImageColumnName = "ImagePath",
            Network = NetworkPresets.Compact(16, 8, 8) with { Channels = 3 },
            Iterations = 20,
            BatchSize = 16,
            LearningRate = 1e-3f,
            Seed = 2,
            CalibrationPairs = 100,
        }).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.AreEqual(3, model.Images!.Preprocessing.Channels);
        Assert.AreEqual(3 * 16 * 16, model.Network.InputSize);

        string zip = folder.Combine("colour.zip");
        model.SaveEmbedder(zip);
        var loaded = new MLContext().Model.Load(zip, out _);
        var fromZip = loaded.Transform(ml.Data.LoadFromEnumerable(rows.Take(4).Select(r => new PathRow { ImagePath = r.ImagePath })))
            .GetColumn<float[]>(SiameseModel.EmbeddingColumnName).ToArray();

        // The same images decoded by the library and fed to the exported ONNX embedder directly.
        var pixels = ImagePreprocessing.DecodeToArray(ml, rows.Take(4).Select(r => r.ImagePath).ToList(), model.Images.Preprocessing);
        var outputs = OnnxRuntimeRunner.Run(model.EmbedderOnnx.ToArray(), ("Features", pixels, new long[] { 4, model.Network.InputSize }));
        TrainedNetworks.AssertClose(outputs["Embedding"].Values, fromZip.SelectMany(e => e).ToArray(), 1e-5f, "zip vs ONNX on decoded pixels");
        // Red and blue images must be decoded differently (a grayscale decode would mix the channels).
        Assert.IsGreaterThan(0.5f, Math.Abs(pixels[0] - pixels[2 * 256]), "red plane of a red image vs its blue plane");
    }
}
