using System.IO.Compression;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;
using Microsoft.ML;

namespace MLNet.Siamese.Tests.Recipes;

/// <summary>
/// A recipe is one place: a short program using only the catalog and <c>siamese train --recipe</c> get the same model
/// (every entry of the two zips byte for byte) from the same data and seed.
/// </summary>
[TestClass]
public sealed class RecipeParityTests
{
    [TestMethod]
    public void ProgramAndCliTrainTheSameHandwritingModel()
    {
        using var temp = new TempFolder();
        string data = temp.Combine("images");
        CliData.WriteImageFolder(data);

        // The program a user writes (the getting-started shape).
        var ml = new MLContext(seed: 3);
        IDataView images = ml.Siamese().LoadImageFolder(data, labelDepth: 2);
        var options = SiameseRecipes.Handwriting.CreateOptions(imageSize: 16);
        options.Iterations = 4;
        options.Seed = 3;
        var model = ml.Siamese().Train(options).Fit(images);
        string fromProgram = temp.Combine("program.zip");
        model.SavePairScorer(fromProgram);

        string fromCli = temp.Combine("cli.zip");
        CliRunner.Run("train", "--data", data, "--label-depth", "2", "--recipe", "handwriting", "--image-size", "16", "--iterations", "4",
            "--seed", "3", "--out", fromCli).AssertSuccess();

        AssertSameEntries(fromProgram, fromCli);
    }

    [TestMethod]
    public void RecipesAreFoundByNameAndUnknownNamesAreListed()
    {
        Assert.AreSame(SiameseRecipes.Handwriting, SiameseRecipes.Get("HANDWRITING"));
        Assert.AreSame(SiameseRecipes.General, SiameseRecipes.Get("general"));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => SiameseRecipes.Get("faces"));
        StringAssert.Contains(ex.Message, "general");
        StringAssert.Contains(ex.Message, "handwriting");
    }

    [TestMethod]
    public void TheGeneralRecipeIsTheOptionsDefaults()
    {
        var recipe = SiameseRecipes.General.CreateOptions();
        var defaults = new MLNet.Siamese.Trainers.SiameseTrainerOptions();
        Assert.AreEqual(defaults.Loss, recipe.Loss);
        Assert.AreEqual(defaults.LearningRate, recipe.LearningRate);
        Assert.AreEqual(defaults.Iterations, recipe.Iterations);
        Assert.AreEqual(defaults.ResolveGeometry(), recipe.ResolveGeometry());
        Assert.AreEqual(defaults.WeightAveragingDecay, recipe.WeightAveragingDecay);
        Assert.AreEqual(defaults.Augmentation, recipe.Augmentation);
        Assert.AreEqual(defaults.ResolveNetwork(), recipe.ResolveNetwork());
        Assert.AreEqual("ImagePath", recipe.ImageColumnName);
    }

    [TestMethod]
    public void RecipesRefuseImagesTooSmallForTheirNetwork()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SiameseRecipes.Handwriting.CreateOptions(imageSize: 8));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SiameseRecipes.General.CreateOptions(inputSizeFixed: true));
    }

    [TestMethod]
    public void AFixedInputSizeIsNotDecodedLarger()
    {
        var options = SiameseRecipes.Handwriting.CreateOptions(imageSize: 28, inputSizeFixed: true);
        Assert.AreEqual(28, options.Network!.Height);
        Assert.AreEqual(28, options.Network.Geometry.Height);
        var decoded = SiameseRecipes.Handwriting.CreateOptions(imageSize: 28);
        Assert.AreEqual(56, decoded.Network!.Height, "image files are decoded at twice the size and normalized down");
        Assert.AreEqual(28, decoded.Network.Geometry.Height);
    }

    private static void AssertSameEntries(string expectedZip, string actualZip)
    {
        using var expected = ZipFile.OpenRead(expectedZip);
        using var actual = ZipFile.OpenRead(actualZip);
        CollectionAssert.AreEqual(expected.Entries.Select(e => e.FullName).ToList(), actual.Entries.Select(e => e.FullName).ToList(), "entry names");
        foreach (var entry in expected.Entries)
        {
            byte[] a = Read(entry), b = Read(actual.GetEntry(entry.FullName)!);
            CollectionAssert.AreEqual(a, b, $"entry {entry.FullName} differs");
        }
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
