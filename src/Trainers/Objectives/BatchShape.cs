namespace MLNet.Siamese.Objectives;

/// <summary>What an objective trains on at every step: the kind of batch and its sizes.</summary>
/// <param name="Kind">The kind of batch.</param>
/// <param name="Count">Pairs or triplets per step (<see cref="BatchKind.Pairs"/>, <see cref="BatchKind.Triplets"/>).</param>
/// <param name="Classes">Classes per step (<see cref="BatchKind.ClassBatch"/>, <see cref="BatchKind.Episode"/>).</param>
/// <param name="ItemsPerClass">Items of each class (<see cref="BatchKind.ClassBatch"/>), or support items of each class (<see cref="BatchKind.Episode"/>).</param>
/// <param name="Queries">Query items of each class (<see cref="BatchKind.Episode"/>).</param>
/// <param name="OneGroup">
/// <see cref="BatchKind.ClassBatch"/>: draw the classes as an episode's are, all from one group when the trainer's
/// <c>WithinGroup</c> is set and only among classes with <paramref name="ItemsPerClass"/> items; false draws any classes
/// with two items (items repeated when a class has fewer than K).
/// </param>
public sealed record BatchShape(BatchKind Kind, int Count = 0, int Classes = 0, int ItemsPerClass = 0, int Queries = 0, bool OneGroup = false)
{
    /// <summary>Embeddings computed at every step (the throughput unit of progress reports).</summary>
    public int ExamplesPerStep => Kind switch
    {
        BatchKind.Episode => Classes * (ItemsPerClass + Queries),
        BatchKind.ClassBatch when OneGroup => Classes * ItemsPerClass,
        _ => Count,
    };

    /// <summary><paramref name="count"/> balanced pairs per step.</summary>
    /// <param name="count">Pairs per step.</param>
    /// <returns>The shape.</returns>
    public static BatchShape Pairs(int count) => new(BatchKind.Pairs, Count: count);

    /// <summary><paramref name="count"/> random triplets per step.</summary>
    /// <param name="count">Triplets per step.</param>
    /// <returns>The shape.</returns>
    public static BatchShape Triplets(int count) => new(BatchKind.Triplets, Count: count);

    /// <summary>P classes x K items per step.</summary>
    /// <param name="classes">P.</param>
    /// <param name="itemsPerClass">K.</param>
    /// <param name="oneGroup">Draw as an episode is (one group with the trainer's <c>WithinGroup</c>); see <see cref="OneGroup"/>.</param>
    /// <param name="count">Reported examples per step when not <paramref name="oneGroup"/> (the configured batch size).</param>
    /// <returns>The shape.</returns>
    public static BatchShape ClassBatch(int classes, int itemsPerClass, bool oneGroup, int count = 0)
        => new(BatchKind.ClassBatch, Count: count, Classes: classes, ItemsPerClass: itemsPerClass, OneGroup: oneGroup);

    /// <summary>An N-way episode of <paramref name="shots"/> support items and <paramref name="queries"/> queries per class.</summary>
    /// <param name="ways">N.</param>
    /// <param name="shots">Support items per class.</param>
    /// <param name="queries">Queries per class.</param>
    /// <returns>The shape.</returns>
    public static BatchShape Episode(int ways, int shots, int queries) => new(BatchKind.Episode, Classes: ways, ItemsPerClass: shots, Queries: queries);
}
