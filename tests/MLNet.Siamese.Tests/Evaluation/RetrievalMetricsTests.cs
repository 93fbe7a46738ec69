using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Evaluation;

namespace MLNet.Siamese.Tests.Evaluation;

[TestClass]
public sealed class RetrievalMetricsTests
{
    private const double Tolerance = 1e-9;

    // Six points in 2-D, two classes of three (R = 2 for every query):
    //   0 (0,0) A   1 (1,0) A   2 (0,3) A   3 (5,0) B   4 (1.5,0) B   5 (5,1) B
    private static readonly float[][] Points = [[0, 0], [1, 0], [0, 3], [5, 0], [1.5f, 0], [5, 1]];
    private static readonly int[] Classes = [0, 0, 0, 1, 1, 1];

    [TestMethod]
    public void EuclideanHandExample()
    {
        // Two nearest neighbours of each query (Euclidean):
        //   q0: 1 (1, A), 4 (1.5, B)          -> P@1 1, R-prec 1/2, AP@R (1/2)(1/1)        = 1/2
        //   q1: 4 (0.5, B), 0 (1, A)          -> P@1 0, R-prec 1/2, AP@R (1/2)(0 + 1/2)    = 1/4
        //   q2: 0 (3, A), 1 (sqrt10, A)       -> P@1 1, R-prec 1,   AP@R (1/2)(1 + 2/2)    = 1
        //   q3: 5 (1, B), 4 (3.5, B)          -> 1, 1, 1
        //   q4: 1 (0.5, A), 0 (1.5, A)        -> 0, 0, 0
        //   q5: 3 (1, B), 4 (sqrt13.25, B)    -> 1, 1, 1
        // Means: P@1 4/6, R-precision (0.5+0.5+1+1+0+1)/6 = 4/6, MAP@R (0.5+0.25+1+1+0+1)/6 = 3.75/6 = 0.625.
        var m = RetrievalMetrics.Compute(Points, Classes);
        Assert.AreEqual(4.0 / 6, m.PrecisionAt1, Tolerance);
        Assert.AreEqual(4.0 / 6, m.RPrecision, Tolerance);
        Assert.AreEqual(0.625, m.MapAtR, Tolerance);
        Assert.AreEqual(6, m.QueryCount);
        Assert.AreEqual(0, m.SkippedQueryCount);
        Assert.AreEqual(VectorDistance.Euclidean, m.Distance);
    }

    [TestMethod]
    public void FlatArrayAndTextLabelsGiveTheSameResult()
    {
        float[] flat = Points.SelectMany(p => p).ToArray();
        var m = RetrievalMetrics.Compute(flat, 2, ["a", "a", "a", "b", "b", "b"]);
        Assert.AreEqual(0.625, m.MapAtR, Tolerance);
        Assert.AreEqual(4.0 / 6, m.PrecisionAt1, Tolerance);
        var ints = RetrievalMetrics.Compute(flat, 2, Classes);
        Assert.AreEqual(0.625, ints.MapAtR, Tolerance);
    }

    [TestMethod]
    public void CosineAndEuclideanDisagreeOnDirectionVersusLength()
    {
        // 0 (1,0) A, 1 (10,1) A, 2 (1,1) B, 3 (10,10) B; R = 1.
        // Euclidean: q0 -> 2 (1), q1 -> 2 (9, tie with 3 broken by index), q2 -> 0 (1), q3 -> 1 (9): all wrong.
        // Cosine: q0 -> 1 (cos 0.995), q1 -> 0, q2 -> 3 (cos 1), q3 -> 2: all right.
        float[][] points = [[1, 0], [10, 1], [1, 1], [10, 10]];
        int[] classes = [0, 0, 1, 1];
        var euclidean = RetrievalMetrics.Compute(points, classes, VectorDistance.Euclidean);
        var cosine = RetrievalMetrics.Compute(points, classes, VectorDistance.Cosine);
        Assert.AreEqual(0.0, euclidean.PrecisionAt1, Tolerance);
        Assert.AreEqual(0.0, euclidean.MapAtR, Tolerance);
        Assert.AreEqual(1.0, cosine.PrecisionAt1, Tolerance);
        Assert.AreEqual(1.0, cosine.RPrecision, Tolerance);
        Assert.AreEqual(1.0, cosine.MapAtR, Tolerance);
    }

