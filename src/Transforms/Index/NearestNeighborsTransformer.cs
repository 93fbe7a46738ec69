using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Index;

/// <summary>
/// Adds, for each row's embedding, the k nearest items of a <see cref="SimilarityIndex"/>: <c>NeighborIds</c> and
/// <c>NeighborLabels</c> (vectors of text) and <c>NeighborDistances</c> (vector of Single), nearest first. Row to row,
/// so it works in a PredictionEngine and after a Siamese embedder in a <see cref="TransformerChain{TLastTransformer}"/>.
/// </summary>
/// <remarks>
/// An in-process stage: the index lives in memory and is persisted with <see cref="SimilarityIndex.Save"/>, not inside an
/// ML.NET model zip (Microsoft.ML 5 gives third-party transformers no public way to write their state into a zip), so
/// <c>mlContext.Model.Save</c> of a pipeline holding it throws <see cref="NotSupportedException"/>. Save the embedder
/// pipeline and the index separately; after loading both, append a new stage:
/// <c>loaded.Append(ml.Siamese().NearestNeighbors(SimilarityIndex.Load(path), k).Fit(...))</c>.
/// The row mapping is ML.NET's own <c>CustomMapping</c>, so cursors, parallel cursor sets and prediction engines follow
/// ML.NET's usual contracts.
/// </remarks>
public sealed class NearestNeighborsTransformer : ITransformer
{
    private readonly ITransformer _mapping;

    internal NearestNeighborsTransformer(SimilarityIndex index, int k, string embeddingColumnName, ITransformer mapping)
    {
        Index = index;
        K = k;
        EmbeddingColumnName = embeddingColumnName;
        _mapping = mapping;
    }

    /// <summary>The gallery searched.</summary>
    public SimilarityIndex Index { get; }

    /// <summary>Neighbours per row.</summary>
    public int K { get; }

    /// <summary>The input column of embeddings.</summary>
    public string EmbeddingColumnName { get; }

    /// <summary>True: each output row depends on one input row.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the three neighbour columns.</summary>
    /// <param name="inputSchema">A schema with <see cref="EmbeddingColumnName"/>.</param>
    /// <returns>The output schema.</returns>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        NearestNeighborsEstimator.CheckInput(inputSchema, EmbeddingColumnName, Index.Dimension);
        return _mapping.GetOutputSchema(inputSchema);
    }

    /// <summary>The row mapper used by prediction engines.</summary>
    /// <param name="inputSchema">A schema with <see cref="EmbeddingColumnName"/>.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        NearestNeighborsEstimator.CheckInput(inputSchema, EmbeddingColumnName, Index.Dimension);
        return _mapping.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Adds the neighbour columns (lazily: the index is searched as rows are read).</summary>
    /// <param name="input">Data with <see cref="EmbeddingColumnName"/>.</param>
    /// <returns>The data with the neighbour columns.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        NearestNeighborsEstimator.CheckInput(input.Schema, EmbeddingColumnName, Index.Dimension);
        return _mapping.Transform(input);
    }

    /// <summary>Always throws <see cref="NotSupportedException"/>: the stage is in-process (see the remarks).</summary>
    /// <param name="ctx">Ignored.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        $"{nameof(NearestNeighborsTransformer)} is an in-process stage and cannot be saved in an ML.NET model zip " +
        "(Microsoft.ML 5 lets no third-party transformer write its state into a zip). Save the embedder pipeline without it " +
        "(mlContext.Model.Save(embedder, schema, path)) and the gallery with SimilarityIndex.Save(indexPath); after loading both, " +
        "append mlContext.Siamese().NearestNeighbors(SimilarityIndex.Load(indexPath), k) again.");
}
