namespace MLNet.Siamese.Examples.GettingStarted;

#region image-pipeline
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Examples.Shared;

public static class ImagePipeline
{
    public sealed class Drawing
    {
        public string ImagePath { get; set; } = "";
    }

    public sealed class Guess
    {
        [ColumnName("PredictedLabel")]
        public string Character { get; set; } = "";
    }

    public static string Run(string outputFolder)
    {
        var ml = new MLContext(seed: 1);
        IDataView images = ml.Siamese().LoadImageFolder(EmbeddedOmniglot.FindSmall1(), labelDepth: 2);

        SiameseTrainerOptions options = SiameseRecipes.General.CreateOptions();
        options.ImageColumnName = "Image";                        // the MLImage column LoadImages makes
        options.Iterations = 200;
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Siamese().Train(options))                  // adds Embedding
            .AppendCacheCheckpoint(ml)                            // embed once, not on every pass of the classifier
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", "Embedding"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        ITransformer model = pipeline.Fit(images);

        string zip = Path.Combine(outputFolder, "classifier.zip");
        ml.Model.Save(model, images.Schema, zip);                 // one ML.NET zip: LoadImages, the network, the classifier
        var fresh = new MLContext();
        var engine = fresh.Model.CreatePredictionEngine<Drawing, Guess>(fresh.Model.Load(zip, out _));
        string first = images.GetColumn<string>("ImagePath").First();
        Console.WriteLine($"{first}: {engine.Predict(new Drawing { ImagePath = first }).Character}");
        return zip;
    }
}
#endregion
