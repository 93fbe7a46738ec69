using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Evaluation;

[TestClass]
public sealed class PairEvaluationDataViewTests
{
    private const double Tolerance = 1e-6;

    // Same six pairs as PairMetricsTests: AUC 8/9, EER 1/3, accuracy at 0.5 = 5/6.
    private static readonly float[] Scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.4f, 0.3f];
    private static readonly bool[] Labels = [true, true, false, true, false, false];

    private sealed class ScalarRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
    }

    private sealed class VectorRow
    {
        public bool Label { get; set; }

        [VectorType(1)]
        public float[] Score { get; set; } = [];
    }

    private sealed class PredictedRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class FloatLabelDistanceRow
    {
        public float Label { get; set; }
        public float Distance { get; set; }
    }

    [TestMethod]
    public void BooleanLabelAndScalarScore()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scores.Select((s, i) => new ScalarRow { Label = Labels[i], Score = s }));
        var m = ml.Siamese().Evaluate(data);
        Assert.AreEqual(5.0 / 6, m.Accuracy, Tolerance);  // no PredictedLabel column: threshold 0.5
        Assert.AreEqual(0.5f, m.Threshold);
        Assert.AreEqual(8.0 / 9, m.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(1.0 / 3, m.EqualErrorRate, Tolerance);
        Assert.AreEqual(6L, m.Count);
    }

    [TestMethod]
    public void ScoreAsVectorOfLengthOne()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scores.Select((s, i) => new VectorRow { Label = Labels[i], Score = [s] }));
        Assert.IsInstanceOfType<VectorDataViewType>(data.Schema["Score"].Type);
        var m = ml.Siamese().Evaluate(data);
        Assert.AreEqual(8.0 / 9, m.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(5.0 / 6, m.Accuracy, Tolerance);
    }

    [TestMethod]
    public void PredictedLabelColumnIsUsedWhenPresent()
    {
        bool[] predicted = [true, false, false, true, false, false];
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scores.Select((s, i) => new PredictedRow { Label = Labels[i], Score = s, PredictedLabel = predicted[i] }));
        var m = ml.Siamese().Evaluate(data);
        Assert.IsNull(m.Threshold);
        Assert.AreEqual(2.0 / 3, m.Recall, Tolerance);    // see PairMetricsTests.PredictedLabelsOverrideTheThreshold
        Assert.AreEqual(1.0, m.Precision, Tolerance);
        // A custom threshold is used when the predicted label column is ignored.
        var atThreshold = ml.Siamese().Evaluate(data, predictedLabelColumnName: null, threshold: 0.75f);
        Assert.AreEqual(5.0 / 6, atThreshold.Accuracy, Tolerance); // accept 0.9, 0.8: TP 2, TN 3
    }

    [TestMethod]
    public void FloatLabelAndDistanceColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scores.Select((s, i) => new FloatLabelDistanceRow { Label = Labels[i] ? 1f : 0f, Distance = 1f - s }));
        var m = ml.Siamese().EvaluateDistances(data);
        Assert.IsFalse(m.HigherScoreIsSimilar);
        Assert.AreEqual(8.0 / 9, m.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(5.0 / 6, m.Accuracy, Tolerance);
        Assert.AreEqual(0.5, m.BestThreshold, Tolerance);
    }

    [TestMethod]
    public void MissingColumnAndEmptyDataThrow()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scores.Select((s, i) => new ScalarRow { Label = Labels[i], Score = s }));
        var e = Assert.Throws<ArgumentException>(() => ml.Siamese().Evaluate(data, scoreColumnName: "Similarity"));
        Assert.Contains("Similarity", e.Message);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<ScalarRow>());
        var noPairs = Assert.Throws<ArgumentException>(() => ml.Siamese().Evaluate(empty));
        Assert.Contains("no pairs", noPairs.Message);
    }
}
