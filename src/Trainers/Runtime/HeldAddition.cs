using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Runtime;

/// <summary>
/// Tensor additions whose scale factor is a scalar held for the process. TorchSharp 0.107's <c>a + b</c>,
/// <c>a + s</c>, <c>s - a</c> and one-argument <c>add</c> / <c>add_</c> pass libtorch an alpha of 1 converted to a
/// <see cref="Scalar"/> that nothing references, which the finalizer can free mid-call (docs/architecture.md, "TorchSharp
/// scalars, held"; a stress probe: <c>a + b</c> failed 428 times in 18 million calls, <c>a.add(b, one)</c> with a held
/// one 0 times in 27 million). These compute exactly what those operators compute.
/// </summary>
internal static class HeldAddition
{
    // An Int64 1, as TorchSharp's own implicit conversion of the literal 1; static, so never finalized.
    private static readonly Scalar One = 1L.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + s.</summary>
    public static Tensor Plus(this Tensor a, Scalar s) => a.add(s, One);

    /// <summary>a += s, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar s) => a.add_(s, One);

    /// <summary>s − a, computed as TorchSharp's operator does: −a + s.</summary>
    public static Tensor Minus(this Scalar s, Tensor a) => a.negative().add(s, One);
}
