using Microsoft.ML.Data;

namespace MLNet.Siamese.Index;

/// <summary>Output row of a <see cref="NearestNeighborsTransformer"/> for a PredictionEngine or <c>CreateEnumerable</c>.</summary>
public sealed class NearestNeighborsPrediction
{
    /// <summary>Name of the column of neighbour ids (vector of text, nearest first).</summary>
    public const string IdsColumnName = "NeighborIds";

    /// <summary>Name of the column of neighbour labels (vector of text, nearest first).</summary>
    public const string LabelsColumnName = "NeighborLabels";

    /// <summary>Name of the column of neighbour distances (vector of Single, ascending).</summary>
    public const string DistancesColumnName = "NeighborDistances";

    /// <summary>The ids of the k nearest gallery items, nearest first.</summary>
    [ColumnName(IdsColumnName)]
    public string[] NeighborIds { get; set; } = [];

    /// <summary>The labels of the k nearest gallery items, nearest first.</summary>
    [ColumnName(LabelsColumnName)]
    public string[] NeighborLabels { get; set; } = [];

    /// <summary>The distances to the k nearest gallery items, ascending.</summary>
    [ColumnName(DistancesColumnName)]
    public float[] NeighborDistances { get; set; } = [];
}
