namespace MLNet.Siamese.Objectives;

/// <summary>The kind of batch a <see cref="ITrainingObjective"/> is trained on.</summary>
public enum BatchKind
{
    /// <summary>Balanced random pairs: half of one class, half of two classes (or explicit pairs as given).</summary>
    Pairs,

    /// <summary>Random triplets: anchor, positive of its class, negative of another class.</summary>
    Triplets,

    /// <summary>P classes x K items of each, class-major, with the class of every item (the layout of batch-wise miners).</summary>
    ClassBatch,

    /// <summary>An N-way episode: K support items and Q queries of each of N classes.</summary>
    Episode,
}
