using Microsoft.ML.Data;

namespace MLNet.Siamese.Index;

/// <summary>The input row of the custom mapping inside <see cref="NearestNeighborsTransformer"/> (the column is renamed by a schema definition).</summary>
internal sealed class NeighborMappingInput
{
    public float[] Embedding { get; set; } = [];
}

/// <summary>The output row of the custom mapping inside <see cref="NearestNeighborsTransformer"/>.</summary>
internal sealed class NeighborMappingOutput
{
    [ColumnName(NearestNeighborsPrediction.IdsColumnName)]
    public string[] NeighborIds { get; set; } = [];

    [ColumnName(NearestNeighborsPrediction.LabelsColumnName)]
    public string[] NeighborLabels { get; set; } = [];

    [ColumnName(NearestNeighborsPrediction.DistancesColumnName)]
    public float[] NeighborDistances { get; set; } = [];
}
