namespace MLNet.Siamese.Objectives;

/// <summary>Settings of the multi-similarity loss and its miner (Wang et al. 2019), with pytorch-metric-learning's defaults.</summary>
public sealed record MultiSimilaritySettings
{
    /// <summary>Weight of positive pairs (alpha). Default 2.</summary>
    public double Alpha { get; init; } = 2;

    /// <summary>Weight of negative pairs (beta). Default 50.</summary>
    public double Beta { get; init; } = 50;

    /// <summary>The similarity margin (lambda, "base"). Default 0.5.</summary>
    public double Base { get; init; } = 0.5;

    /// <summary>The miner's margin (epsilon). Default 0.1.</summary>
    public double Epsilon { get; init; } = 0.1;
}
