using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// The fitted pair generator: <see cref="Transform"/> reads labelled rows and returns <see cref="PairCount"/> pairs
/// (see <see cref="PairGeneratorEstimator"/> for the columns). A training-time transform: it is not row to row and cannot
/// be saved in a model; fit it separately and keep it out of the pipeline you save.
/// </summary>
public sealed class PairGeneratorTransformer : ITransformer
{
    private readonly TupleGeneratorCore _core;

    internal PairGeneratorTransformer(PairGeneratorOptions options, TupleGeneratorCore core, int seed)
    {
        _core = core;
        LabelColumnName = options.LabelColumnName;
        ColumnsToPair = [.. core.CarriedColumns];
        PairCount = options.PairCount;
        SimilarFraction = options.SimilarFraction;
        GroupColumnName = options.WithinGroupDissimilar ? options.GroupColumnName : null;
        WithinGroupDissimilar = options.WithinGroupDissimilar;
        LeftPrefix = options.LeftPrefix;
        RightPrefix = options.RightPrefix;
        OutputLabelColumnName = options.OutputLabelColumnName;
        Seed = seed;
    }

    /// <summary>The label column of the input.</summary>
    public string LabelColumnName { get; }

    /// <summary>The carried columns of the input other than the label column (which is always carried).</summary>
    public IReadOnlyList<string> ColumnsToPair { get; }

    /// <summary>The number of pairs each <see cref="Transform"/> returns.</summary>
    public int PairCount { get; }

    /// <summary>The fraction of similar pairs; <see cref="SimilarPairCount"/> is the exact count.</summary>
    public double SimilarFraction { get; }

    /// <summary>The exact number of similar pairs: round(<see cref="PairCount"/> * <see cref="SimilarFraction"/>), halves away from zero.</summary>
    public int SimilarPairCount => GeneratorDraws.SimilarCount(PairCount, SimilarFraction);

    /// <summary>The group column, or null when dissimilar pairs are not drawn within groups.</summary>
    public string? GroupColumnName { get; }

    /// <summary>Whether each dissimilar pair is two labels of one group.</summary>
    public bool WithinGroupDissimilar { get; }

    /// <summary>The prefix of the output columns of the first item.</summary>
    public string LeftPrefix { get; }

    /// <summary>The prefix of the output columns of the second item.</summary>
    public string RightPrefix { get; }

    /// <summary>The Boolean output column, true for a similar pair.</summary>
    public string OutputLabelColumnName { get; }

    /// <summary>The seed of the draws (given, or drawn from the MLContext at fit): every <see cref="Transform"/> of the same data gives the same pairs.</summary>
    public int Seed { get; }

    /// <summary>False: the pairs are made from the whole input, not row by row.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The schema of the pairs made from data of schema <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema of the labelled rows.</param>
    /// <returns>The Boolean pair label, then prefix + C for the label column and each carried column, with the input types and annotations.</returns>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _core.GetOutputSchema(inputSchema);

    /// <summary>Always throws <see cref="NotSupportedException"/>: the pair generator is not row to row.</summary>
    /// <param name="inputSchema">Ignored.</param>
    /// <returns>Never returns.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw TrainingTimeTransform.NoRowMapper(nameof(PairGeneratorTransformer));

    /// <summary>Reads <paramref name="input"/> once and returns <see cref="PairCount"/> shuffled pairs, held in memory.</summary>
    /// <param name="input">The labelled rows.</param>
    /// <returns>The pairs.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A needed column is missing, or the label or group column has a type that is not accepted.</exception>
    /// <exception cref="InvalidOperationException">The data cannot give the pairs: no rows, fewer than two classes, no class with two rows,
    /// no group with two labels, or a label found in two groups.</exception>
    public IDataView Transform(IDataView input)
    {
        var source = _core.Read(input);
        var (left, right, same) = GeneratorDraws.Pairs(source.Classes, PairCount, SimilarFraction, WithinGroupDissimilar, Seed,
            LabelColumnName, GroupColumnName);
        return _core.Build(source, [left, right], same);
    }

    /// <summary>Always throws <see cref="NotSupportedException"/>: the pair generator is a training-time transform that a saved model cannot hold.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw TrainingTimeTransform.CannotSave(nameof(PairGeneratorTransformer), "GeneratePairs");
}
