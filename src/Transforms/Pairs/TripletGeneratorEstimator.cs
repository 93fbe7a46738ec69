using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Turns labelled rows (one item per row) into (anchor, positive, negative) triplets for triplet-loss training: the anchor
/// and positive are two different rows of one label, the negative a row of another label. Made by
/// <see cref="SiamesePairsCatalogExtensions.GenerateTriplets(SiameseCatalog, TripletGeneratorOptions)"/>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Estimator characteristics
/// | | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column data type | Label and group: scalar String, Key, Boolean, integer or floating-point. Carried columns: any type |
/// | Output column data type | Carried columns keep their type (vector sizes, key cardinality) and annotations |
/// | Row to row? | No: a training-time transform that makes TripletCount new rows; it cannot be saved in a model |
///
/// ### Input and output columns
/// | Input column | Output columns | Content |
/// | -- | -- | -- |
/// | `Label` (LabelColumnName) | `AnchorLabel`, `PositiveLabel`, `NegativeLabel` | the label of each item, with the input's type |
/// | each C of ColumnsToCarry, e.g. `Features` | `AnchorFeatures`, `PositiveFeatures`, `NegativeFeatures` | the value of C of each item, with the input's type |
/// | `Group` (GroupColumnName, optional) | (none) | with WithinGroupNegatives, the negative's label is in the anchor's group |
///
/// Sampling is uniform over classes, then over items: an anchor class (among those with two or more rows, and with
/// another class in its group when WithinGroupNegatives), two different rows of it, then another class and a row of it.
/// The same Seed gives the same triplets. Rows with a missing label (empty text, key 0, NaN) are skipped.
/// ]]></format>
/// </remarks>
public sealed class TripletGeneratorEstimator : IEstimator<TripletGeneratorTransformer>
{
    private readonly MLContext _context;
    private readonly TripletGeneratorOptions _options;

    internal TripletGeneratorEstimator(MLContext context, TripletGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = Copy(options);
        if (_options.TripletCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.TripletCount,
                $"TripletCount must be greater than 0; it is {_options.TripletCount}.");
        }

        if (_options.WithinGroupNegatives && string.IsNullOrWhiteSpace(_options.GroupColumnName))
        {
            throw new ArgumentException("WithinGroupNegatives needs GroupColumnName: the column that gives the group of each label.", nameof(options));
        }

        _ = CreateCore(_options);
    }

    /// <summary>Checks the input schema and returns the transformer; the data is read only by its <see cref="TripletGeneratorTransformer.Transform"/>.</summary>
    /// <param name="input">The labelled rows.</param>
    /// <returns>A transformer with the options of this estimator and a fixed seed.</returns>
    public TripletGeneratorTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var core = CreateCore(_options);
        core.CheckInput(input.Schema);
        int seed = _options.Seed ?? ((IHostEnvironment)_context).Register(nameof(TripletGeneratorEstimator)).Rand.Next();
        return new TripletGeneratorTransformer(_options, core, seed);
    }

    /// <summary>The shape of the triplets made from data of shape <paramref name="inputSchema"/>: see the column table in the remarks.</summary>
    /// <param name="inputSchema">The shape of the labelled rows.</param>
    /// <returns>Anchor, positive and negative prefix + C for the label column and each carried column.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => CreateCore(_options).GetOutputSchema(inputSchema);

    internal static TupleGeneratorCore CreateCore(TripletGeneratorOptions options)
        => new("triplet generator", options.LabelColumnName, options.ColumnsToCarry,
            options.WithinGroupNegatives ? options.GroupColumnName : null,
            [options.AnchorPrefix, options.PositivePrefix, options.NegativePrefix], sameLabelColumn: null);

    private static TripletGeneratorOptions Copy(TripletGeneratorOptions o) => new()
    {
        LabelColumnName = o.LabelColumnName,
        ColumnsToCarry = [.. o.ColumnsToCarry ?? throw new ArgumentNullException(nameof(o), "ColumnsToCarry is null.")],
        TripletCount = o.TripletCount,
        Seed = o.Seed,
        GroupColumnName = o.GroupColumnName,
        WithinGroupNegatives = o.WithinGroupNegatives,
        AnchorPrefix = o.AnchorPrefix,
        PositivePrefix = o.PositivePrefix,
        NegativePrefix = o.NegativePrefix,
    };
}
