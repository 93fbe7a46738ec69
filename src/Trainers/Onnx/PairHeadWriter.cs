using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// Writes the pair head on two embeddings (N, D): Distance = sqrt(sum((f1 - f2)^2)), Score from a learned head or the
/// distance, PredictedLabel = Score &gt;= threshold. The three per-pair outputs are 1-D, shape (N).
/// </summary>
/// <remarks>
/// ML.NET's OnnxTransformer binds the batch dimension to 1, so (N) becomes the column type Vector&lt;Single, 1&gt;
/// (Vector&lt;Boolean, 1&gt; for the label); (N, 1) would become Vector&lt;Single, 1, 1&gt;. Rank-0 outputs get scalar
/// column types but OnnxTransformer 5.0.1 fails when it reads them (it takes the map/sequence path), so they are not used.
/// </remarks>
internal static class PairHeadWriter
{
    /// <summary>The per-pair output shape (N), null being the symbolic batch dimension.</summary>
    public static long?[] PerPairShape => new long?[] { null };

    /// <summary>Adds the head's nodes.</summary>
    public static void Write(OnnxGraphBuilder graph, PairScoring scoring, IReadOnlyDictionary<string, WeightTensor> weights,
        string left, string right, string score, string distance, string label)
    {
        string diff = graph.Node("Sub", "pair/difference", new[] { left, right });
        string squares = graph.Node("ReduceSumSquare", "pair/sum_of_squares", new[] { diff },
            OnnxProto.IntsAttribute("axes", 1), OnnxProto.IntAttribute("keepdims", 0));
        graph.Node("Sqrt", distance, new[] { squares });

        string logit;
        if (scoring.LearnedHead)
        {
            var w = weights[OnnxExporter.HeadWeight];
            var b = weights[OnnxExporter.HeadBias];
            string abs = graph.Node("Abs", "pair/abs_difference", new[] { diff });
            string head = graph.Node("Gemm", "pair/head", new[] { abs, graph.FloatInitializer(OnnxExporter.HeadWeight, w.Shape, w.Values),
                graph.FloatInitializer(OnnxExporter.HeadBias, b.Shape, b.Values) }, OnnxProto.IntAttribute("transB", 1));
            logit = graph.Node("Reshape", "pair/logit", new[] { head, graph.Int64Initializer("pair/flat_shape", new long[] { 1 }, new long[] { -1 }) });
        }
        else
        {
            string scaled = graph.Node("Mul", "pair/scaled_distance", new[] { distance, graph.FloatScalar("pair/distance_scale", scoring.DistanceScale) });
            logit = graph.Node("Add", "pair/logit", new[] { scaled, graph.FloatScalar("pair/distance_offset", scoring.DistanceOffset) });
        }
        graph.Node("Sigmoid", score, new[] { logit });
        graph.Node("GreaterOrEqual", label, new[] { score, graph.FloatScalar("pair/threshold", scoring.Threshold) });
    }
}
