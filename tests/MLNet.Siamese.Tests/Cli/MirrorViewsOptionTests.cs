using MLNet.Siamese.Cli;
using MLNet.Siamese.Cli.Commands;

namespace MLNet.Siamese.Tests.Cli;

/// <summary><c>siamese train --mirror-views auto|on|off</c>: what it sets over the photos recipe, and what it refuses.</summary>
[TestClass]
public sealed class MirrorViewsOptionTests
{
    [TestMethod]
    [DataRow(null, true, false, DisplayName = "not given: the recipe's (decided on the training classes)")]
    [DataRow("auto", true, false)]
    [DataRow("on", false, true)]
    [DataRow("off", false, false)]
    public void MirrorViews_SetsTheChoiceOverThePhotosRecipe(string? given, bool selects, bool on)
    {
        var options = SiameseRecipes.Photos.CreateOptions();
        var settings = new TrainCommand.TrainSettings { Data = ["photos"], Recipe = "photos", Output = "x.zip", MirrorViews = given };
        TrainOverrides.Validate(settings);
        TrainOverrides.Apply(settings, options);
        Assert.AreEqual(selects, options.SelectMirrorViews);
        Assert.AreEqual(on, options.MirrorViews);
    }

    [TestMethod]
    public void AnUnknownValue_OrNoBackbone_IsRefusedByName()
    {
        var bad = new TrainCommand.TrainSettings { Data = ["photos"], Recipe = "photos", Output = "x.zip", MirrorViews = "sometimes" };
        StringAssert.Contains(Assert.ThrowsExactly<CliUsageException>(() => TrainOverrides.Validate(bad)).Message, "--mirror-views 'sometimes'");
        var drawings = SiameseRecipes.Handwriting.CreateOptions();
        var on = new TrainCommand.TrainSettings { Data = ["drawings"], Recipe = "handwriting", Output = "x.zip", MirrorViews = "on" };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TrainOverrides.Apply(on, drawings)).Message, "--backbone resnet18");
    }
}
