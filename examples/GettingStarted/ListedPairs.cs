namespace MLNet.Siamese.Examples.GettingStarted;

#region listed-pairs
using Microsoft.ML;
using MLNet.Siamese;
using MLNet.Siamese.Evaluation;

// A verification protocol's fixed pairs, scored by a saved pair scorer (or model.PairScorer) and evaluated.
public static class ListedPairs
{
    public sealed class LabelledImagePair
    {
        public string LeftImagePath { get; set; } = "";
        public string RightImagePath { get; set; } = "";
        public bool Label { get; set; }                     // true: the two images show the same class
    }

    public static PairMetrics Evaluate(MLContext ml, ITransformer pairScorer, IEnumerable<LabelledImagePair> pairs)
    {
        IDataView listed = ml.Data.LoadFromEnumerable(pairs);
        return ml.Siamese().Evaluate(pairScorer.Transform(listed));   // accuracy at the model's threshold, AUC, EER, ...
    }
}
#endregion
