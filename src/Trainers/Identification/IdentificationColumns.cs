namespace MLNet.Siamese.Identification;

/// <summary>
/// The columns an identifier adds. ML.NET binds the ONNX batch dimension to 1, so per-query values are vectors of
/// length 1 and per-neighbour values vectors of length k.
/// </summary>
public static class IdentificationColumns
{
    /// <summary>Text, k values: ids of the k nearest gallery rows, nearest first.</summary>
    public const string NeighborIds = "NeighborIds";

    /// <summary>Text, k values: their labels.</summary>
    public const string NeighborLabels = "NeighborLabels";

    /// <summary>Single, k values: their Euclidean distances, ascending.</summary>
    public const string NeighborDistances = "NeighborDistances";

    /// <summary>Single, 1 value: the distance to the nearest gallery row.</summary>
    public const string Distance = "Distance";

    /// <summary>Boolean, 1 value: the nearest distance is at most the identifier's threshold.</summary>
    public const string IsKnown = "IsKnown";

    /// <summary>Text, 1 value: the nearest row's label when known, else the identifier's unknown label.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>
    /// Single, 1 value: 1 minus the fraction of calibration impostor queries (classes not in the gallery) that came at
    /// least this close; near 1 means an impostor rarely gets this close.
    /// </summary>
    public const string Confidence = "Confidence";
}
