using MLNet.Siamese.Cli.Commands;

namespace MLNet.Siamese.Tests.Cli;

/// <summary><c>siamese train --backbone-features auto|full</c>: what it sets over the photos recipe.</summary>
[TestClass]
public sealed class BackboneFeaturesOptionTests
{
    [TestMethod]
    [DataRow(null, true, DisplayName = "not given: the recipe's choice (on)")]
    [DataRow("auto", true)]
    [DataRow("full", false)]
    public void BackboneFeatures_SetsTheChoiceOverThePhotosRecipe(string? given, bool selects)
    {
        var options = SiameseRecipes.Photos.CreateOptions();
        var settings = new TrainCommand.TrainSettings { Data = ["photos"], Recipe = "photos", Output = "x.zip", BackboneFeatures = given };
        TrainOverrides.Validate(settings);
        TrainOverrides.Apply(settings, options);
        Assert.AreEqual(selects, options.SelectBackboneFeatures);
    }
}
