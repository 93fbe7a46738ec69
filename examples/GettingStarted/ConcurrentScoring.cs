namespace MLNet.Siamese.Examples.GettingStarted;

#region concurrent-scoring
using Microsoft.ML;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Scoring;

// Scoring one loaded model from many threads: one PredictionEngine per thread that does not own the model, never disposed.
public static class ConcurrentScoring
{
    public sealed class Pair
    {
        public string LeftImagePath { get; set; } = "";
        public string RightImagePath { get; set; } = "";
    }

    public sealed class Scored
    {
        public float[] Score { get; set; } = [];
    }

    public static float[] ScoreAll(string zipPath, IReadOnlyList<Pair> pairs)
    {
        var ml = new MLContext();
        ITransformer model = SiameseModelFile.Load(ml, zipPath, out _);   // verified; refuses ONNX external data
        var scorer = new ConcurrentScorer<Pair, Scored>(ml, model);
        var scores = new float[pairs.Count];
        Parallel.For(0, pairs.Count, i => scores[i] = scorer.Predict(pairs[i]).Score[0]);   // any number of threads
        (model as IDisposable)?.Dispose();   // once every thread is done: also deletes ML.NET's temporary ONNX copy
        return scores;
    }
}
#endregion
