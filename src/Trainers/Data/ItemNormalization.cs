using MLNet.Siamese.Networks;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Applies a network's <see cref="NetworkSpec.InputNormalization"/> to the trainer's items once, chunk by chunk, before
/// anything else is done with them: the class copies (rotated, mirrored) and the training tensor then hold images at
/// the size the layers see, not at the larger decoded size. Moment normalization commutes with those copies (a 90-degree
/// turn or a mirror moves the centre of mass with the drawing and keeps its spread), so copying after normalizing gives
/// the images that normalizing each copy would.
/// </summary>
internal static class ItemNormalization
{
    /// <summary>The normalized items, (<see cref="ImageGeometry.LayerLength"/> values each), in the order of the input.</summary>
    /// <param name="spec">The network specification, with an input normalization.</param>
    /// <param name="features">Items at the input size, row-major, <see cref="NetworkSpec.InputSize"/> values each.</param>
    /// <param name="count">Number of items.</param>
    /// <param name="chunk">Items normalized at once; bounds the temporary tensors.</param>
    /// <returns>A new array of <paramref name="count"/> normalized items.</returns>
    public static float[] Apply(NetworkSpec spec, float[] features, int count, int chunk = 256)
    {
        int inputSize = spec.InputSize;
        int layerInputSize = spec.Geometry.LayerLength;
        var result = new float[(long)count * layerInputSize];
        for (int start = 0; start < count; start += chunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(chunk, count - start);
            var x = tensor(features.AsSpan(start * inputSize, n * inputSize).ToArray(), new long[] { n, spec.Channels, spec.Height, spec.Width });
            EmbeddingNetwork.NormalizeInputs(spec, x).contiguous().data<float>().CopyTo(result.AsSpan(start * layerInputSize, n * layerInputSize));
        }
        return result;
    }
}
