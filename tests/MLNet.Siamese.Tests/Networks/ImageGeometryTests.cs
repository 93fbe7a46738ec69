using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;
using Microsoft.ML;

namespace MLNet.Siamese.Tests.Networks;

/// <summary>
/// The image geometry is resolved once: the network, the decoding and the trainer read their sizes from one
/// <see cref="ImageGeometry"/>, and a second size that disagrees with it is refused, naming the option.
/// </summary>
[TestClass]
public sealed class ImageGeometryTests
{
    [TestMethod]
    public void ANetworkCarriesItsGeometryAndGivesItBack()
    {
        var geometry = ImageGeometry.Square(24, decodeScale: 2, normalization: new MomentNormalization(0.25));
        var spec = geometry.ApplyTo(NetworkPresets.Compact(24, 16, 8));
        Assert.AreEqual((48, 48, 1), (spec.Height, spec.Width, spec.Channels), "the network's input is the decoded size");
        Assert.AreEqual(new MomentNormalization(0.25, 24, 24), spec.InputNormalization, "the normalization resamples down to the layers' size");
        Assert.AreEqual(geometry, spec.Geometry);
        Assert.AreEqual(2.0, spec.Geometry.DecodeScale);
        Assert.AreEqual(1 * 24 * 24, geometry.LayerLength);
        Assert.AreEqual(spec.InputSize, geometry.DecodedLength);
        Assert.AreEqual(geometry, NetworkSpec.FromJson(spec.ToJson()).Geometry, "a saved network reads back with the same geometry");
    }

    [TestMethod]
    public void AnotherSpreadKeepsTheDecodingAndSpreadZeroDecodesAtTheLayersSize()
    {
        var handwriting = ImageGeometry.Square(24, decodeScale: 2, normalization: new MomentNormalization(0.25));
        Assert.AreEqual(ImageGeometry.Square(24, decodeScale: 2, normalization: new MomentNormalization(0.3)), handwriting.WithSpread(0.3));
        Assert.AreEqual(ImageGeometry.Square(24), handwriting.WithSpread(0), "no normalization: nothing resamples a larger decoding down");
        Assert.AreEqual(ImageGeometry.Square(24, normalization: new MomentNormalization(0.3)), ImageGeometry.Square(24).WithSpread(0.3));
    }

    [TestMethod]
    public void AGeometryThatCannotBeDecodedIsRefusedNamingTheValue()
    {
        var noNormalization = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGeometry.Square(24, decodeScale: 2));
        Assert.AreEqual("decodeScale", noNormalization.ParamName, "decoding larger with nothing to resample it down");
        Assert.AreEqual("channels", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGeometry.Square(24, channels: 2)).ParamName);
        Assert.AreEqual("height", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ImageGeometry(0, 24)).ParamName);
        Assert.AreEqual("decodeScale", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGeometry.Square(3000, decodeScale: 2, normalization: new MomentNormalization())).ParamName);
    }

    [TestMethod]
    public void WithoutANetworkTheGeometryBuildsItAndTheDecodingFollowsIt()
    {
        var options = new SiameseTrainerOptions { Geometry = new ImageGeometry(32, 40, channels: 3), Preprocessing = new ImagePreprocessingOptions { Width = 40, Height = 32, Channels = 3, Invert = true, ImageFolder = "photos" } };
        var network = options.ResolveNetwork();
        Assert.AreEqual((3, 32, 40), (network.Channels, network.Height, network.Width));
        var decoding = options.ResolvePreprocessing();
        Assert.AreEqual((40, 32, 3, true, "photos"), (decoding.Width, decoding.Height, decoding.Channels, decoding.Invert, decoding.ImageFolder));
        Assert.AreEqual(ImageGeometry.Square(48), new SiameseTrainerOptions().ResolveGeometry(), "the default: the general recipe's 48 px grayscale");
        Assert.AreEqual(new ImageGeometry(20, 30), new SiameseTrainerOptions { Preprocessing = new ImagePreprocessingOptions { Width = 30, Height = 20 } }.ResolveGeometry(),
            "with neither a geometry nor a network, the decoding's size is the geometry");
    }

    [TestMethod]
    public void AGeometryBesideANetworkMustBeTheNetworksOwn()
    {
        using var temp = new TempFolder();
        var images = Images(temp);
        var options = Small();
        options.Network = NetworkPresets.Compact(16, 8, 4);
        options.Geometry = ImageGeometry.Square(20);
        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext(seed: 1).Siamese().Train(options).Fit(images));
        Assert.AreEqual(nameof(SiameseTrainerOptions.Geometry), error.ParamName);
        StringAssert.Contains(error.Message, "1x20x20");
        StringAssert.Contains(error.Message, "1x16x16");
    }

    [TestMethod]
    public void ADecodingOfAnotherSizeThanTheGeometryIsRefusedNamingPreprocessing()
    {
        using var temp = new TempFolder();
        var images = Images(temp);
        var options = Small();
        options.Preprocessing = new ImagePreprocessingOptions { Invert = true };   // 28 x 28 by default, the geometry is 16 x 16
        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext(seed: 1).Siamese().Train(options).Fit(images));
        Assert.AreEqual(nameof(SiameseTrainerOptions.Preprocessing), error.ParamName);
        StringAssert.Contains(error.Message, "1x28x28");

        options.Preprocessing = options.ResolveGeometry().Preprocessing(invert: true);
        using var model = new MLContext(seed: 1).Siamese().Train(options).Fit(images);
        Assert.IsTrue(model.Images!.Preprocessing.Invert, "the decoding given at the geometry's size is used");
    }

    [TestMethod]
    public void AFrozenBackboneAtAnotherSize_RunsInTheNetwork_AndRefusesANonSquareGeometry()
    {
        var options = SiameseRecipes.Photos.CreateOptions();
        Assert.AreEqual(PretrainedBackbone.ResNet18.Geometry, options.ResolveGeometry());
        Assert.IsNull(MLNet.Siamese.Backbones.FineTuning.Create(options), "at 224 px ML.NET's featurizer computes the features");
        options.Geometry = ImageGeometry.Square(160, channels: 3);
        var inNetwork = MLNet.Siamese.Backbones.FineTuning.Create(options);
        Assert.IsNotNull(inNetwork, "the featurizer takes 224 px only: at 160 px the frozen trunk runs in the network");
        Assert.AreEqual(160, inNetwork.ImageSize);
        Assert.AreEqual(0, inNetwork.Stages);
        Assert.AreEqual(ResNet18Network.PoolingLayer, inNetwork.FrozenLayers, "the whole trunk stays frozen");
        options.Geometry = new ImageGeometry(160, 128, 3);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLNet.Siamese.Backbones.FineTuning.Create(options));
        Assert.AreEqual(nameof(SiameseTrainerOptions.Geometry), error.ParamName);
        StringAssert.Contains(error.Message, "square RGB");
    }

    private static SiameseTrainerOptions Small() => new()
    {
        ImageColumnName = ImageFolder.ImagePathColumnName,
        Geometry = ImageGeometry.Square(16),
        EmbeddingDimension = 8,
        Iterations = 2,
        Ways = 2,
        Queries = 1,
        Seed = 1,
    };

    private static IDataView Images(TempFolder temp)
    {
        string folder = temp.Combine("images");
        CliData.WriteImageFolder(folder);
        return new MLContext(seed: 1).Siamese().LoadImageFolder(folder, labelDepth: 2);
    }
}
