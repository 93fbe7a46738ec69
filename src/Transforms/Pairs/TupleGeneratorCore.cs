using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// What the pair and triplet generators share: checking the input schema, describing the output schema, reading the
/// input once into per-row stores and a <see cref="ClassTable"/>, and building the output view from drawn row indices.
/// A generator has roles (Left/Right, or Anchor/Positive/Negative), each a prefix of output column names: every
/// carried column C (the label column first) gives one output column per role, named prefix + C.
/// </summary>
internal sealed class TupleGeneratorCore
{
    private readonly string[] _rolePrefixes;

    public TupleGeneratorCore(string component, string labelColumn, IEnumerable<string> columns, string? groupColumn,
        IReadOnlyList<string> rolePrefixes, string? sameLabelColumn)
    {
        Component = component;
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn, "LabelColumnName");
        ArgumentNullException.ThrowIfNull(columns);
        LabelColumn = labelColumn;
        GroupColumn = groupColumn;
        SameLabelColumn = sameLabelColumn;
        _rolePrefixes = [.. rolePrefixes];
        foreach (var prefix in _rolePrefixes)
        {
            ArgumentNullException.ThrowIfNull(prefix, "prefix");
        }

        var carried = new List<string>();
        foreach (var column in columns)
        {
            if (string.IsNullOrWhiteSpace(column))
            {
                throw new ArgumentException($"The columns to carry through the {component} include an empty name.", nameof(columns));
            }

            if (carried.Contains(column, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Column '{column}' is listed twice in the columns to carry through the {component}.", nameof(columns));
            }

            // The label column is always carried (prefix + label name), so listing it again adds nothing.
            if (!string.Equals(column, labelColumn, StringComparison.Ordinal))
            {
                carried.Add(column);
            }
        }

        CarriedColumns = carried;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in OutputNames())
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException(
                    $"The {component} would make two output columns named '{name}'; choose other column-name prefixes or output label name.");
            }
        }
    }

    public string Component { get; }

    public string LabelColumn { get; }

    /// <summary>The group column, only when dissimilar pairs or negatives are drawn within groups.</summary>
    public string? GroupColumn { get; }

    public string? SameLabelColumn { get; }

    /// <summary>The carried columns other than the label column, in the order given.</summary>
    public IReadOnlyList<string> CarriedColumns { get; }

    private IEnumerable<string> SourceColumns => CarriedColumns.Prepend(LabelColumn);

    private IEnumerable<string> OutputNames()
    {
        if (SameLabelColumn is not null)
        {
            yield return SameLabelColumn;
        }

        foreach (var source in SourceColumns)
        {
            foreach (var prefix in _rolePrefixes)
            {
                yield return prefix + source;
            }
        }
    }

    /// <summary>Throws, naming the column, when a needed column is missing or the label or group column has a wrong type.</summary>
    public void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ClassKeyReader.Check(schema, LabelColumn, "label", Component);
        if (GroupColumn is not null)
        {
            ClassKeyReader.Check(schema, GroupColumn, "group", Component);
        }

        foreach (var column in CarriedColumns)
        {
            if (schema.GetColumnOrNull(column) is null)
            {
                throw Errors.MissingColumn(column, "carried", Component);
            }
        }
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        var builder = new DataViewSchema.Builder();
        if (SameLabelColumn is not null)
        {
            builder.AddColumn(SameLabelColumn, BooleanDataViewType.Instance);
        }

        foreach (var source in SourceColumns)
        {
            var column = inputSchema[source];
            foreach (var prefix in _rolePrefixes)
            {
                builder.AddColumn(prefix + source, column.Type, column.Annotations);
            }
        }

        return builder.ToSchema();
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = Find(inputSchema, LabelColumn, "label");
        if (!ClassKeyReader.IsAccepted(label))
        {
            throw Errors.WrongType(LabelColumn, "label", Describe(label), Component);
        }

        if (GroupColumn is not null)
        {
            var group = Find(inputSchema, GroupColumn, "group");
            if (!ClassKeyReader.IsAccepted(group))
            {
                throw Errors.WrongType(GroupColumn, "group", Describe(group), Component);
            }
        }

        var columns = new List<SchemaShape.Column>();
        if (SameLabelColumn is not null)
        {
            columns.Add(SchemaShapeFactory.Column(SameLabelColumn, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false));
        }

        foreach (var source in SourceColumns)
        {
            var column = Find(inputSchema, source, source == LabelColumn ? "label" : "carried");
            foreach (var prefix in _rolePrefixes)
            {
                columns.Add(SchemaShapeFactory.Renamed(column, prefix + source));
            }
        }

        return new SchemaShape(columns);
    }

    /// <summary>Reads the needed columns of <paramref name="input"/> once: values of carried columns and class identities.</summary>
    public Source Read(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        var schema = input.Schema;
        var needed = SourceColumns.Append(GroupColumn).OfType<string>().Distinct().Select(n => schema[n]).ToList();
        using var cursor = input.GetRowCursor(needed);
        var stores = SourceColumns.Select(n => SourceColumnStore.Create(cursor, schema[n])).ToArray();
        var labelReader = ClassKeyReader.Create(cursor, schema[LabelColumn]);
        var groupReader = GroupColumn is null ? null : ClassKeyReader.Create(cursor, schema[GroupColumn]);
        var labels = new List<string?>();
        var groups = groupReader is null ? null : new List<string?>();
        while (cursor.MoveNext())
        {
            foreach (var store in stores)
            {
                store.Append();
            }

            labels.Add(labelReader());
            groups?.Add(groupReader!());
        }

        if (labels.Count == 0)
        {
            throw Errors.NoRows(Component);
        }

        var table = ClassTable.Build(labels, groups, LabelColumn, GroupColumn);
        if (table.Count == 0)
        {
            throw Errors.NoLabelledRows(LabelColumn, labels.Count, Component);
        }

        return new Source(stores, table);
    }

    /// <summary>The output view: the same-label column when given, then prefix + C for each source column and role.</summary>
    /// <param name="source">What <see cref="Read"/> returned.</param>
    /// <param name="roleRows">For each role, the source row of each output row.</param>
    /// <param name="sameLabel">For pairs, whether each output row is a similar pair.</param>
    public IDataView Build(Source source, int[][] roleRows, bool[]? sameLabel)
    {
        var builder = new InMemoryDataView.Builder();
        if (SameLabelColumn is not null)
        {
            builder.AddColumn(SameLabelColumn, BooleanDataViewType.Instance, sameLabel!);
        }

        foreach (var store in source.Stores)
        {
            for (int role = 0; role < _rolePrefixes.Length; role++)
            {
                store.AddTo(builder, _rolePrefixes[role] + store.Source.Name, roleRows[role]);
            }
        }

        return builder.Build();
    }

    private SchemaShape.Column Find(SchemaShape shape, string name, string role)
    {
        foreach (var column in shape)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        throw Errors.MissingColumn(name, role, Component);
    }

    private static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}> (of known size)",
            SchemaShape.Column.VectorKind.VariableVector => $"Vector<{item}> (of variable size)",
            _ => item,
        };
    }

    /// <summary>The input, read once.</summary>
    /// <param name="Stores">The stored values of the label column (first) and the carried columns.</param>
    /// <param name="Classes">The classes of the labelled rows.</param>
    internal sealed record Source(SourceColumnStore[] Stores, ClassTable Classes);
}
