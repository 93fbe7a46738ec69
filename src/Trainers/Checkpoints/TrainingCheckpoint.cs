using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MLNet.Siamese.Checkpoints;

/// <summary>
/// A training checkpoint: everything needed to continue a run exactly where it stopped.
/// </summary>
/// <remarks>
/// File format (little-endian), version 2 (version 1, still read, lacks the averaged weights):
/// <code>
/// "MLNSCKPT"                      8 bytes magic
/// int32 version                   2
/// int32 n, n bytes                UTF-8 JSON header: iteration, random state, loss history, network and loss settings
/// int32 n, n bytes                network weights (TorchSharp Module.save format)
/// int32 n, n bytes                pair head weights, or n = 0 when the loss has no head
/// int32 n, n bytes                Adam state (TorchSharp save_state_dict format)
/// int32 n, n bytes                averaged network weights (Module.save format), or n = 0 without weight averaging
/// 32 bytes                        SHA-256 of everything above
/// </code>
/// Files are written to a new, exclusively created temporary file with a random name in the same folder (never
/// through a planted link; <see cref="MLNet.Siamese.Files.SafeFileOutput"/>), flushed to disk and renamed over the target, so a
/// crash during a write never replaces the previous checkpoint with a partial one. Reading checks the magic, the
/// version, every length and the hash before anything is used.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    private static readonly byte[] Magic = "MLNSCKPT"u8.ToArray();

    /// <summary>The format version this library writes; it reads this one and version 1.</summary>
    public const int FormatVersion = 2;

    /// <summary>The oldest format version this library reads (no averaged weights).</summary>
    public const int OldestReadableFormatVersion = 1;

    /// <summary>The header: iteration, random state and settings.</summary>
    public required CheckpointHeader Header { get; init; }

    /// <summary>
    /// The moving average of the network weights (<see cref="Trainers.SiameseTrainerOptions.WeightAveragingDecay"/>), or
    /// empty when the run does not average.
    /// </summary>
    public byte[] AveragedNetworkState { get; init; } = [];

    /// <summary>Network weights.</summary>
    public required byte[] NetworkState { get; init; }

    /// <summary>Pair head weights (empty when the loss has no head).</summary>
    public required byte[] HeadState { get; init; }

    /// <summary>Optimizer state.</summary>
    public required byte[] OptimizerState { get; init; }

    /// <summary>Writes the checkpoint atomically to <paramref name="path"/>.</summary>
    /// <param name="path">Target file.</param>
    public void Save(string path)
    {
        MLNet.Siamese.Files.SafeFileOutput.Write(path, file =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Write(ReadOnlySpan<byte> bytes)
            {
                file.Write(bytes);
                hash.AppendData(bytes);
            }
            void WriteBlock(byte[] bytes)
            {
                Write(BitConverter.GetBytes(bytes.Length));
                Write(bytes);
            }
            Write(Magic);
            Write(BitConverter.GetBytes(FormatVersion));
            WriteBlock(JsonSerializer.SerializeToUtf8Bytes(Header));
            WriteBlock(NetworkState);
            WriteBlock(HeadState);
            WriteBlock(OptimizerState);
            WriteBlock(AveragedNetworkState);
            file.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>Reads and verifies a checkpoint.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, tampered with, or of another format or version; the message names the file.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        byte[] all = File.ReadAllBytes(path);
        const int trailer = 32;
        if (all.Length < Magic.Length + 4 + trailer || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"Checkpoint '{path}' is not an MLNet.Siamese checkpoint (wrong magic or too short: {all.Length} bytes).");
        int version = BitConverter.ToInt32(all, Magic.Length);
        if (version is < OldestReadableFormatVersion or > FormatVersion)
            throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this library reads versions {OldestReadableFormatVersion} to {FormatVersion}.");
        int bodyLength = all.Length - trailer;
        if (!SHA256.HashData(all.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(all.AsSpan(all.Length - trailer)))
            throw new InvalidDataException($"Checkpoint '{path}' is truncated or corrupt (its SHA-256 does not match its content).");
        int offset = Magic.Length + 4;
        byte[] ReadBlock(string name)
        {
            if (offset + 4 > bodyLength) throw new InvalidDataException($"Checkpoint '{path}' is truncated in its {name}.");
            int n = BitConverter.ToInt32(all, offset);
            offset += 4;
            if (n < 0 || offset + n > bodyLength) throw new InvalidDataException($"Checkpoint '{path}' declares a {name} of {n} bytes that the file does not hold.");
            var block = all.AsSpan(offset, n).ToArray();
            offset += n;
            return block;
        }
        var headerBytes = ReadBlock("header");
        CheckpointHeader header;
        try
        {
            header = JsonSerializer.Deserialize<CheckpointHeader>(headerBytes) ?? throw new InvalidDataException($"Checkpoint '{path}' has an empty header.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has an unreadable header: {ex.Message}", ex);
        }
        var network = ReadBlock("network state");
        var head = ReadBlock("head state");
        var optimizer = ReadBlock("optimizer state");
        var averaged = version >= 2 ? ReadBlock("averaged network state") : [];
        if (offset != bodyLength) throw new InvalidDataException($"Checkpoint '{path}' has {bodyLength - offset} unexpected bytes after its last block.");
        return new TrainingCheckpoint { Header = header, NetworkState = network, HeadState = head, OptimizerState = optimizer, AveragedNetworkState = averaged };
    }

    /// <summary>The file name of the checkpoint of a given iteration, e.g. "checkpoint-000500.mlnsckpt".</summary>
    /// <param name="iteration">The iteration.</param>
    /// <returns>The file name.</returns>
    public static string FileName(int iteration) => CheckpointFileName.Of(iteration);

    /// <summary>The newest checkpoint in <paramref name="directory"/> that reads back intact, or null.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>Its path, or null when there is none.</returns>
    public static string? FindLatestValid(string directory)
    {
        foreach (var file in CheckpointFileName.NewestFirst(directory))
        {
            try
            {
                Load(file);
                return file;
            }
            catch (InvalidDataException)
            {
            }
        }
        return null;
    }
}

/// <summary>The JSON header of a <see cref="TrainingCheckpoint"/>.</summary>
internal sealed class CheckpointHeader
{
    /// <summary>Iterations completed when the checkpoint was written.</summary>
    public int Iteration { get; set; }

    /// <summary>Iterations the run was configured for.</summary>
    public int TotalIterations { get; set; }

    /// <summary>State of the sampling and augmentation generator.</summary>
    public ulong[] RandomState { get; set; } = Array.Empty<ulong>();

    /// <summary>Loss of every completed iteration.</summary>
    public List<float> LossHistory { get; set; } = new();

    /// <summary>The network specification (JSON).</summary>
    public string NetworkJson { get; set; } = string.Empty;

    /// <summary>The loss name.</summary>
    public string Loss { get; set; } = string.Empty;

    /// <summary>Seed of the run.</summary>
    public int Seed { get; set; }

    /// <summary>Validation accuracies recorded so far, by iteration.</summary>
    public List<KeyValuePair<int, double>> Validation { get; set; } = new();

    /// <summary>The run's <see cref="Trainers.SiameseTrainerOptions.WeightAveragingDecay"/> (0: no averaging; absent in version 1).</summary>
    public double WeightAveragingDecay { get; set; }

    /// <summary>
    /// The data and options that make the run what it is (see <c>RunFingerprint</c>), compared on resume; null in
    /// checkpoints written before it was recorded (they still read and resume without the comparison).
    /// </summary>
    public Dictionary<string, string>? RunFingerprint { get; set; }
}
