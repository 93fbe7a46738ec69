using System.Diagnostics;
using MLNet.Siamese.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Bench;

/// <summary>
/// The reference: the smallest hand-written TorchSharp contrastive training loop over the same network
/// (<c>new EmbeddingNetwork(spec)</c>), batch and Adam settings as the trainer. Pairs are drawn uniformly at random
/// with a random similar/dissimilar label (the label does not change the work done). One dispose scope per step.
/// </summary>
internal sealed class MinimalLoop : IDisposable
{
    private readonly EmbeddingNetwork _network;
    private readonly optim.Optimizer _adam;
    private readonly Tensor _items;
    private readonly int _count;
    private readonly Random _random = new(7);
    private readonly int _pairs;

    public MinimalLoop(NetworkSpec spec, float[] features, int count, int pairs)
    {
        torch.manual_seed(1);
        _network = new EmbeddingNetwork(spec);
        _network.train();
        _adam = optim.Adam(_network.parameters(), 1e-3, 0.9, 0.99);
        _items = tensor(features, new long[] { count, spec.Channels, spec.Height, spec.Width });
        _count = count;
        _pairs = pairs;
    }

    public float Step()
    {
        using var scope = NewDisposeScope();
        _adam.zero_grad();
        var index = new long[2 * _pairs];
        for (int i = 0; i < index.Length; i++) index[i] = _random.Next(_count);
        var similar = new float[_pairs];
        for (int i = 0; i < _pairs; i++) similar[i] = _random.Next(2);
        var e = _network.forward(_items.index_select(0, tensor(index)));
        var f1 = e.narrow(0, 0, _pairs);
        var f2 = e.narrow(0, _pairs, _pairs);
        var y = tensor(similar);
        var d = (f1 - f2).pow(2).sum(1).add(1e-9).sqrt();
        var loss = (0.5 * (y * d.pow(2) + (1 - y) * nn.functional.relu(1.0 - d).pow(2))).mean();
        float value = loss.item<float>();
        loss.backward();
        _adam.step();
        return value;
    }

    /// <summary>Runs <paramref name="warmup"/> untimed steps, then <paramref name="intervals"/> timed intervals of <paramref name="stepsPerInterval"/> steps; returns steps/s per interval.</summary>
    public List<double> StepsPerSecond(int warmup, int intervals, int stepsPerInterval)
    {
        for (int i = 0; i < warmup; i++) Step();
        var rates = new List<double>();
        for (int k = 0; k < intervals; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < stepsPerInterval; i++) Step();
            rates.Add(stepsPerInterval / Stats.Seconds(t0, Stopwatch.GetTimestamp()));
        }
        return rates;
    }

    public void Dispose()
    {
        _items.Dispose();
        _adam.Dispose();
        _network.Dispose();
    }
}
