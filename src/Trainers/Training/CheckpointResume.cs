using System.Globalization;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The resume policy: a checkpoint continues a run only if it was written for the same network, loss and weight
/// averaging and is not past the configured iterations; then its weights, optimizer and random state are restored.
/// </summary>
internal static class CheckpointResume
{
    public static void Check(TrainingCheckpoint checkpoint, string path, SiameseTrainerOptions options, NetworkSpec spec, bool averaging)
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
        if (!saved.Equals(spec))
            throw new InvalidOperationException($"Checkpoint '{path}' was written for network '{saved.Name}' ({saved.InputSize} inputs, {saved.EmbeddingDimension}-d embedding), not for the configured '{spec.Name}' ({spec.InputSize} inputs, {spec.EmbeddingDimension}-d).");
        if (h.Loss != options.Loss.ToString())
            throw new InvalidOperationException($"Checkpoint '{path}' was written with loss {h.Loss}, not {options.Loss}.");
        if (h.WeightAveragingDecay != options.WeightAveragingDecay)
            throw new InvalidOperationException($"Checkpoint '{path}' was written with WeightAveragingDecay {h.WeightAveragingDecay.ToString(CultureInfo.InvariantCulture)}, not {options.WeightAveragingDecay.ToString(CultureInfo.InvariantCulture)}; resume with the same setting.");
        if (averaging && checkpoint.AveragedNetworkState.Length == 0)
            throw new InvalidDataException($"Checkpoint '{path}' declares weight averaging but holds no averaged weights.");
        if (h.Iteration > options.Iterations)
            throw new InvalidOperationException($"Checkpoint '{path}' is at iteration {h.Iteration}, past the configured {options.Iterations} iterations.");
    }
}
