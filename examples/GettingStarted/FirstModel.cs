namespace MLNet.Siamese.Examples.GettingStarted;

#region first-model
using Microsoft.ML;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Examples.Shared;

public static class FirstModel
{
    public static string Run(string outputFolder)
    {
        var ml = new MLContext(seed: 1);
        // Omniglot: <alphabet>/<character>/*.png; label = "alphabet/character", group = alphabet.
        IDataView images = ml.Siamese().LoadImageFolder(EmbeddedOmniglot.FindSmall1(), labelDepth: 2);

        // The handwriting recipe: the library's measured settings for drawings (see SiameseRecipes); any field can change.
        SiameseTrainerOptions options = SiameseRecipes.Handwriting.CreateOptions();
        options.Iterations = 300;                                 // a first look; the recipe trains 4,000
        options.Seed = 1;
        var trainer = ml.Siamese().Train(options);
        SiameseModel model = trainer.Fit(images);

        var engine = ml.Model.CreatePredictionEngine<ImagePair, PairPrediction>(model.PairScorer);
        var entries = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), new ImageFolderOptions { LabelDepth = 2 });
        var p = engine.Predict(new ImagePair { LeftImagePath = entries[0].ImagePath, RightImagePath = entries[1].ImagePath });
        Console.WriteLine($"same character? {p.PredictedLabel} (score {p.Score:F2}, distance {p.Distance:F2})");

        string zip = Path.Combine(outputFolder, "siamese.zip");
        model.SavePairScorer(zip);                                // one zip, ONNX inside, no libtorch needed to score
        return zip;
    }
}
#endregion
