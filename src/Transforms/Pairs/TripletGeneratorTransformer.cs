using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// The fitted triplet generator: <see cref="Transform"/> reads labelled rows and returns <see cref="TripletCount"/>
/// (anchor, positive, negative) rows (see <see cref="TripletGeneratorEstimator"/> for the columns). A training-time
/// transform: it is not row to row and cannot be saved in a model; fit it separately and keep it out of the pipeline you save.
/// </summary>
public sealed class TripletGeneratorTransformer : ITransformer
{
    private readonly TupleGeneratorCore _core;

    internal TripletGeneratorTransformer(TripletGeneratorOptions options, TupleGeneratorCore core, int seed)
    {
        _core = core;
        LabelColumnName = options.LabelColumnName;
        ColumnsToCarry = [.. core.CarriedColumns];
        TripletCount = options.TripletCount;
        GroupColumnName = options.WithinGroupNegatives ? options.GroupColumnName : null;
        WithinGroupNegatives = options.WithinGroupNegatives;
        AnchorPrefix = options.AnchorPrefix;
        PositivePrefix = options.PositivePrefix;
        NegativePrefix = options.NegativePrefix;
        Seed = seed;
    }

    /// <summary>The label column of the input.</summary>
    public string LabelColumnName { get; }

    /// <summary>The carried columns of the input other than the label column (which is always carried).</summary>
    public IReadOnlyList<string> ColumnsToCarry { get; }

    /// <summary>The number of triplets each <see cref="Transform"/> returns.</summary>
    public int TripletCount { get; }

    /// <summary>The group column, or null when negatives are not drawn within the anchor's group.</summary>
    public string? GroupColumnName { get; }

    /// <summary>Whether each negative's label is in the anchor's group.</summary>
    public bool WithinGroupNegatives { get; }

    /// <summary>The prefix of the anchor's output columns.</summary>
    public string AnchorPrefix { get; }

    /// <summary>The prefix of the positive's output columns.</summary>
    public string PositivePrefix { get; }

    /// <summary>The prefix of the negative's output columns.</summary>
    public string NegativePrefix { get; }

    /// <summary>The seed of the draws (given, or drawn from the MLContext at fit): every <see cref="Transform"/> of the same data gives the same triplets.</summary>
    public int Seed { get; }

    /// <summary>False: the triplets are made from the whole input, not row by row.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The schema of the triplets made from data of schema <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema of the labelled rows.</param>
    /// <returns>Anchor, positive and negative prefix + C for the label column and each carried column, with the input types and annotations.</returns>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _core.GetOutputSchema(inputSchema);

    /// <summary>Always throws <see cref="NotSupportedException"/>: the triplet generator is not row to row.</summary>
    /// <param name="inputSchema">Ignored.</param>
    /// <returns>Never returns.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw TrainingTimeTransform.NoRowMapper(nameof(TripletGeneratorTransformer));

    /// <summary>Reads <paramref name="input"/> once and returns <see cref="TripletCount"/> triplets, held in memory.</summary>
    /// <param name="input">The labelled rows.</param>
    /// <returns>The triplets.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A needed column is missing, or the label or group column has a type that is not accepted.</exception>
    /// <exception cref="InvalidOperationException">The data cannot give triplets: no rows, fewer than two classes, no class with two rows,
    /// no group with two labels, or a label found in two groups.</exception>
    public IDataView Transform(IDataView input)
    {
        var source = _core.Read(input);
        var (anchor, positive, negative) = GeneratorDraws.Triplets(source.Classes, TripletCount, WithinGroupNegatives, Seed,
            LabelColumnName, GroupColumnName);
        return _core.Build(source, [anchor, positive, negative], sameLabel: null);
    }

    /// <summary>Always throws <see cref="NotSupportedException"/>: the triplet generator is a training-time transform that a saved model cannot hold.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw TrainingTimeTransform.CannotSave(nameof(TripletGeneratorTransformer), "GenerateTriplets");
}