    [TestMethod]
    public void DistanceTiesAreBrokenByIndex()
    {
        // 1-D: 0 (0) A, 1 (1) B, 2 (-1) A, 3 (5) B; R = 1.
        // q0: items 1 and 2 both at distance 1; index 1 (B) counts as nearer -> 0.
        // q1 -> 0 (A) -> 0; q2 -> 0 (A) -> 1; q3 -> 1 (B) -> 1. P@1 = 2/4 (it would be 3/4 if the tie went to 2).
        var m = RetrievalMetrics.Compute([[0f], [1f], [-1f], [5f]], [0, 1, 0, 1]);
        Assert.AreEqual(0.5, m.PrecisionAt1, Tolerance);
    }

    [TestMethod]
    public void LoneQueriesAreSkippedButStillReferences()
    {
        // 0 (0) A, 1 (10) A, 2 (1) C alone. q2 is skipped (R = 0), but as a reference it is the nearest neighbour of
        // q0 (distance 1) and of q1 (distance 9 < 10): both queries miss.
        var m = RetrievalMetrics.Compute([[0f], [10f], [1f]], ["A", "A", "C"]);
        Assert.AreEqual(2, m.QueryCount);
        Assert.AreEqual(1, m.SkippedQueryCount);
        Assert.AreEqual(0.0, m.PrecisionAt1, Tolerance);

        var allAlone = RetrievalMetrics.Compute([[0f], [1f]], [1, 2]);
        Assert.AreEqual(0, allAlone.QueryCount);
        Assert.IsTrue(double.IsNaN(allAlone.MapAtR));
    }

    [TestMethod]
    public void MatchesABruteForceReferenceOnRandomData()
    {
        var random = new Random(7);
        int n = 60, dimension = 5;
        float[][] points = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        int[] classes = Enumerable.Range(0, n).Select(i => i % 7 == 6 && i > 50 ? 100 + i : i % 4).ToArray(); // a few singletons
        double p1 = 0, rp = 0, map = 0;
        int queries = 0;
        for (int q = 0; q < n; q++)
        {
            int r = classes.Count(c => c == classes[q]) - 1;
            if (r == 0) continue;
            queries++;
            int[] ranked = Enumerable.Range(0, n).Where(j => j != q)
                .OrderBy(j => Distance(points[q], points[j])).ThenBy(j => j).ToArray();
            p1 += classes[ranked[0]] == classes[q] ? 1 : 0;
            int hits = 0;
            double ap = 0;
            for (int i = 0; i < r; i++)
            {
                if (classes[ranked[i]] != classes[q]) continue;
                hits++;
                ap += (double)hits / (i + 1);
            }
            rp += (double)hits / r;
            map += ap / r;
        }
        var m = RetrievalMetrics.Compute(points, classes);
        Assert.AreEqual(queries, m.QueryCount);
        Assert.AreEqual(n - queries, m.SkippedQueryCount);
        Assert.AreEqual(p1 / queries, m.PrecisionAt1, 1e-6);
        Assert.AreEqual(rp / queries, m.RPrecision, 1e-6);
        Assert.AreEqual(map / queries, m.MapAtR, 1e-6);

        static float Distance(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Distance(a, b);
    }

    [TestMethod]
    public void BadInputsThrow()
    {
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(Array.Empty<float[]>(), Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(Points, [0, 1]));
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute([[0f, 1f], [1f]], [0, 0]));
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute([1f, 2f, 3f], 2, [0, 0]));
        var nan = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute([[0f], [float.NaN]], [0, 0]));
        Assert.Contains("item 1", nan.Message);
    }

    private sealed class EmbeddingRow
    {
        [VectorType(2)]
        public float[] Embedding { get; set; } = [];

        public string Label { get; set; } = "";
    }

    [TestMethod]
    public void DataViewApi()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Points.Select((p, i) => new EmbeddingRow { Embedding = p, Label = Classes[i] == 0 ? "A" : "B" }));
        var m = ml.Siamese().EvaluateRetrieval(data);
        Assert.AreEqual(0.625, m.MapAtR, Tolerance);
        Assert.AreEqual(4.0 / 6, m.PrecisionAt1, Tolerance);

        // A key-typed label works too.
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        Assert.AreEqual(0.625, ml.Siamese().EvaluateRetrieval(keyed).MapAtR, Tolerance);
    }
}
