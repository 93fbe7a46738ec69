using System.Diagnostics;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Sampling;
using Microsoft.ML.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// One training run: the network, the optional pair head, Adam, the sampler and the data tensor, and the loop that
/// steps them. Every step runs inside its own dispose scope, so no tensor outlives its iteration.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly SiameseTrainerOptions _options;
    private readonly NetworkSpec _spec;
    private readonly Device _device;
    private readonly IChannel? _log;
    private readonly Tensor _items;           // (N, C, H', W'): training items as the layers see them (normalized already, if the network normalizes), or left rows then right rows in pairs mode
    private readonly ClassIndex? _classes;     // null in explicit pairs mode
    private readonly float[]? _pairSimilar;    // explicit pairs mode: label per pair
    private readonly OptimizerHelper _optimizer;
    private readonly BatchSampler? _sampler;
    private int _writtenCheckpointIteration = -1;  // iteration of the newest checkpoint this run wrote, -1 if none
    private readonly EmbeddingNetwork? _averaged;     // moving average of the network's weights; null without averaging
    private readonly Parameter[] _liveParameters = [];
    private readonly Parameter[] _averagedParameters = [];

    public TrainingRun(SiameseTrainerOptions options, NetworkSpec spec, int seed, Device device, IChannel? log,
        float[] features, int itemCount, ClassIndex? classes, float[]? pairSimilar)
    {
        _options = options;
        _spec = spec;
        _device = device;
        _log = log;
        Seed = seed;
        torch.manual_seed(seed);
        Random = new SiameseRandom(seed);
        Network = new EmbeddingNetwork(spec);
        if (options.Loss == SiameseLoss.BinaryCrossEntropy)
            Head = nn.Linear(spec.EmbeddingDimension, 1);
        Network.to(device);
        Head?.to(device);
        _items = tensor(features, new long[] { itemCount, spec.Channels, spec.LayerHeight, spec.LayerWidth }).to(device);
        _classes = classes;
        _pairSimilar = pairSimilar;
        if (classes is not null) _sampler = new BatchSampler(classes, Random);
        var parameters = Network.parameters().Concat(Head?.parameters() ?? Enumerable.Empty<Parameter>());
        _optimizer = optim.Adam(parameters, options.LearningRate, options.Beta1, options.Beta2);
        if (options.WeightAveragingDecay > 0)
        {
            // Built after the optimizer and the data, so the live network's initialization is the same with or without it.
            _averaged = new EmbeddingNetwork(spec);
            _averaged.to(device);
            LoadModule(_averaged, SaveModule(Network));
            _liveParameters = Network.parameters().ToArray();
            _averagedParameters = _averaged.parameters().ToArray();
            foreach (var p in _averagedParameters) p.requires_grad = false;
        }
    }

    public int Seed { get; }
    public EmbeddingNetwork Network { get; }
    public Linear? Head { get; }
    public SiameseRandom Random { get; }
    public int Iteration { get; private set; }
    public List<float> LossHistory { get; } = new();
    public List<KeyValuePair<int, double>> Validation { get; } = new();
    public string? LastCheckpoint { get; private set; }

    /// <summary>Examples (pairs, triplets or episode items) consumed by one step.</summary>
    public int ExamplesPerStep => _options.Loss switch
    {
        SiameseLoss.Prototypical => _options.Ways * (_options.Shots + _options.Queries),
        _ => _options.BatchSize,
    };

    /// <summary>Runs until the configured iteration count, an early stop, or cancellation.</summary>
    public void Train(Func<double>? validate)
    {
        var clock = Stopwatch.StartNew();
        double lossSinceReport = 0;
        int stepsSinceReport = 0;
        var reportClock = Stopwatch.StartNew();
        double? lastValidation = null;
        double bestValidation = double.NegativeInfinity;
        int badValidations = 0;
        byte[]? bestNetwork = null, bestHead = null;
        Network.train();
        Head?.train();
        while (Iteration < _options.Iterations)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            float loss = Step();
            // A finite loss can still come with an update that blows the weights up; such weights must never reach a
            // checkpoint, or the "last good checkpoint" would diverge at once when resumed.
            // Checked only where weights leave the loop (a checkpoint, the end of training): a non-finite weight gives a
            // non-finite loss at the next step anyway, so a per-step scan of every parameter would only cost time.
            int next = Iteration + 1;
            bool weightsLeave = next == _options.Iterations || (_options.CheckpointDirectory is not null && _options.CheckpointInterval > 0 && next % _options.CheckpointInterval == 0);
            bool weightsFinite = float.IsFinite(loss) && (!weightsLeave || ParametersFinite());
            if (!weightsFinite)
            {
                string? good = SetAsideCheckpointOfTheseWeights(float.IsFinite(loss));
                string kept = good is null ? "No checkpoint of weights that gave a finite loss had been written." : $"The last good checkpoint, '{good}', is kept.";
                string what = float.IsFinite(loss) ? $"the weights became non-finite in the update of iteration {Iteration + 1} (its loss was {loss})" : $"the loss became {loss} at iteration {Iteration + 1}";
                throw new InvalidOperationException($"Training diverged: {what}. {kept} "
                    + $"Lower the learning rate (now {_options.LearningRate}) or check the inputs." + CpuKernelHint.For(_spec, _device));
            }
            Iteration++;
            LossHistory.Add(loss);
            lossSinceReport += loss;
            stepsSinceReport++;

            if (validate is not null && _options.ValidationInterval > 0 && (Iteration % _options.ValidationInterval == 0 || Iteration == _options.Iterations))
            {
                lastValidation = validate();
                Validation.Add(new(Iteration, lastValidation.Value));
                Log($"Iteration {Iteration}: validation pair accuracy {lastValidation.Value:P2}");
                if (lastValidation.Value > bestValidation)
                {
                    bestValidation = lastValidation.Value;
                    badValidations = 0;
                    if (_options.EarlyStoppingPatience > 0)
                        (bestNetwork, bestHead) = (SaveModule(Network), Head is null ? null : SaveModule(Head));
                }
                else if (_options.EarlyStoppingPatience > 0 && ++badValidations >= _options.EarlyStoppingPatience)
                {
                    Log($"Early stopping at iteration {Iteration}: no improvement in {badValidations} validations.");
                    break;
                }
            }

            if (Iteration % Math.Max(1, _options.ProgressInterval) == 0 || Iteration == _options.Iterations)
            {
                double seconds = Math.Max(reportClock.Elapsed.TotalSeconds, 1e-9);
                var progress = new TrainingProgress(Iteration, _options.Iterations, lossSinceReport / stepsSinceReport,
                    stepsSinceReport * (double)ExamplesPerStep / seconds, clock.Elapsed, lastValidation);
                _options.Progress?.Report(progress);
                Log($"Iteration {progress.Iteration}/{progress.TotalIterations}: loss {progress.Loss:F4}, {progress.PairsPerSecond:F0} examples/s");
                lossSinceReport = 0;
                stepsSinceReport = 0;
                reportClock.Restart();
            }

            if (_options.CheckpointDirectory is not null && _options.CheckpointInterval > 0
                && (Iteration % _options.CheckpointInterval == 0 || Iteration == _options.Iterations))
                WriteCheckpoint();
        }
        if (bestNetwork is not null)
        {
            LoadModule(Network, bestNetwork);
            if (Head is not null && bestHead is not null) LoadModule(Head, bestHead);
        }
        if (_averaged is not null)
        {
            // The trained model gets the averaged weights; its batch-norm statistics stay the live network's.
            using var noGrad = no_grad();
            for (int i = 0; i < _liveParameters.Length; i++) _liveParameters[i].copy_(_averagedParameters[i]);
        }
        Network.eval();
        Head?.eval();
    }

    /// <summary>
    /// When the newest checkpoint this run wrote holds the very weights whose loss just turned non-finite (it was written
    /// after the update of the previous step, which was never evaluated), renames it to "*.diverged" so that
    /// <see cref="TrainingCheckpoint.FindLatestValid"/> skips it, and returns the checkpoint that is really good, if any.
    /// </summary>
    private string? SetAsideCheckpointOfTheseWeights(bool lossWasFinite)
    {
        if (lossWasFinite || _writtenCheckpointIteration != Iteration || LastCheckpoint is null || !File.Exists(LastCheckpoint))
            return LastCheckpoint;
        File.Move(LastCheckpoint, LastCheckpoint + ".diverged", overwrite: true);
        LastCheckpoint = TrainingCheckpoint.FindLatestValid(_options.CheckpointDirectory!);
        return LastCheckpoint;
    }

    private bool ParametersFinite()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in Network.parameters().Concat(Head?.parameters() ?? Enumerable.Empty<Parameter>()))
            if (!p.isfinite().all().item<bool>()) return false;
        return true;
    }

    /// <summary>average = d * average + (1 - d) * weights, with d = min(decay, (1 + t) / (10 + t)) at step t.</summary>
    private void UpdateAverage(int step)
    {
        double decay = Math.Min(_options.WeightAveragingDecay, (1.0 + step) / (10.0 + step));
        using var noGrad = no_grad();
        for (int i = 0; i < _liveParameters.Length; i++)
            _averagedParameters[i].mul_(decay).add_(_liveParameters[i], alpha: 1 - decay);
    }

    private void Log(string message) => _log?.Info(MessageSensitivity.None, message.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));

    private float Step()
    {
        using var scope = NewDisposeScope();
        if (_options.LearningRateSchedule != LearningRateSchedule.Constant) ApplyLearningRate();
        _optimizer.zero_grad();
        var loss = _options.Loss switch
        {
            SiameseLoss.Contrastive or SiameseLoss.BinaryCrossEntropy => PairLoss(),
            SiameseLoss.Triplet => TripletStepLoss(),
            SiameseLoss.Prototypical => PrototypicalStepLoss(),
            _ => throw new NotSupportedException($"Loss {_options.Loss} is not supported."),
        };
        float value = loss.item<float>();
        if (!float.IsFinite(value)) return value;
        loss.backward();
        _optimizer.step();
        if (_averaged is not null) UpdateAverage(Iteration + 1);
        return value;
    }

    /// <summary>Sets the optimizer's rate to the configured schedule's rate for the next step.</summary>
    private void ApplyLearningRate()
    {
        double rate = LearningRateSchedules.At(_options.LearningRateSchedule, _options.LearningRate, Iteration, _options.Iterations);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = rate;
    }

    private Tensor Embed(long[] indices)
    {
        var x = _items.index_select(0, tensor(indices, device: _device));
        if (_options.Augmentation is { } augmentation) x = augmentation.Apply(x, Random);
        return Network.forward(x);
    }

    private Tensor PairLoss()
    {
        long[] left, right;
        float[] similar;
        if (_sampler is not null)
        {
            var batch = _sampler.SamplePairs(_options.BatchSize, 0.5, _options.WithinGroup);
            (left, right, similar) = (batch.Left, batch.Right, batch.Similar);
        }
        else
        {
            int pairs = _pairSimilar!.Length;
            left = new long[_options.BatchSize];
            right = new long[_options.BatchSize];
            similar = new float[_options.BatchSize];
            for (int i = 0; i < left.Length; i++)
            {
                int p = Random.Next(pairs);
                (left[i], right[i], similar[i]) = (p, pairs + p, _pairSimilar[p]);
            }
        }
        int n = left.Length;
        var embeddings = Embed(left.Concat(right).ToArray());
        var f1 = embeddings.narrow(0, 0, n);
        var f2 = embeddings.narrow(0, n, n);
        var y = tensor(similar, device: _device);
        if (_options.Loss == SiameseLoss.BinaryCrossEntropy)
        {
            var logits = Head!.forward((f1 - f2).abs()).squeeze(1);
            return nn.functional.binary_cross_entropy_with_logits(logits, y);
        }
        return ContrastiveLoss.Compute(f1, f2, y, _options.Margin);
    }

    private Tensor TripletStepLoss()
    {
        if (_options.BatchHardMining)
        {
            int perClass = 4;
            var (items, labels) = _sampler!.SampleClassBatch(Math.Max(2, _options.BatchSize / perClass), perClass);
            return TripletLoss.BatchHard(Embed(items), tensor(labels, device: _device), _options.Margin);
        }
        var t = _sampler!.SampleTriplets(_options.BatchSize, _options.WithinGroup);
        int n = t.Anchor.Length;
        var e = Embed(t.Anchor.Concat(t.Positive).Concat(t.Negative).ToArray());
        return TripletLoss.Compute(e.narrow(0, 0, n), e.narrow(0, n, n), e.narrow(0, 2 * n, n), _options.Margin);
    }

    private Tensor PrototypicalStepLoss()
    {
        var episode = _sampler!.SampleEpisode(_options.Ways, _options.Shots, _options.Queries, _options.WithinGroup);
        int s = episode.Support.Length;
        int ways = s / _options.Shots;
        var e = Embed(episode.Support.Concat(episode.Query).ToArray());
        return PrototypicalLoss.Compute(e.narrow(0, 0, s), e.narrow(0, s, episode.Query.Length), tensor(episode.QueryTarget, device: _device), ways);
    }

    /// <summary>Embeds items of a feature array in eval mode, in chunks, and returns them as a flat array.</summary>
    public float[] EmbedAll(float[] features, int count, int chunk = 256)
    {
        bool wasTraining = Network.training;
        Network.eval();
        var result = new float[(long)count * _spec.EmbeddingDimension];
        using (no_grad())
        {
            for (int start = 0; start < count; start += chunk)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(chunk, count - start);
                var x = tensor(features.AsSpan(start * _spec.InputSize, n * _spec.InputSize).ToArray(), new long[] { n, _spec.Channels, _spec.Height, _spec.Width }).to(_device);
                var e = Network.forward(x).cpu();
                e.data<float>().CopyTo(result.AsSpan(start * _spec.EmbeddingDimension, n * _spec.EmbeddingDimension));
            }
        }
        if (wasTraining) Network.train();
        return result;
    }

    /// <summary>Scores of the learned head for pairs of embeddings (BCE loss only).</summary>
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

    public void WriteCheckpoint()
    {
        var checkpoint = new TrainingCheckpoint
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
            NetworkState = SaveModule(Network),
            HeadState = Head is null ? Array.Empty<byte>() : SaveModule(Head),
            OptimizerState = SaveOptimizer(),
            AveragedNetworkState = _averaged is null ? [] : SaveModule(_averaged),
        };
        string path = Path.Combine(_options.CheckpointDirectory!, TrainingCheckpoint.FileName(Iteration));
        checkpoint.Save(path);
        LastCheckpoint = path;
        _writtenCheckpointIteration = Iteration;
        // Keep the two newest checkpoints: the previous one stays until a newer one is safely on disk.
        foreach (var old in Directory.GetFiles(_options.CheckpointDirectory!, "checkpoint-*.mlnsckpt").OrderByDescending(f => f, StringComparer.Ordinal).Skip(2))
            File.Delete(old);
    }

    public void Resume(TrainingCheckpoint checkpoint, string path)
    {
        var h = checkpoint.Header;
        NetworkSpec saved;
        try
        {
            saved = NetworkSpec.FromJson(h.NetworkJson);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Checkpoint '{path}' holds an unreadable network specification: {ex.Message}", ex);
        }
        if (!saved.Equals(_spec))
            throw new InvalidOperationException($"Checkpoint '{path}' was written for network '{saved.Name}' ({saved.InputSize} inputs, {saved.EmbeddingDimension}-d embedding), not for the configured '{_spec.Name}' ({_spec.InputSize} inputs, {_spec.EmbeddingDimension}-d).");
        if (h.Loss != _options.Loss.ToString())
            throw new InvalidOperationException($"Checkpoint '{path}' was written with loss {h.Loss}, not {_options.Loss}.");
        if (h.WeightAveragingDecay != _options.WeightAveragingDecay)
            throw new InvalidOperationException($"Checkpoint '{path}' was written with WeightAveragingDecay {h.WeightAveragingDecay.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not {_options.WeightAveragingDecay.ToString(System.Globalization.CultureInfo.InvariantCulture)}; resume with the same setting.");
        if (_averaged is not null && checkpoint.AveragedNetworkState.Length == 0)
            throw new InvalidDataException($"Checkpoint '{path}' declares weight averaging but holds no averaged weights.");
        if (h.Iteration > _options.Iterations)
            throw new InvalidOperationException($"Checkpoint '{path}' is at iteration {h.Iteration}, past the configured {_options.Iterations} iterations.");
        try
        {
            LoadModule(Network, checkpoint.NetworkState);
            if (Head is not null) LoadModule(Head, checkpoint.HeadState);
            if (_averaged is not null) LoadModule(_averaged, checkpoint.AveragedNetworkState);
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
        LastCheckpoint = path;
    }

    private static byte[] SaveModule(nn.Module module)
    {
        using var stream = new MemoryStream();
        module.save(stream);
        return stream.ToArray();
    }

    private static void LoadModule(nn.Module module, byte[] state)
    {
        using var stream = new MemoryStream(state);
        module.load(stream);
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
        _averaged?.Dispose();
        Network.Dispose();
    }
}
