using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Tests.Onnx;

/// <summary>Builds networks with non-trivial weights and batch-norm statistics, and compares arrays.</summary>
internal static class TrainedNetworks
{
    /// <summary>Builds the module, gives batch norms random running statistics and affine parameters, and puts it in eval mode.</summary>
    public static EmbeddingNetwork Build(NetworkSpec spec, int seed)
    {
        manual_seed(seed);
        var net = new EmbeddingNetwork(spec);
        using (no_grad())
        {
            foreach (var (name, tensor) in net.state_dict())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith(".mean", StringComparison.Ordinal)) tensor.copy_(randn_like(tensor) * 0.5);
                else if (name.EndsWith("running_var", StringComparison.Ordinal)) tensor.copy_(rand_like(tensor) + 0.5);
            }
            foreach (var (name, p) in net.named_parameters())
            {
                // Batch-norm affine parameters start at 1 and 0: perturb them (a batch norm layer's, or a residual block's "bn1", "down_bn", ...).
                var parts = name.Split('.');
                int layer = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                if (spec.Layers[layer] is BatchNorm2dLayer || (parts.Length == 4 && parts[2].Contains("bn", StringComparison.Ordinal))) p.add_(randn_like(p) * 0.1);
            }
        }
        net.eval();
        foreach (var (name, w) in net.ExportWeights())
            if (name.EndsWith("running_var", StringComparison.Ordinal))
                Assert.IsTrue(w.Values.Any(v => v != 1f), "batch-norm statistics were not randomized: " + name);
        return net;
    }

    /// <summary>Forwards a flat batch without gradients and returns the values row-major.</summary>
    public static float[] Forward(EmbeddingNetwork net, float[] input, int batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(input, new long[] { batch, net.Spec.InputSize });
        return net.forward(x).data<float>().ToArray();
    }

    /// <summary>
    /// Exports the pair scorer of <paramref name="net"/> and asserts that ONNX Runtime embeds each branch's
    /// <paramref name="batch"/> rows as the TorchSharp forward does (within 1e-4).
    /// </summary>
    public static void AssertPairScorerMatchesForward(EmbeddingNetwork net, float[] left, float[] right, int batch)
    {
        var spec = net.Spec;
        var model = OnnxExporter.ExportPairScorer(spec, net.ExportWeights(), new PairScoring { Threshold = 1f });
        var outputs = OnnxRuntimeRunner.Run(model, ("LeftFeatures", left, new long[] { batch, spec.InputSize }), ("RightFeatures", right, new long[] { batch, spec.InputSize }));
        AssertClose(Forward(net, left, batch), outputs[OnnxExporter.LeftEmbeddingOutput].Values, 1e-4f, "left");
        AssertClose(Forward(net, right, batch), outputs[OnnxExporter.RightEmbeddingOutput].Values, 1e-4f, "right");
    }

    /// <summary>Uniform random values in [0, 1) from a seeded generator.</summary>
    public static float[] RandomInput(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
    }

    /// <summary>Asserts the arrays have the same length and differ by at most <paramref name="tolerance"/>.</summary>
    public static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what + ": length");
        float max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        Assert.IsLessThanOrEqualTo(tolerance, max, $"{what}: max abs difference {max}");
    }
}
