using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Transforms;

namespace MLNet.Siamese.Index;

/// <summary>
/// The estimator of <see cref="NearestNeighborsTransformer"/>, made by <c>mlContext.Siamese().NearestNeighbors(...)</c>.
/// Nothing is learned: <see cref="Fit"/> checks the embedding column and returns the stage over the given index.
/// </summary>
public sealed class NearestNeighborsEstimator : IEstimator<NearestNeighborsTransformer>
{
    private readonly MLContext _context;

    internal NearestNeighborsEstimator(MLContext context, SimilarityIndex index, int k, string embeddingColumnName)
    {
        _context = context;
        Index = index;
        K = k;
        EmbeddingColumnName = embeddingColumnName;
    }

    /// <summary>The gallery searched.</summary>
    public SimilarityIndex Index { get; }

    /// <summary>Neighbours per row.</summary>
    public int K { get; }

    /// <summary>The input column of embeddings.</summary>
    public string EmbeddingColumnName { get; }

    /// <summary>Checks the embedding column of <paramref name="input"/> and returns the stage.</summary>
    /// <param name="input">Data with <see cref="EmbeddingColumnName"/>: a vector of Single of the index's dimension (or of unknown size).</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has the wrong type or size.</exception>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    public NearestNeighborsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = CheckInput(input.Schema, EmbeddingColumnName, Index.Dimension);
        var inputDefinition = SchemaDefinition.Create(typeof(NeighborMappingInput));
        inputDefinition[0].ColumnName = EmbeddingColumnName;
        inputDefinition[0].ColumnType = column.Type;
        var outputDefinition = SchemaDefinition.Create(typeof(NeighborMappingOutput));
        outputDefinition[NearestNeighborsPrediction.IdsColumnName].ColumnType = new VectorDataViewType(TextDataViewType.Instance, K);
        outputDefinition[NearestNeighborsPrediction.LabelsColumnName].ColumnType = new VectorDataViewType(TextDataViewType.Instance, K);
        outputDefinition[NearestNeighborsPrediction.DistancesColumnName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, K);

        var index = Index;
        int k = K;
        string columnName = EmbeddingColumnName;
        void Map(NeighborMappingInput row, NeighborMappingOutput output)
        {
            IReadOnlyList<Index.SimilarityMatch> matches;
            try
            {
                matches = index.Search(row.Embedding, k);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Column '{columnName}': {e.Message}", columnName, e);
            }
            var ids = new string[k];
            var labels = new string[k];
            var distances = new float[k];
            for (int i = 0; i < k; i++)
                (ids[i], labels[i], distances[i]) = (matches[i].Id, matches[i].Label, matches[i].Distance);
            output.NeighborIds = ids;
            output.NeighborLabels = labels;
            output.NeighborDistances = distances;
        }

        var mapping = _context.Transforms.CustomMapping<NeighborMappingInput, NeighborMappingOutput>(Map, contractName: null, inputDefinition, outputDefinition)
            .Fit(input);
        return new NearestNeighborsTransformer(Index, K, EmbeddingColumnName, mapping);
    }

    /// <summary>The input shape plus the three neighbour columns.</summary>
    /// <param name="inputSchema">The input shape.</param>
    /// <returns>The output shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = inputSchema.FirstOrDefault(c => c.Name == EmbeddingColumnName);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The input has no column '{EmbeddingColumnName}' (the embeddings to search the index with).");
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{EmbeddingColumnName}' must be a vector of Single, not {column.ItemType}{(column.Kind == SchemaShape.Column.VectorKind.Scalar ? " (scalar)" : "")}.");
        var columns = inputSchema.Where(c => c.Name is not (NearestNeighborsPrediction.IdsColumnName or NearestNeighborsPrediction.LabelsColumnName or NearestNeighborsPrediction.DistancesColumnName)).ToList();
        columns.Add(SchemaShapeFactory.Column(NearestNeighborsPrediction.IdsColumnName, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false));
        columns.Add(SchemaShapeFactory.Column(NearestNeighborsPrediction.LabelsColumnName, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false));
        columns.Add(SchemaShapeFactory.Column(NearestNeighborsPrediction.DistancesColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
        return new SchemaShape(columns);
    }

    /// <summary>Checks that the schema has the embedding column as a vector of Single of the index's dimension in all (any shape), or of unknown size.</summary>
    internal static DataViewSchema.Column CheckInput(DataViewSchema schema, string columnName, int dimension)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"The input has no column '{columnName}' (the embeddings to search the index with). Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{columnName}' must be a vector of Single (an embedding), not {column.Type}.");
        // ONNX outputs often carry a batch dimension ([1, d]); any shape of d values in all is one embedding.
        if (vector.IsKnownSize && vector.Size != dimension)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Dimension mismatch: column '{columnName}' holds vectors of {vector.Size} values but the index holds embeddings of dimension {dimension}.");
        return column;
    }
}
