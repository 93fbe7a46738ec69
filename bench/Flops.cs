using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Floating-point operations of one forward pass of one item: convolution 2*Cin*k*k*Cout*Hout*Wout, linear
/// 2*in*out (multiply-adds counted as two); pooling, normalization and activations are ignored (memory-bound, small).
/// A training step is counted as 3x the forward (forward, gradient w.r.t. inputs, gradient w.r.t. weights).
/// </summary>
internal static class Flops
{
    public static double ForwardPerItem(NetworkSpec spec)
    {
        var shapes = spec.InferShapes();
        double flops = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var input = shapes[i];
            var output = shapes[i + 1];
            switch (spec.Layers[i])
            {
                case Conv2dLayer c:
                    flops += 2.0 * input.Dimensions[0] * c.KernelSize * c.KernelSize * c.OutChannels * output.Dimensions[1] * output.Dimensions[2];
                    break;
                case LinearLayer l:
                    flops += 2.0 * input.Size * l.OutFeatures;
                    break;
            }
        }
        return flops;
    }

    /// <summary>FLOPs of one contrastive training step over <paramref name="pairs"/> pairs (2 items per pair).</summary>
    public static double TrainingStep(NetworkSpec spec, int pairs) => 3.0 * 2 * pairs * ForwardPerItem(spec);
}
