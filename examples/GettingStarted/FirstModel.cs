namespace MLNet.Siamese.Examples.GettingStarted;

#region first-model
using Microsoft.ML;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Trainers;

public static class FirstModel
{
    public static string Run(string outputFolder)
    {
        var ml = new MLContext(seed: 1);
        // Omniglot: <alphabet>/<character>/*.png; label = "alphabet/character", group = alphabet.
        IDataView images = ml.Siamese().LoadImageFolder(EmbeddedOmniglot.FindSmall1(), labelDepth: 2);

        var trainer = ml.Siamese().Train(new SiameseTrainerOptions
        {
            ImageColumnName = "ImagePath",                        // decoded once by ML.NET ImageAnalytics
            Preprocessing = new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true },
            Loss = SiameseLoss.Contrastive,
            LearningRate = 1e-3f,
            Iterations = 300,
            Seed = 1,
        });
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
