namespace MLNet.Siamese.Cli.Commands;

internal static partial class TrainCommand
{
    /// <summary>What the command line gave; null where an option was left out (the recipe's value stands).</summary>
    internal sealed class TrainSettings
    {
        public required string[] Data { get; init; }
        public int LabelDepth { get; init; }
        public required string Recipe { get; init; }
        public string? Network { get; init; }
        public string? Loss { get; init; }
        public int? EmbeddingDimension { get; init; }
        public float? Margin { get; init; }
        public float? LearningRate { get; init; }
        public string? Schedule { get; init; }
        public double? WeightAveraging { get; init; }
        public string? TestTimeViews { get; init; }
        public double? Spread { get; init; }
        public bool NoAugment { get; init; }
        public int? ImageSize { get; init; }
        public string? Backbone { get; init; }
        public int? FineTune { get; init; }
        public string? BackboneFeatures { get; init; }
        public string? MirrorViews { get; init; }
        public string? Whitening { get; init; }
        public int? Iterations { get; init; }
        public int? BatchSize { get; init; }
        public int? Ways { get; init; }
        public int Seed { get; init; }
        public string? Checkpoint { get; init; }
        public int? CheckpointInterval { get; init; }
        public string? Resume { get; init; }
        public bool ResumeChanged { get; init; }
        public required string Output { get; init; }
    }
}
