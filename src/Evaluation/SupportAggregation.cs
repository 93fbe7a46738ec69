namespace MLNet.Siamese.Evaluation;

/// <summary>How <see cref="EmbeddingMatcher"/> compares a query with a class that has K &gt; 1 support items (for K = 1 both are the same).</summary>
public enum SupportAggregation
{
    /// <summary>
    /// Distance to the class prototype, the mean of its K support embeddings (prototypical networks, Snell et al.
    /// 2017); for the cosine distance the mean of the normalised embeddings is normalised again. The default.
    /// </summary>
    Prototype = 0,

    /// <summary>Distance to the nearest of the K support embeddings (1-nearest-neighbour).</summary>
    NearestSupport = 1,
}
