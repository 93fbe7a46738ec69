using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Turns labelled rows (one item per row) into pairs of items for training a Siamese network: balanced similar pairs
/// (two different rows of one label) and dissimilar pairs (rows of two different labels), as the MATLAB seed's
/// <c>getSiameseBatch</c> draws them. Made by <see cref="SiamesePairsCatalogExtensions.GeneratePairs(SiameseCatalog, PairGeneratorOptions)"/>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Estimator characteristics
/// | | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | Label and group: scalar String, Key, Boolean, integer or floating-point. Carried columns: any type |
/// | Output column data type | Boolean pair label; carried columns keep their type (vector sizes, key cardinality) and annotations |
/// | Row to row? | No: a training-time transform that makes PairCount new rows; it cannot be saved in a model |
///
/// ### Input and output columns
/// | Input column | Output columns | Content |
/// | -- | -- | -- |
/// | (none) | `Label` (OutputLabelColumnName), Boolean | true for a similar pair (same label) |
/// | `Label` (LabelColumnName) | `LeftLabel`, `RightLabel` | the label of each item, with the input's type |
/// | each C of ColumnsToPair, e.g. `Features`, `ImagePath` | `LeftFeatures`, `RightFeatures`, `LeftImagePath`, `RightImagePath` | the value of C of each item, with the input's type |
/// | `Group` (GroupColumnName, optional) | (none) | with WithinGroupDissimilar, dissimilar pairs are two labels of one group |
///
/// Exactly round(PairCount * SimilarFraction) pairs are similar. Sampling is uniform over classes, then over items:
/// a similar pair picks a class (among those with two or more rows) and two different rows of it; a dissimilar pair
/// picks two different classes (of one group, with WithinGroupDissimilar) and a row of each. The pairs are shuffled.
/// The same Seed gives the same pairs. Rows with a missing label (empty text, key 0, NaN) are skipped.
/// Transform reads the input once, copies the carried values of each row once, and returns an in-memory view.
/// ]]></format>
/// </remarks>
public sealed class PairGeneratorEstimator : IEstimator<PairGeneratorTransformer>
{
    private readonly MLContext _context;
    private readonly PairGeneratorOptions _options;

    internal PairGeneratorEstimator(MLContext context, PairGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = Copy(options);
        if (_options.PairCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.PairCount,
                $"PairCount must be greater than 0; it is {_options.PairCount}.");
        }

        if (!(_options.SimilarFraction >= 0 && _options.SimilarFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.SimilarFraction,
                $"SimilarFraction must be in [0, 1]; it is {_options.SimilarFraction}.");
        }

        if (_options.WithinGroupDissimilar && string.IsNullOrWhiteSpace(_options.GroupColumnName))
        {
            throw new ArgumentException("WithinGroupDissimilar needs GroupColumnName: the column that gives the group of each label.", nameof(options));
        }

        _ = CreateCore(_options);
    }

    /// <summary>Checks the input schema and returns the transformer; the data is read only by its <see cref="PairGeneratorTransformer.Transform"/>.</summary>
    /// <param name="input">The labelled rows.</param>
    /// <returns>A transformer with the options of this estimator and a fixed seed.</returns>
    public PairGeneratorTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var core = CreateCore(_options);
        core.CheckInput(input.Schema);
        int seed = _options.Seed ?? ((IHostEnvironment)_context).Register(nameof(PairGeneratorEstimator)).Rand.Next();
        return new PairGeneratorTransformer(_options, core, seed);
    }

    /// <summary>The shape of the pairs made from data of shape <paramref name="inputSchema"/>: see the column table in the remarks.</summary>
    /// <param name="inputSchema">The shape of the labelled rows.</param>
    /// <returns>The Boolean pair label, then prefix + C for the label column and each carried column.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => CreateCore(_options).GetOutputSchema(inputSchema);

    internal static TupleGeneratorCore CreateCore(PairGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputLabelColumnName, "OutputLabelColumnName");
        return new TupleGeneratorCore("pair generator", options.LabelColumnName, options.ColumnsToPair,
            options.WithinGroupDissimilar ? options.GroupColumnName : null, [options.LeftPrefix, options.RightPrefix],
            options.OutputLabelColumnName);
    }

    private static PairGeneratorOptions Copy(PairGeneratorOptions o) => new()
    {
        LabelColumnName = o.LabelColumnName,
        ColumnsToPair = [.. o.ColumnsToPair ?? throw new ArgumentNullException(nameof(o), "ColumnsToPair is null.")],
        PairCount = o.PairCount,
        SimilarFraction = o.SimilarFraction,
        Seed = o.Seed,
        GroupColumnName = o.GroupColumnName,
        WithinGroupDissimilar = o.WithinGroupDissimilar,
        LeftPrefix = o.LeftPrefix,
        RightPrefix = o.RightPrefix,
        OutputLabelColumnName = o.OutputLabelColumnName,
    };
}
