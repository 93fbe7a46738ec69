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
        using var release = model as IDisposable;   // disposing deletes the ONNX copies ML.NET made in the temp folder to load it
        var engine = ml.Model.CreatePredictionEngine<Pair, Scored>(model);
        // The zip cache of the data the model was trained on: $XDG_CACHE_HOME or ~/.cache, then mlnet-siamese/archives.
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var folder = Path.Combine(cache, "mlnet-siamese", "archives");
        var images = Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(2).ToArray();
        var result = engine.Predict(new Pair { LeftImagePath = images[0], RightImagePath = images[1] });
        Console.WriteLine($"score {result.Score[0]:F3}, same: {result.PredictedLabel[0]}");
    }
}
#endregion
