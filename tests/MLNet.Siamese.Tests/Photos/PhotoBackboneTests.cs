using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Tests.Onnx;
using MLNet.Siamese.Tests.Reliability;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// The photos recipe's pretrained backbone: the identity head, a model trained on real Caltech-101 photos whose saved
/// zip (ImageAnalytics + ResNet18 ONNX + head ONNX) scores in a process without TorchSharp, and bad image files.
/// </summary>
[TestClass]
public sealed class PhotoBackboneTests
{
    /// <summary>Five classes of the vendored Caltech-101 photos, six images each (colour and grayscale JPEGs).</summary>
    internal static List<ImageFolderEntry> SmallPhotoSet() => PhotoSet(classes: 5, perClass: 6);

    /// <summary>The first <paramref name="perClass"/> photos of the first <paramref name="classes"/> classes of data/caltech101, in name order.</summary>
    internal static List<ImageFolderEntry> PhotoSet(int classes, int perClass)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "caltech101")))
            dir = dir.Parent;
        Assert.IsNotNull(dir, "data/caltech101 not found above the test folder");
        return ImageFolder.Scan(Path.Combine(dir.FullName, "data", "caltech101"))
            .GroupBy(e => e.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Take(classes).SelectMany(g => g.Take(perClass)).ToList();
    }

    [TestMethod]
    public void UntrainedHead_IsTheL2NormalisedFeatures()
    {
        var spec = PretrainedBackbone.ResNet18.Head();
        Assert.AreEqual(512, spec.InputSize);
        Assert.AreEqual(512, spec.EmbeddingDimension);
        using var net = new EmbeddingNetwork(spec);
        net.eval();
        var x = TrainedNetworks.RandomInput(3 * 512, seed: 7);
        var y = TrainedNetworks.Forward(net, x, 3);
        var expected = new float[x.Length];
        for (int r = 0; r < 3; r++)
        {
            var row = x.AsSpan(r * 512, 512);
            float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            for (int i = 0; i < 512; i++) expected[r * 512 + i] = row[i] / norm;
        }
        TrainedNetworks.AssertClose(expected, y, 1e-6f, "identity head");
        // The exported head computes the same.
        var onnx = OnnxExporter.ExportEmbedder(spec, net.ExportWeights());
        TrainedNetworks.AssertClose(expected, OnnxRuntimeRunner.Run(onnx, ("Features", x, new long[] { 3, 512 }))["Embedding"].Values, 1e-5f, "exported identity head");
    }

    [TestMethod]
    public void PhotoModel_TrainsOnResNet18Features_AndItsZipScoresWithoutTorchSharp()
    {
        var entries = SmallPhotoSet();
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var options = InNetworkBackboneRun.ShortRecipeRun();
        options.Iterations = 20;
        options.ValidationInterval = 5;
        using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries));
        Assert.AreEqual(512, model.EmbeddingDimension);
        Assert.IsNotNull(model.Summary.StartValidation, "the untrained head is validated on the held-out classes");
        Assert.IsGreaterThan(TimeSpan.Zero, model.Summary.FeaturizationTime);
        Assert.AreSame(PretrainedBackbone.ResNet18, model.Images!.Backbone);

        string zip = folder.Combine("photos.zip");
        model.SavePairScorer(zip);
        Assert.IsGreaterThan(40_000_000L, new FileInfo(zip).Length, "the zip carries the ResNet18 ONNX model");
        var pairs = new[] { (0, 1), (0, 7), (12, 13), (20, 29) }.Select(p => (entries[p.Item1].ImagePath, entries[p.Item2].ImagePath)).ToList();
        var engine = ml.Model.CreatePredictionEngine<ImagePair, PairPrediction>(model.PairScorer);
        var expected = pairs.Select(p => engine.Predict(new ImagePair { LeftImagePath = p.Item1, RightImagePath = p.Item2 })).ToList();
        string csv = folder.Combine("pairs.csv");
        File.WriteAllLines(csv, pairs.Select(p => p.Item1 + ";" + p.Item2));

        string scorer = ScoringOnlyProcess.Path;
        string deps = File.ReadAllText(Path.ChangeExtension(scorer, ".deps.json"));
        Assert.DoesNotContain("TorchSharp", deps, "the scoring process must not reference TorchSharp");
        Assert.DoesNotContain("MLNet.Siamese", deps.Replace("MLNet.Siamese.ScoringOnly", "", StringComparison.Ordinal));
        Assert.DoesNotContain("DnnImageFeaturizer", deps, "the ResNet18 model travels inside the zip, not as a package");
        ScoringOnlyProcess.AssertScoresPairs(zip, csv, expected);
        // Same-class pairs are closer than different-class ones (ImageNet features separate these classes).
        Assert.IsLessThan(expected[1].Distance, expected[0].Distance, "two faces vs a face and a leopard");
    }

    [TestMethod]
    [DataRow(0, DisplayName = "frozen: featurized")]
    [DataRow(1, DisplayName = "fine-tuned: decoded to pixels")]
    public void Backbone_UndecodableFile_FailsNamingIt(int fineTuneStages)
    {
        // Five classes: enough to hold two out, so the files are decoded (the class hold-out is decided before decoding).
        var entries = SmallPhotoSet();
        using var folder = new TempFolder();
        string bad = folder.Combine("not-an-image.jpg");
        File.WriteAllText(bad, "this is text, not a JPEG");
        entries.Add(new ImageFolderEntry(bad, entries[0].Label, entries[0].Group));
        var ml = new MLContext(seed: 1);
        var options = SiameseRecipes.Photos.CreateOptions();
        options.Iterations = 2;
        options.FineTuneStages = fineTuneStages;
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)));
        StringAssert.Contains(e.Message, bad);
    }

    [TestMethod]
    public void Backbone_NeedsImagesAndAMatchingNetwork()
    {
        var ml = new MLContext(seed: 1);
        var entries = SmallPhotoSet();
        var options = SiameseRecipes.Photos.CreateOptions();
        options.Network = NetworkPresets.Compact(28, 16) with { Channels = 3 };
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)));
        StringAssert.Contains(e.Message, "512 features");
        options = SiameseRecipes.Photos.CreateOptions();
        options.MirroredClasses = true;
        Assert.ThrowsExactly<ArgumentException>(() => ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)));
    }

    [TestMethod]
    public void OnePixelAnd16BitImages_AreConverted_InColour()
    {
        using var folder = new TempFolder();
        var ml = new MLContext();
        var options = new ImagePreprocessingOptions { Width = 4, Height = 4, Channels = 3 };
        // 1x1 image: documented conversion, stretched to the network's size (every pixel the same colour).
        string one = TestFiles.WritePng(folder.Combine("one.png"), 1, 1, square: 1);
        var values = ImagePreprocessing.DecodeToArray(ml, [one], options);
        Assert.IsTrue(values.All(v => v == 0f), "a black 1x1 image gives black planes");
        // 16-bit RGB PNG of one colour (0x8000, 0x4000, 0xFFFF): decoded at 8 bits per channel.
        string deep = folder.Combine("deep.png");
        File.WriteAllBytes(deep, Png16(2, 2, 0x8000, 0x4000, 0xFFFF));
        values = ImagePreprocessing.DecodeToArray(ml, [deep], options);
        Assert.AreEqual(0x80 / 255f, values[0], 1.5f / 255, "red");
        Assert.AreEqual(0x40 / 255f, values[16], 1.5f / 255, "green");
        Assert.AreEqual(1f, values[32], 1.5f / 255, "blue");
    }

    /// <summary>An 8 x 8 CMYK JPEG (Adobe marker, as ImageMagick writes one) of the colour rgb(200, 40, 90).</summary>
    private const string CmykJpeg =
        "/9j/7gAOQWRvYmUAZAAAAAAC/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK" +
        "/9sAQwECAgICAgIFAwMFCgcGBwoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoK/8AAFAgACAAIBAERAAIRAQMR" +
        "AQQRAP/EABUAAQEAAAAAAAAAAAAAAAAAAAYJ/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/EABUBAQEAAAAAAAAAAAAAAAAAAAQJ/8QAFBEBAAAAAAAAAAAA" +
        "AAAAAAAAAP/aAA4EAQACEQMRBAAAPwBAQj2pA//Z";

    [TestMethod]
    public void ACmykJpegIsConvertedToRgb()
    {
        using var folder = new TempFolder();
        string cmyk = folder.Combine("cmyk.jpg");
        File.WriteAllBytes(cmyk, Convert.FromBase64String(CmykJpeg));
        var values = ImagePreprocessing.DecodeToArray(new MLContext(), [cmyk], new ImagePreprocessingOptions { Width = 4, Height = 4, Channels = 3 });
        // ImageMagick reads the file back as rgb(200, 39, 90): the decoder converts CMYK to RGB (documented conversion).
        Assert.AreEqual(200 / 255f, values[0], 8f / 255, "red");
        Assert.AreEqual(39 / 255f, values[16], 8f / 255, "green");
        Assert.AreEqual(90 / 255f, values[32], 8f / 255, "blue");
    }

    /// <summary>A 16-bit-per-channel RGB PNG filled with one colour.</summary>
    private static byte[] Png16(int width, int height, ushort r, ushort g, ushort b)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 16; // bit depth
        ihdr[9] = 2;  // truecolour
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + width * 6];
            for (int x = 0; x < width; x++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(1 + x * 6), r);
                BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(3 + x * 6), g);
                BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(5 + x * 6), b);
            }
            for (int y = 0; y < height; y++) zlib.Write(row);
        }
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        return [.. signature, .. HostilePng.Chunk("IHDR", ihdr), .. HostilePng.Chunk("IDAT", raw.ToArray()), .. HostilePng.Chunk("IEND", [])];
    }
}
