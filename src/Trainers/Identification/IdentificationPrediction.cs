namespace MLNet.Siamese.Identification;

/// <summary>Output row of an identifier for <c>PredictionEngine</c> (see <see cref="IdentificationColumns"/>).</summary>
public sealed class IdentificationPrediction
{
    /// <summary>Ids of the k nearest gallery rows, nearest first.</summary>
    public string[] NeighborIds { get; set; } = [];

    /// <summary>Their labels.</summary>
    public string[] NeighborLabels { get; set; } = [];

    /// <summary>Their distances, ascending.</summary>
    public float[] NeighborDistances { get; set; } = [];

    /// <summary>One value: the nearest distance.</summary>
    public float[] Distance { get; set; } = [];

    /// <summary>One value: whether the nearest distance is within the threshold.</summary>
    public bool[] IsKnown { get; set; } = [];

    /// <summary>One value: the answer, or the identifier's unknown label.</summary>
    public string[] PredictedLabel { get; set; } = [];

    /// <summary>One value: 1 - the calibration impostors' false-accept rate at this distance.</summary>
    public float[] Confidence { get; set; } = [];
}
