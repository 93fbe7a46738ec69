using System.Text.Json.Serialization;

namespace MLNet.Siamese.Networks;

/// <summary>
/// One layer of a <see cref="NetworkSpec"/>: a small, serializable description from which the TorchSharp module
/// is built for training and the ONNX graph is written for scoring. Every kind is one record in this file.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Conv2dLayer), "conv2d")]
[JsonDerivedType(typeof(BatchNorm2dLayer), "batchnorm2d")]
[JsonDerivedType(typeof(ReluLayer), "relu")]
[JsonDerivedType(typeof(TanhLayer), "tanh")]
[JsonDerivedType(typeof(MaxPool2dLayer), "maxpool2d")]
[JsonDerivedType(typeof(AvgPool2dLayer), "avgpool2d")]
[JsonDerivedType(typeof(GlobalAvgPoolLayer), "globalavgpool")]
[JsonDerivedType(typeof(FlattenLayer), "flatten")]
[JsonDerivedType(typeof(LinearLayer), "linear")]
[JsonDerivedType(typeof(L2NormalizeLayer), "l2normalize")]
[JsonDerivedType(typeof(ResidualBlockLayer), "residualblock")]
[JsonDerivedType(typeof(PixelNormalizeLayer), "pixelnormalize")]
public abstract record LayerSpec;

/// <summary>How the weights of a learnable layer are initialized before training.</summary>
public enum WeightInit
{
    /// <summary>TorchSharp's default (Kaiming-uniform with a=sqrt(5), as PyTorch).</summary>
    Default,
    /// <summary>Normal distribution with mean 0 and standard deviation 0.01, bias 0 (the Omniglot seed's "narrow-normal").</summary>
    NarrowNormal,
    /// <summary>He (Kaiming) normal for ReLU networks, bias 0 (the digits seed's "he").</summary>
    He,
    /// <summary>Glorot (Xavier) uniform, bias 0 (Keras' default, suits tanh).</summary>
    Glorot,
    /// <summary>
    /// The identity matrix (ones on the diagonal of a rectangular one), bias 0: a linear layer starts as a pass-through of
    /// its input (or of its first outputs' worth of it), e.g. a head on pretrained features that starts at those features.
    /// </summary>
    Identity,
}

/// <summary>2-D convolution, square kernel, with bias (unless <paramref name="Bias"/> is false). Input and output are NCHW.</summary>
/// <param name="OutChannels">Number of output channels (filters).</param>
/// <param name="KernelSize">Kernel height and width.</param>
/// <param name="Stride">Stride in both directions.</param>
/// <param name="Padding">Zero padding added on every side.</param>
/// <param name="Init">Weight initialization.</param>
/// <param name="Bias">Whether the convolution adds a learned bias; false before a batch norm (as in ResNet).</param>
public sealed record Conv2dLayer(int OutChannels, int KernelSize, int Stride = 1, int Padding = 0, WeightInit Init = WeightInit.He, bool Bias = true) : LayerSpec;

/// <summary>Batch normalization over the channels of an NCHW tensor (running statistics are exported for scoring).</summary>
/// <param name="Epsilon">Added to the variance for numerical stability.</param>
/// <param name="Momentum">Running-statistics momentum, PyTorch convention.</param>
public sealed record BatchNorm2dLayer(double Epsilon = 1e-5, double Momentum = 0.1) : LayerSpec;

/// <summary>Rectified linear unit.</summary>
public sealed record ReluLayer : LayerSpec;

/// <summary>Hyperbolic tangent.</summary>
public sealed record TanhLayer : LayerSpec;

/// <summary>2-D max pooling with a square window, floor rounding.</summary>
/// <param name="KernelSize">Window height and width.</param>
/// <param name="Stride">Stride; 0 means equal to <paramref name="KernelSize"/>.</param>
/// <param name="Padding">Padding on every side (ignored by the maximum, as PyTorch and ONNX pad with minus infinity).</param>
public sealed record MaxPool2dLayer(int KernelSize = 2, int Stride = 0, int Padding = 0) : LayerSpec;

/// <summary>2-D average pooling with a square window, no padding, floor rounding.</summary>
/// <param name="KernelSize">Window height and width.</param>
/// <param name="Stride">Stride; 0 means equal to <paramref name="KernelSize"/>.</param>
public sealed record AvgPool2dLayer(int KernelSize = 2, int Stride = 0) : LayerSpec;

/// <summary>Averages each channel over its whole spatial extent: NCHW to NC.</summary>
public sealed record GlobalAvgPoolLayer : LayerSpec;

/// <summary>Flattens every dimension after the batch dimension.</summary>
public sealed record FlattenLayer : LayerSpec;

/// <summary>Fully connected layer with bias; its input must be flat (N, features).</summary>
/// <param name="OutFeatures">Output size.</param>
/// <param name="Init">Weight initialization.</param>
public sealed record LinearLayer(int OutFeatures, WeightInit Init = WeightInit.He) : LayerSpec;

/// <summary>Scales each flat vector to unit Euclidean length (a small epsilon avoids division by zero).</summary>
public sealed record L2NormalizeLayer : LayerSpec;
