namespace MLNet.Siamese.AI;

/// <summary>
/// One enrolled item as a vector-store record: key <see cref="Id"/>, data <see cref="Label"/>, vector
/// <see cref="Embedding"/>. Describe it to a store with <see cref="GalleryRecords.Definition"/> (the dimension is the
/// model's, known only at run time).
/// </summary>
public sealed class GalleryRecord
{
    /// <summary>The item's unique id (for image galleries, its path).</summary>
    public string Id { get; set; } = "";

    /// <summary>The item's label (class, person, signer...).</summary>
    public string Label { get; set; } = "";

    /// <summary>The item's embedding.</summary>
    public ReadOnlyMemory<float> Embedding { get; set; }
}
