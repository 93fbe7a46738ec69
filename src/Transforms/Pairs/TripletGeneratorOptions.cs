namespace MLNet.Siamese.Transforms;

/// <summary>Options of <see cref="TripletGeneratorEstimator"/>: which columns to read and how many triplets to draw.</summary>
public sealed class TripletGeneratorOptions
{
    /// <summary>The label column: the class of each row. Scalar text, key, boolean, integer or floating-point.
    /// Rows with a missing label (empty or white-space text, key value 0, NaN) are skipped. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The columns carried into each triplet, of any type: each column C gives the output columns
    /// <see cref="AnchorPrefix"/> + C, <see cref="PositivePrefix"/> + C and <see cref="NegativePrefix"/> + C. Default { "Features" }.</summary>
    public IList<string> ColumnsToCarry { get; set; } = ["Features"];

    /// <summary>The number of triplets (output rows), greater than 0. Default 1000.</summary>
    public int TripletCount { get; set; } = 1000;

    /// <summary>The seed of the draws: the same seed gives the same triplets from the same data. When null, a seed is drawn
    /// from the <c>MLContext</c>'s random source at <see cref="TripletGeneratorEstimator.Fit"/>. Default null.</summary>
    public int? Seed { get; set; }

    /// <summary>An optional group column (e.g. the alphabet of an Omniglot character), read only when
    /// <see cref="WithinGroupNegatives"/> is true; each label must belong to one group. Default null.</summary>
    public string? GroupColumnName { get; set; }

    /// <summary>When true, each negative has a label of the anchor's group, other than the anchor's label;
    /// needs <see cref="GroupColumnName"/>. Rows with a missing group are then skipped. Default false.</summary>
    public bool WithinGroupNegatives { get; set; }

    /// <summary>The prefix of the output columns of the anchor. Default "Anchor".</summary>
    public string AnchorPrefix { get; set; } = "Anchor";

    /// <summary>The prefix of the output columns of the positive (same label as the anchor, another row). Default "Positive".</summary>
    public string PositivePrefix { get; set; } = "Positive";

    /// <summary>The prefix of the output columns of the negative (another label). Default "Negative".</summary>
    public string NegativePrefix { get; set; } = "Negative";
}
