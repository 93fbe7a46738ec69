using MLNet.Siamese.Index;

namespace MLNet.Siamese;

/// <summary>Adds the nearest-neighbour stage to <see cref="SiameseCatalog"/>.</summary>
public static class SiameseIndexCatalogExtensions
{
    /// <summary>
    /// A stage that adds the <paramref name="k"/> nearest items of <paramref name="index"/> to every row:
    /// <c>NeighborIds</c>, <c>NeighborLabels</c> (text vectors) and <c>NeighborDistances</c> (Single vector), nearest first.
    /// An in-process stage: it cannot be saved into a model zip (see <see cref="NearestNeighborsTransformer"/>).
    /// </summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="index">The gallery; it is searched as it is when rows are read (not copied).</param>
    /// <param name="k">Neighbours per row: 1 .. index.Count.</param>
    /// <param name="embeddingColumnName">The input column of embeddings.</param>
    /// <returns>The estimator; <c>Fit</c> checks the column and returns the transformer.</returns>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1 or above the number of items.</exception>
    public static NearestNeighborsEstimator NearestNeighbors(this SiameseCatalog catalog, SimilarityIndex index, int k, string embeddingColumnName = "Embedding")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrEmpty(embeddingColumnName);
        if (index.Count == 0)
            throw new InvalidOperationException("The similarity index is empty: add the gallery items before building a nearest-neighbour stage.");
        if (k <= 0)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k (the number of neighbours) must be at least 1.");
        if (k > index.Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k = {k} is larger than the number of items in the index (count = {index.Count}).");
        return new NearestNeighborsEstimator(catalog.Context, index, k, embeddingColumnName);
    }
}
