namespace MLNet.Siamese.Examples.GettingStarted;

#region concurrent-scoring
using Microsoft.ML;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Scoring;

public static class ConcurrentScoring
{
    public static float[] ScoreFromManyThreads(string zipPath, IReadOnlyList<Deployment.Pair> pairs)
    {
        var ml = new MLContext();
        ITransformer model = SiameseModelFile.Load(ml, zipPath, out _);   // verified, refuses ONNX external data
        var scorer = new ConcurrentScorer<Deployment.Pair, Deployment.Scored>(ml, model);
        var scores = new float[pairs.Count];
        Parallel.For(0, pairs.Count, i => scores[i] = scorer.Predict(pairs[i]).Score[0]);   // any number of threads
        (model as IDisposable)?.Dispose();                                                 // when every thread is done
        return scores;
    }
}
#endregion
