using MLNet.Siamese.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// TorchSharp's Adam with the same update, state and checkpoint format, whose step keeps every <see cref="Scalar"/> it
/// passes to libtorch referenced until the call returns. It is named Adam because TorchSharp's saved optimizer state
/// starts with the optimizer's class name: checkpoints written with TorchSharp's Adam resume with this one, and back.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's own step converts its coefficients (β1, 1 − β1, ε, the step size, ...) to scalars that nothing
/// references once their handles are passed to libtorch, so a garbage collection on another thread can free them while
/// libtorch reads them (<see cref="Networks.BatchNorm2dModule"/> says how that was seen and measured). This step is the
/// same arithmetic, in the same order, with each scalar held by a <c>using</c>; a test checks that its updates equal
/// TorchSharp's bit for bit. Options this library never sets (AMSGrad, maximize) take TorchSharp's own step.
/// </remarks>
internal sealed class Adam : TorchSharp.Modules.Adam
{
    /// <summary>Creates the optimizer over parameter groups, as <c>torch.optim.Adam</c> does.</summary>
    /// <param name="groups">The parameter groups, each with its own learning rate and betas.</param>
    /// <param name="learningRate">The default learning rate.</param>
    /// <param name="beta1">The default β1.</param>
    /// <param name="beta2">The default β2.</param>
    public Adam(IEnumerable<ParamGroup> groups, double learningRate, double beta1, double beta2)
        : base(groups, learningRate, beta1, beta2, 1e-8, 0, false, false)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (_parameter_groups.Any(g => g.Options is Options { amsgrad: true } or Options { maximize: true }))
            return base.step(closure);
        return _step<ParamGroup>(group =>
        {
            var options = (Options)group.Options;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value;
            using Scalar beta1Scalar = beta1, oneMinusBeta1 = 1 - beta1, beta2Scalar = beta2, oneMinusBeta2 = 1 - beta2;
            using Scalar eps = options.eps!.Value, decay = weightDecay;
            foreach (var param in group.Parameters)
            {
                var state = (State)_state[param.Handle];
                var grad = param.grad;
                if (grad is null) continue;
                state.step += 1;
                var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                if (weightDecay != 0) grad = grad.add(param, alpha: decay);
                state.exp_avg.mul_(beta1Scalar).add_(grad, alpha: oneMinusBeta1);
                state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), value: oneMinusBeta2);
                using Scalar root = Math.Sqrt(biasCorrection2), stepSize = -(options.LearningRate!.Value / biasCorrection1);
                var denominator = state.exp_avg_sq.sqrt().div(root).PlusInPlace(eps);
                param.addcdiv_(state.exp_avg, denominator, value: stepSize);
            }
        }, closure);
    }
}
