using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Checkpoints;

/// <summary>
/// What makes a training run the run it is, recorded in every checkpoint (<see cref="CheckpointHeader.RunFingerprint"/>)
/// and compared on resume: a SHA-256 of the training data as the network sees it (every value and every label) and
/// each option that changes the result (learning rate and schedule, Adam betas, batch, margin, mining, episode shape,
/// augmentation, class copies). The network, loss, seed and weight averaging are checked separately by the run itself;
/// <see cref="SiameseTrainerOptions.Iterations"/> may grow on resume, to continue a run further.
/// </summary>
internal static class RunFingerprint
{
    /// <summary>Floats hashed per call (1 GB), well under the 2 GB a span of bytes can hold.</summary>
    internal const int HashSlice = 1 << 28;

    /// <summary>The fingerprint of a run about to train on <paramref name="features"/> with <paramref name="labels"/>; <paramref name="hashSlice"/> (floats hashed per call) only changes how, not what.</summary>
    public static Dictionary<string, string> Compute(SiameseTrainerOptions options, float[] features, int itemCount, ReadOnlySpan<int> labels, ReadOnlySpan<float> pairLabels, int hashSlice = HashSlice)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(itemCount));
        // In slices: a span of bytes holds at most 2 GB, and photos' pixels pass that (30,000 at 112 px are 4.5 GB).
        for (long start = 0; start < features.LongLength; start += hashSlice)
            hash.AppendData(MemoryMarshal.AsBytes(features.AsSpan((int)start, (int)Math.Min(hashSlice, features.LongLength - start))));
        hash.AppendData(MemoryMarshal.AsBytes(labels));
        hash.AppendData(MemoryMarshal.AsBytes(pairLabels));
        static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = $"{itemCount} items, SHA-256 {Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}",
            ["learning rate"] = F(options.LearningRate),
            ["learning-rate schedule"] = options.LearningRateSchedule.ToString(),
            ["beta1"] = F(options.Beta1),
            ["beta2"] = F(options.Beta2),
            ["batch size"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["margin"] = F(options.Margin),
            ["batch-hard mining"] = options.BatchHardMining.ToString(),
            ["ways"] = options.Ways.ToString(CultureInfo.InvariantCulture),
            ["shots"] = options.Shots.ToString(CultureInfo.InvariantCulture),
            ["queries"] = options.Queries.ToString(CultureInfo.InvariantCulture),
            ["within group"] = options.WithinGroup.ToString(),
            ["augmentation"] = options.Augmentation?.ToString() ?? "none",
            ["rotated classes"] = options.RotatedClasses.ToString(),
            ["mirrored classes"] = options.MirroredClasses.ToString(),
        };
    }

    /// <summary>
    /// Refuses to resume from a checkpoint written by a different run, naming every difference, unless
    /// <paramref name="acceptChanges"/>. A checkpoint without a fingerprint (written before it was recorded) is accepted.
    /// </summary>
    /// <exception cref="InvalidOperationException">The runs differ; the message names the file and each difference.</exception>
    public static void CheckResume(CheckpointHeader saved, IReadOnlyDictionary<string, string> current, string path, bool acceptChanges)
    {
        if (saved.RunFingerprint is null || acceptChanges)
            return;
        var differences = current.Keys.Union(saved.RunFingerprint.Keys, StringComparer.Ordinal)
            .Where(k => !string.Equals(saved.RunFingerprint.GetValueOrDefault(k), current.GetValueOrDefault(k), StringComparison.Ordinal))
            .Select(k => $"{k}: {saved.RunFingerprint.GetValueOrDefault(k) ?? "(not recorded)"} then, {current.GetValueOrDefault(k) ?? "(not recorded)"} now")
            .ToList();
        if (differences.Count > 0)
            throw new InvalidOperationException($"Checkpoint '{path}' was written by a different run ({string.Join("; ", differences)}); "
                + "resume with the same data and options, or accept the change knowingly (--resume-changed; SiameseTrainerOptions.AcceptChangedRunOnResume).");
    }
}
