namespace MLNet.Siamese.Networks;

/// <summary>The shape of one item flowing through a network, without the batch dimension.</summary>
/// <param name="Dimensions">(C, H, W) for images, (F) for flat vectors.</param>
public sealed record TensorShape(IReadOnlyList<int> Dimensions)
{
    /// <summary>True when the shape is (C, H, W).</summary>
    public bool IsImage => Dimensions.Count == 3;

    /// <summary>Number of values in one item.</summary>
    public int Size => Dimensions.Aggregate(1, (a, b) => a * b);

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join("x", Dimensions) + ")";

    /// <summary>An image shape (C, H, W).</summary>
    /// <param name="channels">Channels.</param>
    /// <param name="height">Height.</param>
    /// <param name="width">Width.</param>
    /// <returns>The shape.</returns>
    public static TensorShape Image(int channels, int height, int width) => new(new[] { channels, height, width });

    /// <summary>A flat shape (F).</summary>
    /// <param name="features">Number of features.</param>
    /// <returns>The shape.</returns>
    public static TensorShape Flat(int features) => new(new[] { features });
}
