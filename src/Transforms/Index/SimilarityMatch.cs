namespace MLNet.Siamese.Index;

/// <summary>One result of a <see cref="SimilarityIndex"/> search.</summary>
/// <param name="Id">The id of the gallery item.</param>
/// <param name="Label">The label of the gallery item (for example its class).</param>
/// <param name="Distance">The distance from the query to the item, in the index's <see cref="VectorDistance"/>.</param>
public readonly record struct SimilarityMatch(string Id, string Label, float Distance);
