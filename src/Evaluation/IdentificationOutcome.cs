namespace MLNet.Siamese.Evaluation;

/// <summary>
/// What an identifier answered for one query of an open-set test: the query's true label, whether that label is
/// enrolled (a mate is in the gallery), and the labels of its nearest gallery rows with the nearest distance.
/// </summary>
/// <param name="TrueLabel">The query's class.</param>
/// <param name="IsEnrolled">True when the class is in the gallery (a "known" query); false for an impostor.</param>
/// <param name="NeighborLabels">Labels of the nearest gallery rows, nearest first (at least one).</param>
/// <param name="Distance">The distance to the nearest gallery row.</param>
public sealed record IdentificationOutcome(string TrueLabel, bool IsEnrolled, IReadOnlyList<string> NeighborLabels, float Distance);
