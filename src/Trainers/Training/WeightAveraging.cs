using MLNet.Siamese.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Polyak averaging of the network's weights (<see cref="SiameseTrainerOptions.WeightAveragingDecay"/>): a second network
/// holds average = d * average + (1 - d) * weights, with d = min(decay, (1 + t) / (10 + t)) at step t.
/// </summary>
internal sealed class WeightAveraging : IDisposable
{
    private readonly double _decay;
    private readonly Parameter[] _live;
    private readonly Parameter[] _averaged;

    /// <summary>Starts the average at the live network's weights.</summary>
    public WeightAveraging(NetworkSpec spec, EmbeddingNetwork live, Device device, double decay)
    {
        _decay = decay;
        Network = new EmbeddingNetwork(spec);
        Network.to(device);
        ModuleState.Load(Network, ModuleState.Save(live));
        _live = live.parameters().ToArray();
        _averaged = Network.parameters().ToArray();
        foreach (var p in _averaged) p.requires_grad = false;
    }

    /// <summary>The averaged network (its state goes into checkpoints).</summary>
    public EmbeddingNetwork Network { get; }

    /// <summary>Folds the live weights after step <paramref name="step"/> (1-based) into the average.</summary>
    public void Update(int step)
    {
        double decay = Math.Min(_decay, (1.0 + step) / (10.0 + step));
        using var noGrad = no_grad();
        using Scalar kept = decay, added = 1 - decay;
        for (int i = 0; i < _live.Length; i++)
            _averaged[i].mul_(kept).add_(_live[i], alpha: added);
    }

    /// <summary>Gives the live network the averaged weights; its batch-norm statistics stay its own.</summary>
    public void CopyIntoLive()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _live.Length; i++) _live[i].copy_(_averaged[i]);
    }

    public void Dispose() => Network.Dispose();
}
