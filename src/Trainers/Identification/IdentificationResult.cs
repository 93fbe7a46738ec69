namespace MLNet.Siamese.Identification;

/// <summary>The answer of an identifier for one query (see <see cref="IdentificationColumns"/>).</summary>
/// <param name="NeighborIds">Ids of the k nearest gallery rows, nearest first.</param>
/// <param name="NeighborLabels">Their labels.</param>
/// <param name="NeighborDistances">Their distances, ascending.</param>
/// <param name="Distance">The nearest distance.</param>
/// <param name="IsKnown">Whether the nearest distance is within the threshold.</param>
/// <param name="PredictedLabel">The nearest label, or the unknown label.</param>
/// <param name="Confidence">1 - the calibration impostors' false-accept rate at <paramref name="Distance"/>.</param>
public sealed record IdentificationResult(string[] NeighborIds, string[] NeighborLabels, float[] NeighborDistances, float Distance, bool IsKnown, string PredictedLabel, float Confidence);
