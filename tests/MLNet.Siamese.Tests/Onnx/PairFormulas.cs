using MLNet.Siamese.Networks;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Onnx;

/// <summary>The pair head's formulas computed with TorchSharp, as the reference for the exported graph.</summary>
internal static class PairFormulas
{
    public sealed record Result(float[] Score, float[] Distance, bool[] Label);

    public static Result Compute(float[] f1, float[] f2, int d, PairScoring scoring, float[]? headWeight, float headBias)
    {
        using var scope = NewDisposeScope();
        long n = f1.Length / d;
        var a = tensor(f1, new long[] { n, d });
        var b = tensor(f2, new long[] { n, d });
        var diff = a - b;
        var distance = diff.pow(2).sum(1).sqrt();
        var logit = headWeight is null
            ? distance * scoring.DistanceScale + scoring.DistanceOffset
            : nn.functional.linear(diff.abs(), tensor(headWeight, new long[] { 1, d }), tensor(new[] { headBias })).reshape(-1);
        var score = logit.sigmoid();
        var label = score.ge(scoring.Threshold);
        return new Result(score.data<float>().ToArray(), distance.data<float>().ToArray(), label.data<bool>().ToArray());
    }
}
