namespace MLNet.Siamese.Trainers;

/// <summary>Reads the input values of one item (row) of a set of training or validation items.</summary>
/// <param name="row">The item's row.</param>
/// <returns>Its values, at the network's input size.</returns>
internal delegate ReadOnlySpan<float> ItemReader(long row);
