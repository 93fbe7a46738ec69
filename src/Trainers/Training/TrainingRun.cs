using MLNet.Siamese.Backbones;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The state of one training run: the network, the optional pair head, Adam, the generator, the data tensor, the
/// objective with its batch drawer and the optional weight average; <see cref="Step"/> takes one optimizer step inside
/// its own dispose scope. <see cref="TrainingLoop"/> drives it; <see cref="CheckpointWriter"/> and
/// <see cref="CheckpointResume"/> save and restore it.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly SiameseTrainerOptions _options;
    private readonly NetworkSpec _spec;
    private readonly Device _device;
    private readonly Tensor _items;           // (N, C, H', W'): training items as the layers see them (normalized already, if the network normalizes), or left rows then right rows in pairs mode
    private readonly OptimizerHelper _optimizer;
    private readonly BatchDrawer _batches;
    private readonly FineTuning? _fineTuning;
    private readonly double[] _rateScales;    // learning rate of each optimizer parameter group relative to the configured rate

    public TrainingRun(SiameseTrainerOptions options, ITrainingObjective objective, NetworkSpec spec, int seed, Device device,
        float[] features, int itemCount, ClassTable? classes, float[]? pairSimilar, FineTuning? fineTuning = null)
    {
        _fineTuning = fineTuning;
        _options = options;
        _spec = spec;
        _device = device;
        Objective = objective;
        Seed = seed;
        torch.manual_seed(seed);
        Random = new SiameseRandom(seed);
        Network = new EmbeddingNetwork(spec);
        fineTuning?.Prepare(Network);
        if (objective.LearnsPairHead)
            Head = nn.Linear(spec.EmbeddingDimension, 1);
        Network.to(device);
        Head?.to(device);
        var geometry = spec.Geometry;
        // The tensor shares the item array (no second copy: for photos at 224 px that is gigabytes); nothing writes to either.
        _items = frombuffer(features, ScalarType.Float32, (long)itemCount * geometry.LayerLength).view(itemCount, geometry.Channels, geometry.Height, geometry.Width).to(device);
        _batches = new BatchDrawer(objective.Batch, options.WithinGroup, classes, pairSimilar, Random);
        var groups = fineTuning?.ParameterGroups(Network).ToList() ?? [(Network.parameters().ToList(), 1.0)];
        if (Head is not null) groups.Add((Head.parameters().ToList(), 1.0));
        _rateScales = groups.Select(g => g.Scale).ToArray();
        _optimizer = new Adam(groups.Select(g => new Adam.ParamGroup(g.Parameters, options.LearningRate * g.Scale, options.Beta1, options.Beta2)), options.LearningRate, options.Beta1, options.Beta2);
        // Built after the optimizer and the data, so the live network's initialization is the same with or without it.
        if (options.WeightAveragingDecay > 0)
            Averaging = new WeightAveraging(spec, Network, device, options.WeightAveragingDecay);
    }

    public SiameseTrainerOptions Options => _options;
    public NetworkSpec Spec => _spec;
    public Device Device => _device;
    public ITrainingObjective Objective { get; }
    public int Seed { get; }
    public EmbeddingNetwork Network { get; }
    public Linear? Head { get; }
    public WeightAveraging? Averaging { get; }
    public SiameseRandom Random { get; }
    public int Iteration { get; set; }
    public List<float> LossHistory { get; } = new();
    public List<KeyValuePair<int, double>> Validation { get; } = new();

    /// <summary>Examples (pairs, triplets or items) consumed by one step.</summary>
    public int ExamplesPerStep => Objective.Batch.ExamplesPerStep;

    /// <summary>One optimizer step on a fresh batch; returns its loss (no update when the loss is not finite).</summary>
    public float Step()
    {
        using var scope = NewDisposeScope();
        if (_options.LearningRateSchedule != LearningRateSchedule.Constant) ApplyLearningRate();
        _optimizer.zero_grad();
        var batch = _batches.Draw();
        var loss = Objective.Loss(new ObjectiveInput(batch, Embed(batch.Items), Head));
        float value = loss.item<float>();
        if (!float.IsFinite(value)) return value;
        loss.backward();
        _optimizer.step();
        Averaging?.Update(Iteration + 1);
        return value;
    }

    /// <summary>Sets the optimizer's rate to the configured schedule's rate for the next step.</summary>
    public void ApplyLearningRate()
    {
        double rate = LearningRateSchedules.At(_options.LearningRateSchedule, _options.LearningRate, Iteration, _options.Iterations);
        int i = 0;
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = rate * _rateScales[i++];
    }

    /// <summary>True when every weight of the network and head is finite.</summary>
    public bool ParametersFinite()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in Network.parameters().Concat(Head?.parameters() ?? Enumerable.Empty<Parameter>()))
            if (!p.isfinite().all().item<bool>()) return false;
        return true;
    }

    private Tensor Embed(long[] indices)
    {
        var x = _items.index_select(0, tensor(indices, device: _device));
        if (_options.Augmentation is { } augmentation) x = augmentation.Apply(x, Random);
        if (_fineTuning is not null && _options.PhotoAugmentation is { } photo) x = photo.Apply(x, Random);
        return Network.forward(x);
    }

    /// <summary>Input values embedded at once at most: 4 Mi floats (16 MB), e.g. 27 photos at 224 x 224 x 3.</summary>
    internal const int EmbeddingChunkValues = 1 << 22;

    /// <summary>
    /// Items embedded at once: at most 256, and at most <see cref="EmbeddingChunkValues"/> input values, so that a large
    /// input (a photo for a fine-tuned ResNet18: 150,528 values, whose stem alone makes 0.8 million activations) does
    /// not hold gigabytes of activations per chunk. Handwriting at 96 x 96 and smaller inputs keep chunks of 256.
    /// </summary>
    /// <param name="inputSize">Values per item.</param>
    /// <returns>1 to 256.</returns>
    internal static int EmbeddingChunk(int inputSize) => Math.Clamp(EmbeddingChunkValues / Math.Max(1, inputSize), 1, 256);

    /// <summary>Embeds items of a feature array in eval mode, in chunks of <see cref="EmbeddingChunk"/>, and returns them as a flat array.</summary>
    public float[] EmbedAll(float[] features, int count) => EmbedRows(features, null, count);

    /// <summary>
    /// Embeds the items <paramref name="rows"/> of a feature array (all of the first <paramref name="count"/> when null) in
    /// eval mode, in chunks of <see cref="EmbeddingChunk"/>, and returns them as a flat array in the order given. Each
    /// chunk is copied straight into its tensor: no managed copy of the items is made, which for photos at 224 px would be
    /// hundreds of megabytes of garbage per pass.
    /// </summary>
    public float[] EmbedRows(float[] features, IReadOnlyList<long>? rows, int count)
    {
        int size = _spec.InputSize;
        return EmbedRows(row => features.AsSpan(checked((int)(row * size)), size), rows, count);
    }

    /// <summary>Embeds the items <paramref name="rows"/> (0 .. <paramref name="count"/> - 1 when null) that <paramref name="read"/> gives, as <see cref="EmbedRows(float[], IReadOnlyList{long}?, int)"/>.</summary>
    public float[] EmbedRows(ItemReader read, IReadOnlyList<long>? rows, int count)
    {
        int size = _spec.InputSize;
        int chunk = EmbeddingChunk(size);
        bool wasTraining = Network.training;
        Network.eval();
        var result = new float[(long)count * _spec.EmbeddingDimension];
        using (no_grad())
        {
            for (int start = 0; start < count; start += chunk)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(chunk, count - start);
                var x = empty(new long[] { n, _spec.Channels, _spec.Height, _spec.Width });
                var values = x.data<float>();
                for (int i = 0; i < n; i++)
                {
                    long row = rows is null ? start + i : rows[start + i];
                    var item = read(row);
                    if (item.Length != size)
                        throw new InvalidOperationException($"Item {row} has {item.Length} values; the network takes {size}.");
                    values.CopyFrom(item, 0, (long)i * size);
                }
                var e = Network.forward(x.to(_device)).cpu();
                e.data<float>().CopyTo(result.AsSpan(start * _spec.EmbeddingDimension, n * _spec.EmbeddingDimension));
            }
        }
        if (wasTraining) Network.train();
        return result;
    }

    /// <summary>Scores of the learned head for pairs of embeddings (objectives with a pair head only).</summary>
    public float[] HeadScores(float[] leftEmbeddings, float[] rightEmbeddings, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int d = _spec.EmbeddingDimension;
        var l = tensor(leftEmbeddings, new long[] { count, d }).to(_device);
        var r = tensor(rightEmbeddings, new long[] { count, d }).to(_device);
        return Head!.forward((l - r).abs()).sigmoid().squeeze(1).cpu().data<float>().ToArray();
    }

    /// <summary>The run's data and option fingerprint, recorded in each checkpoint (set by the trainer).</summary>
    public Dictionary<string, string>? Fingerprint { get; set; }

    /// <summary>The run's state as a checkpoint.</summary>
    public TrainingCheckpoint ToCheckpoint() => new()
    {
        Header = new CheckpointHeader
        {
            Iteration = Iteration,
            TotalIterations = _options.Iterations,
            RandomState = Random.State,
            LossHistory = LossHistory.ToList(),
            NetworkJson = _spec.ToJson(),
            Loss = _options.Loss.ToString(),
            Seed = Seed,
            Validation = Validation.ToList(),
            WeightAveragingDecay = _options.WeightAveragingDecay,
            RunFingerprint = Fingerprint,
        },
        NetworkState = ModuleState.Save(Network),
        HeadState = Head is null ? Array.Empty<byte>() : ModuleState.Save(Head),
        OptimizerState = SaveOptimizer(),
        AveragedNetworkState = Averaging is null ? [] : ModuleState.Save(Averaging.Network),
    };

    /// <summary>Continues from a checkpoint that <see cref="CheckpointResume.Check"/> accepts.</summary>
    public void Restore(TrainingCheckpoint checkpoint, string path)
    {
        CheckpointResume.Check(checkpoint, path, _options, _spec, Averaging is not null);
        var h = checkpoint.Header;
        try
        {
            ModuleState.Load(Network, checkpoint.NetworkState);
            if (Head is not null) ModuleState.Load(Head, checkpoint.HeadState);
            if (Averaging is not null) ModuleState.Load(Averaging.Network, checkpoint.AveragedNetworkState);
            using var reader = new BinaryReader(new MemoryStream(checkpoint.OptimizerState));
            _optimizer.load_state_dict(reader);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidOperationException)
        {
            throw new InvalidDataException($"Checkpoint '{path}' could not be restored into the network: {ex.Message}", ex);
        }
        Random.State = h.RandomState;
        Iteration = h.Iteration;
        // The optimizer state carries the rate it was saved with; the configured rate (and schedule) wins, so a run
        // resumed with another learning rate really uses it.
        ApplyLearningRate();
        LossHistory.Clear();
        LossHistory.AddRange(h.LossHistory);
        Validation.Clear();
        Validation.AddRange(h.Validation);
    }

    private byte[] SaveOptimizer()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            _optimizer.save_state_dict(writer);
        return stream.ToArray();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _items.Dispose();
        Head?.Dispose();
        Averaging?.Dispose();
        Network.Dispose();
    }
}
