using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Networks;

/// <summary>The TorchSharp side of <see cref="MomentNormalization"/>: measuring the ink of a batch of images.</summary>
internal static class MomentMeasurement
{
    /// <summary>
    /// Measures each image of a batch: the centre of mass of its ink in normalized coordinates ([-1, 1], the convention
    /// of <c>affine_grid</c>, align_corners false) and the zoom that brings its radius of gyration to <see cref="MomentNormalization.Spread"/>.
    /// </summary>
    /// <param name="normalization">The normalization (its spread).</param>
    /// <param name="images">Images (N, C, H, W); the channels' values are summed as ink.</param>
    /// <returns>Centre (N, 1, 1, 2), x then y, and zoom (N, 1, 1, 1).</returns>
    public static (Tensor Centre, Tensor Zoom) Measure(this MomentNormalization normalization, Tensor images)
    {
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        var ink = nn.functional.relu(images);
        var xs = Coordinates(w, images.device).view(1, 1, 1, w);
        var ys = Coordinates(h, images.device).view(1, 1, h, 1);
        long[] axes = [1, 2, 3];
        using Scalar massEpsilon = MomentNormalization.MassEpsilon, inverseTarget = (float)(1 / (2 * normalization.Spread));
        using Scalar minZoom = MomentNormalization.MinZoom, maxZoom = MomentNormalization.MaxZoom;
        var mass = ink.sum(axes, keepdim: true).Plus(massEpsilon);
        var cx = (ink * xs).sum(axes, keepdim: true) / mass;
        var cy = (ink * ys).sum(axes, keepdim: true) / mass;
        var dx = xs - cx;
        var dy = ys - cy;
        var radius2 = (ink * (dx * dx).Plus(dy * dy)).sum(axes, keepdim: true) / mass;
        var zoom = (radius2.sqrt() * inverseTarget).clamp(minZoom, maxZoom);
        var centre = cat([cx, cy], 3);
        return (centre.MoveToOuterDisposeScope(), zoom.MoveToOuterDisposeScope());
    }

    private static Tensor Coordinates(long n, Device device) => tensor(MomentNormalization.PixelCentres((int)n), device: device);
}
