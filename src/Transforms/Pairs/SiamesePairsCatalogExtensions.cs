using MLNet.Siamese.Transforms;

namespace MLNet.Siamese;

/// <summary>Pair and triplet generators on <see cref="SiameseCatalog"/>: <c>mlContext.Siamese().GeneratePairs(...)</c>.</summary>
public static class SiamesePairsCatalogExtensions
{
    /// <summary>
    /// Makes balanced similar and dissimilar pairs of labelled rows for training a Siamese network: outputs the Boolean
    /// <c>Label</c> (true = same class), <c>LeftLabel</c>/<c>RightLabel</c>, and <c>Left</c>C/<c>Right</c>C for each C of
    /// <paramref name="columnsToPair"/>. See <see cref="PairGeneratorEstimator"/>.
    /// </summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="labelColumnName">The label column (scalar text, key, boolean or number); rows with a missing label are skipped.</param>
    /// <param name="columnsToPair">The columns carried into each pair, of any type; null means { "Features" }.</param>
    /// <param name="pairCount">The number of pairs, greater than 0.</param>
    /// <param name="similarFraction">The fraction of similar pairs, in [0, 1]; exactly round(pairCount * similarFraction) are similar.</param>
    /// <param name="seed">The seed of the draws; null draws one from the MLContext's random source.</param>
    /// <param name="groupColumnName">The group column, needed when <paramref name="withinGroupDissimilar"/> is true.</param>
    /// <param name="withinGroupDissimilar">When true, dissimilar pairs are two labels of the same group.</param>
    /// <returns>The pair generator estimator.</returns>
    public static PairGeneratorEstimator GeneratePairs(this SiameseCatalog catalog, string labelColumnName = "Label",
        string[]? columnsToPair = null, int pairCount = 1000, double similarFraction = 0.5, int? seed = null,
        string? groupColumnName = null, bool withinGroupDissimilar = false)
        => GeneratePairs(catalog, new PairGeneratorOptions
        {
            LabelColumnName = labelColumnName,
            ColumnsToPair = columnsToPair ?? ["Features"],
            PairCount = pairCount,
            SimilarFraction = similarFraction,
            Seed = seed,
            GroupColumnName = groupColumnName,
            WithinGroupDissimilar = withinGroupDissimilar,
        });

    /// <summary>Makes balanced similar and dissimilar pairs of labelled rows, with all options. See <see cref="PairGeneratorEstimator"/>.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="options">The options; copied, so later changes do not affect the estimator.</param>
    /// <returns>The pair generator estimator.</returns>
    public static PairGeneratorEstimator GeneratePairs(this SiameseCatalog catalog, PairGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PairGeneratorEstimator(catalog.Context, options);
    }

    /// <summary>
    /// Makes (anchor, positive, negative) triplets of labelled rows for triplet-loss training: outputs <c>Anchor</c>C,
    /// <c>Positive</c>C and <c>Negative</c>C for the label column and each C of <paramref name="columnsToCarry"/>.
    /// See <see cref="TripletGeneratorEstimator"/>.
    /// </summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="labelColumnName">The label column (scalar text, key, boolean or number); rows with a missing label are skipped.</param>
    /// <param name="columnsToCarry">The columns carried into each triplet, of any type; null means { "Features" }.</param>
    /// <param name="tripletCount">The number of triplets, greater than 0.</param>
    /// <param name="seed">The seed of the draws; null draws one from the MLContext's random source.</param>
    /// <param name="groupColumnName">The group column, needed when <paramref name="withinGroupNegatives"/> is true.</param>
    /// <param name="withinGroupNegatives">When true, each negative's label is in the anchor's group.</param>
    /// <returns>The triplet generator estimator.</returns>
    public static TripletGeneratorEstimator GenerateTriplets(this SiameseCatalog catalog, string labelColumnName = "Label",
        string[]? columnsToCarry = null, int tripletCount = 1000, int? seed = null, string? groupColumnName = null,
        bool withinGroupNegatives = false)
        => GenerateTriplets(catalog, new TripletGeneratorOptions
        {
            LabelColumnName = labelColumnName,
            ColumnsToCarry = columnsToCarry ?? ["Features"],
            TripletCount = tripletCount,
            Seed = seed,
            GroupColumnName = groupColumnName,
            WithinGroupNegatives = withinGroupNegatives,
        });

    /// <summary>Makes (anchor, positive, negative) triplets of labelled rows, with all options. See <see cref="TripletGeneratorEstimator"/>.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="options">The options; copied, so later changes do not affect the estimator.</param>
    /// <returns>The triplet generator estimator.</returns>
    public static TripletGeneratorEstimator GenerateTriplets(this SiameseCatalog catalog, TripletGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TripletGeneratorEstimator(catalog.Context, options);
    }
}
