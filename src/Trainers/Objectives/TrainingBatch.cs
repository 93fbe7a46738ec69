namespace MLNet.Siamese.Objectives;

/// <summary>
/// One drawn batch, by index into the training items: the rows to embed, in order, and what the objective needs to
/// turn their embeddings into a loss.
/// </summary>
/// <param name="Items">
/// The items to embed: pairs as all left items then all right items; triplets as anchors, positives, negatives; a class
/// batch class-major; an episode as its support (class-major) then its queries.
/// </param>
public sealed record TrainingBatch(long[] Items)
{
    /// <summary>Pairs: 1 for a same-class pair, 0 otherwise, one per pair.</summary>
    public float[]? Similar { get; init; }

    /// <summary>Class batches and episodes: a class id for every item of <see cref="Items"/> (equal ids, same class).</summary>
    public long[]? Labels { get; init; }

    /// <summary>Episodes: the number of support items at the start of <see cref="Items"/>.</summary>
    public int SupportCount { get; init; }

    /// <summary>Episodes: the number of classes.</summary>
    public int Ways { get; init; }

    /// <summary>Episodes: the class (0..<see cref="Ways"/>-1) of every query.</summary>
    public long[]? QueryTarget { get; init; }
}
