namespace MLNet.Siamese.Examples.GettingStarted;

#region deployment
using Microsoft.ML;
using Microsoft.ML.Data;

// A scoring application needs only Microsoft.ML, Microsoft.ML.ImageAnalytics and Microsoft.ML.OnnxTransformer
// (+ Microsoft.ML.OnnxRuntime): no MLNet.Siamese, no TorchSharp, no libtorch.
public static class Deployment
{
    public sealed class Pair
    {
        public string LeftImagePath { get; set; } = "";
        public string RightImagePath { get; set; } = "";
    }

    public sealed class Scored
    {
        public float[] Score { get; set; } = [];          // ONNX outputs arrive as vectors of length 1
        public bool[] PredictedLabel { get; set; } = [];
    }

    public static void Score(string zipPath)
    {
        var ml = new MLContext();
        ITransformer model = ml.Model.Load(zipPath, out _);
        var engine = ml.Model.CreatePredictionEngine<Pair, Scored>(model);
        var folder = Path.Combine(Path.GetTempPath(), "mlnet-siamese", "archives");
        var images = Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(2).ToArray();
        var result = engine.Predict(new Pair { LeftImagePath = images[0], RightImagePath = images[1] });
        Console.WriteLine($"score {result.Score[0]:F3}, same: {result.PredictedLabel[0]}");
    }
}
#endregion
