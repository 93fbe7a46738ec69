namespace MLNet.Siamese.Evaluation;

/// <summary>Settings of random N-way K-shot episodes for <see cref="OneShotEvaluator"/>.</summary>
public sealed class OneShotEpisodeOptions
{
    /// <summary>N: classes per episode (at least 2). Default 20, the Omniglot 20-way protocol.</summary>
    public int Ways { get; set; } = 20;

    /// <summary>K: support items per class (at least 1). Default 1 (one-shot).</summary>
    public int Shots { get; set; } = 1;

    /// <summary>Query items per class per episode (at least 1). Default 1.</summary>
    public int QueriesPerClass { get; set; } = 1;

    /// <summary>Number of episodes (at least 1). Default 1000.</summary>
    public int Episodes { get; set; } = 1000;

    /// <summary>Seed of the episode sampler: the same seed, data and options give the same episodes. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// When true, the N classes of an episode all come from one group (the within-alphabet protocol of Omniglot):
    /// the group is drawn uniformly among the groups that have at least N classes with at least
    /// <see cref="Shots"/> + <see cref="QueriesPerClass"/> items. Requires groups. Default false.
    /// </summary>
    public bool SameGroup { get; set; }
}
