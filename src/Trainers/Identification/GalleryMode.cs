namespace MLNet.Siamese.Identification;

/// <summary>What a query is compared with.</summary>
public enum GalleryMode
{
    /// <summary>Every enrolled item (nearest-neighbour identification).</summary>
    Items,

    /// <summary>One prototype per class, the mean of its items' embeddings (nearest-class-mean identification).</summary>
    Prototypes,
}
