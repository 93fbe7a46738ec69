using MLNet.Siamese.Cli;
using MLNet.Siamese.Cli.Commands;

namespace MLNet.Siamese.Tests.Cli;

/// <summary><c>siamese train --whitening auto|pca|within-class|none</c>: which whitened starts it leaves to the held-out classes.</summary>
[TestClass]
public sealed class WhiteningOptionTests
{
    [TestMethod]
    [DataRow(null, true, true, DisplayName = "not given: the recipe's (both kinds)")]
    [DataRow("auto", true, true)]
    [DataRow("pca", true, false)]
    [DataRow("within-class", false, true)]
    [DataRow("none", false, false)]
    public void Whitening_SetsTheStartsTriedOverThePhotosRecipe(string? given, bool pca, bool withinClass)
    {
        var options = SiameseRecipes.Photos.CreateOptions();
        var settings = Settings(given, "photos");
        TrainOverrides.Validate(settings);
        TrainOverrides.Apply(settings, options);
        Assert.AreEqual(pca, options.HeadWhiteningPowers is { Count: > 0 }, "PCA powers");
        Assert.AreEqual(withinClass, options.HeadWithinClassWhiteningPowers is { Count: > 0 }, "within-class powers");
        if (pca) CollectionAssert.AreEqual(PhotosRecipe.WhiteningPowers.ToList(), options.HeadWhiteningPowers!.ToList());
        if (withinClass) CollectionAssert.AreEqual(PhotosRecipe.WithinClassWhiteningPowers.ToList(), options.HeadWithinClassWhiteningPowers!.ToList());
    }

    [TestMethod]
    public void AnUnknownKind_IsAUsageError_AndWithoutABackbone_ItIsRefused()
    {
        var unknown = Assert.ThrowsExactly<CliUsageException>(() => TrainOverrides.Validate(Settings("lda", "photos")));
        StringAssert.Contains(unknown.Message, "--whitening 'lda' is unknown");
        var settings = Settings("pca", "general");
        TrainOverrides.Validate(settings);
        var noBackbone = Assert.ThrowsExactly<ArgumentException>(() => TrainOverrides.Apply(settings, SiameseRecipes.General.CreateOptions()));
        StringAssert.Contains(noBackbone.Message, "--backbone resnet18");
    }

    private static TrainCommand.TrainSettings Settings(string? whitening, string recipe)
        => new() { Data = ["photos"], Recipe = recipe, Output = "x.zip", Whitening = whitening };
}
