using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Photos;

/// <summary>
/// A short photos-recipe run with the backbone inside the network (fine-tuned or cut), on <see cref="PhotoBackboneTests.SmallPhotoSet"/>
/// at 64 px, and the check that its saved zip scores the same pairs in the process without TorchSharp.
/// </summary>
internal static class InNetworkBackboneRun
{
    /// <summary>The photos recipe at 64 px, 4 steps kept whatever the validation says, episodes that fit five classes of six.</summary>
    public static SiameseTrainerOptions Options()
    {
        var options = ShortRecipeRun();
        options.Geometry = ImageGeometry.Square(64, channels: 3);
        options.EarlyStoppingPatience = 0;   // keep the trained weights, whatever the validation says
        return options;
    }

    /// <summary>The photos recipe cut to 4 steps validated every 2, with episodes (3 ways, 1 shot, 2 queries) that fit five classes of six; seed 3.</summary>
    public static SiameseTrainerOptions ShortRecipeRun()
    {
        var options = SiameseRecipes.Photos.CreateOptions();
        options.Iterations = 4;
        options.ValidationInterval = 2;
        options.Ways = 3;
        options.Shots = 1;
        options.Queries = 2;
        options.Seed = 3;
        return options;
    }

    /// <summary>Saves the model's pair scorer and asserts that the TorchSharp-free process scores four pairs as ML.NET does here.</summary>
    public static void AssertZipScoresWithoutTorchSharp(MLContext ml, SiameseModel model, IReadOnlyList<ImageFolderEntry> entries, TempFolder folder)
    {
        string zip = folder.Combine("model.zip");
        model.SavePairScorer(zip);
        var pairs = new[] { (0, 1), (0, 7), (12, 13), (20, 29) }.Select(p => (entries[p.Item1].ImagePath, entries[p.Item2].ImagePath)).ToList();
        var engine = ml.Model.CreatePredictionEngine<ImagePair, PairPrediction>(model.PairScorer);
        var expected = pairs.Select(p => engine.Predict(new ImagePair { LeftImagePath = p.Item1, RightImagePath = p.Item2 })).ToList();
        string csv = folder.Combine("pairs.csv");
        File.WriteAllLines(csv, pairs.Select(p => p.Item1 + ";" + p.Item2));
        ScoringOnlyProcess.AssertScoresPairs(zip, csv, expected);
        Assert.IsGreaterThan(0f, expected.Max(p => p.Distance), "the embeddings are not all equal");
    }
}
