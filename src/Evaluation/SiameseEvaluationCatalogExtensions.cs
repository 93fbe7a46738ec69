using MLNet.Siamese.Evaluation;
using Microsoft.ML;

namespace MLNet.Siamese;

/// <summary>
/// Evaluators on <see cref="SiameseCatalog"/>, reached as <c>mlContext.Siamese().Evaluate(...)</c>, in the style of
/// <c>mlContext.BinaryClassification.Evaluate</c>.
/// </summary>
public static class SiameseEvaluationCatalogExtensions
{
    /// <summary>
    /// Evaluates scored pairs whose score is a similarity (higher = more similar), or a distance when
    /// <paramref name="higherScoreIsSimilar"/> is false.
    /// </summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="data">The scored pairs.</param>
    /// <param name="labelColumnName">The label: Boolean (true = same), or a number where &gt; 0 means same (0/1).</param>
    /// <param name="scoreColumnName">The score: Single or Double, or a vector of length 1 of those (as an ONNX model emits); element 0 is used.</param>
    /// <param name="predictedLabelColumnName">The model's Boolean decision; when the column is absent (or the name null), <paramref name="threshold"/> decides.</param>
    /// <param name="threshold">The decision threshold when there is no predicted label column.</param>
    /// <param name="higherScoreIsSimilar">True for similarities (same when score &gt;= threshold), false for distances (same when score &lt;= threshold).</param>
    /// <returns>The pair metrics; see <see cref="PairMetrics"/>.</returns>
    public static PairMetrics Evaluate(this SiameseCatalog catalog, IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string? predictedLabelColumnName = "PredictedLabel", float threshold = 0.5f, bool higherScoreIsSimilar = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        bool[] labels = DataViewColumns.ReadBooleanLabels(data, labelColumnName, nameof(labelColumnName));
        float[] scores = DataViewColumns.ReadScores(data, scoreColumnName, nameof(scoreColumnName));
        bool[]? predicted = DataViewColumns.ReadOptionalBooleans(data, predictedLabelColumnName, nameof(predictedLabelColumnName));
        return PairMetrics.Compute(scores, labels, predicted, threshold, higherScoreIsSimilar);
    }

    /// <summary>Evaluates pairs scored by a distance (lower = more similar; a pair is same when distance &lt;= threshold).</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="data">The scored pairs.</param>
    /// <param name="labelColumnName">The label: Boolean (true = same), or a number where &gt; 0 means same (0/1).</param>
    /// <param name="distanceColumnName">The distance: Single or Double, or a vector of length 1 of those.</param>
    /// <param name="predictedLabelColumnName">The model's Boolean decision; when the column is absent (or the name null), <paramref name="threshold"/> decides.</param>
    /// <param name="threshold">The distance threshold when there is no predicted label column.</param>
    /// <returns>The pair metrics, thresholds in distance units; see <see cref="PairMetrics"/>.</returns>
    public static PairMetrics EvaluateDistances(this SiameseCatalog catalog, IDataView data, string labelColumnName = "Label", string distanceColumnName = "Distance",
        string? predictedLabelColumnName = "PredictedLabel", float threshold = 0.5f)
        => catalog.Evaluate(data, labelColumnName, distanceColumnName, predictedLabelColumnName, threshold, higherScoreIsSimilar: false);

    /// <summary>Retrieval metrics (precision@1, R-precision, MAP@R) of embeddings; see <see cref="RetrievalMetrics"/>.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="data">One row per item.</param>
    /// <param name="embeddingColumnName">The embedding: a vector of Single (all rows the same length).</param>
    /// <param name="labelColumnName">The class: text, key, integer, floating point or Boolean.</param>
    /// <param name="distance">The distance to rank neighbours by.</param>
    /// <returns>The retrieval metrics.</returns>
    public static RetrievalMetrics EvaluateRetrieval(this SiameseCatalog catalog, IDataView data, string embeddingColumnName = "Embedding", string labelColumnName = "Label",
        VectorDistance distance = VectorDistance.Euclidean)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        float[][] embeddings = DataViewColumns.ReadEmbeddings(data, embeddingColumnName, nameof(embeddingColumnName));
        string[] labels = DataViewColumns.ReadClassLabels(data, labelColumnName, nameof(labelColumnName));
        return RetrievalMetrics.Compute(embeddings, labels, distance);
    }

    /// <summary>N-way K-shot accuracy of embeddings over random episodes; see <see cref="OneShotEvaluator"/> and <see cref="EmbeddingMatcher"/>.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="data">One row per item.</param>
    /// <param name="options">Episode settings; null for the defaults (20-way 1-shot, 1000 episodes, seed 0).</param>
    /// <param name="embeddingColumnName">The embedding: a vector of Single (all rows the same length).</param>
    /// <param name="labelColumnName">The class: text, key, integer, floating point or Boolean.</param>
    /// <param name="groupColumnName">The group of each item (for example its alphabet), needed for <see cref="OneShotEpisodeOptions.SameGroup"/>; null for none.</param>
    /// <param name="distance">The distance between embeddings.</param>
    /// <param name="aggregation">How classes with several support items are compared.</param>
    /// <returns>The accuracy overall and per episode.</returns>
    public static OneShotResult EvaluateFewShot(this SiameseCatalog catalog, IDataView data, OneShotEpisodeOptions? options = null,
        string embeddingColumnName = "Embedding", string labelColumnName = "Label", string? groupColumnName = null,
        VectorDistance distance = VectorDistance.Euclidean, SupportAggregation aggregation = SupportAggregation.Prototype)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        float[][] embeddings = DataViewColumns.ReadEmbeddings(data, embeddingColumnName, nameof(embeddingColumnName));
        string[] labels = DataViewColumns.ReadClassLabels(data, labelColumnName, nameof(labelColumnName));
        string[]? groups = groupColumnName is null ? null : DataViewColumns.ReadClassLabels(data, groupColumnName, nameof(groupColumnName), "group");
        return OneShotEvaluator.Evaluate(new EmbeddingMatcher(embeddings, distance, aggregation), labels, options, groups);
    }
}
