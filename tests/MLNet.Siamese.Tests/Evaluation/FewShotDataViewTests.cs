using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Evaluation;

[TestClass]
public sealed class FewShotDataViewTests
{
    private sealed class Row
    {
        [VectorType(2)]
        public float[] Embedding { get; set; } = [];

        public string Label { get; set; } = "";

        public string Alphabet { get; set; } = "";
    }

    [TestMethod]
    public void EvaluatesEpisodesFromColumns()
    {
        // 6 classes of 3 items in two alphabets; each class at (10 c, 0) +- 1: perfectly separable.
        var rows = Enumerable.Range(0, 18).Select(i => new Row
        {
            Embedding = [10f * (i / 3) + (i % 3) - 1, 0],
            Label = $"char{i / 3}",
            Alphabet = i / 3 < 3 ? "Latin" : "Greek",
        });
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new OneShotEpisodeOptions { Ways = 3, Shots = 2, Episodes = 20, SameGroup = true, Seed = 4 };
        var result = ml.Siamese().EvaluateFewShot(data, options, groupColumnName: "Alphabet");
        Assert.AreEqual(1.0, result.Accuracy);
        Assert.AreEqual(20, result.Episodes);
        Assert.AreEqual(60L, result.Queries);
        // Without the group column SameGroup cannot work.
        Assert.Throws<ArgumentException>(() => ml.Siamese().EvaluateFewShot(data, options));
    }

    private sealed class FloatLabelRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }

    [TestMethod]
    public void NaNFloatLabelIsRejectedNamingTheRow()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new FloatLabelRow { Label = 1, Score = 0.3f }, new FloatLabelRow { Label = float.NaN, Score = 0.2f } });
        var e = Assert.Throws<ArgumentException>(() => ml.Siamese().Evaluate(data));
        Assert.Contains("row 1", e.Message);
    }
}
