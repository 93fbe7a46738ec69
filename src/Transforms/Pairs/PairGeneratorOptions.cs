namespace MLNet.Siamese.Transforms;

/// <summary>Options of <see cref="PairGeneratorEstimator"/>: which columns to read and how many pairs to draw.</summary>
public sealed class PairGeneratorOptions
{
    /// <summary>The label column: the class of each row. Scalar text, key, boolean, integer or floating-point.
    /// Rows with a missing label (empty or white-space text, key value 0, NaN) are skipped. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The columns carried into each pair, of any type: each column C gives the output columns
    /// <see cref="LeftPrefix"/> + C and <see cref="RightPrefix"/> + C. Default { "Features" }.</summary>
    public IList<string> ColumnsToPair { get; set; } = ["Features"];

    /// <summary>The number of pairs (output rows), greater than 0. Default 1000.</summary>
    public int PairCount { get; set; } = 1000;

    /// <summary>The fraction of similar pairs, in [0, 1]: exactly round(<see cref="PairCount"/> * SimilarFraction) pairs
    /// (halves rounded away from zero) are similar, the rest dissimilar. Default 0.5.</summary>
    public double SimilarFraction { get; set; } = 0.5;

    /// <summary>The seed of the draws: the same seed gives the same pairs from the same data. When null, a seed is drawn
    /// from the <c>MLContext</c>'s random source at <see cref="PairGeneratorEstimator.Fit"/>, so an <c>MLContext</c> made with
    /// a seed still gives reproducible pairs. Default null.</summary>
    public int? Seed { get; set; }

    /// <summary>An optional group column (e.g. the alphabet of an Omniglot character), read only when
    /// <see cref="WithinGroupDissimilar"/> is true; each label must belong to one group. Default null.</summary>
    public string? GroupColumnName { get; set; }

    /// <summary>When true, each dissimilar pair is two different labels of the same group (the harder Omniglot protocol):
    /// a group is drawn uniformly among the groups with two or more labels, then two of its labels, as the trainer's
    /// sampler does; needs <see cref="GroupColumnName"/>. Rows with a missing group are then skipped. Default false.</summary>
    public bool WithinGroupDissimilar { get; set; }

    /// <summary>The prefix of the output columns of the first item of each pair. Default "Left".</summary>
    public string LeftPrefix { get; set; } = "Left";

    /// <summary>The prefix of the output columns of the second item of each pair. Default "Right".</summary>
    public string RightPrefix { get; set; } = "Right";

    /// <summary>The Boolean output column that is true for a similar pair (same label). Default "Label".</summary>
    public string OutputLabelColumnName { get; set; } = "Label";
}
