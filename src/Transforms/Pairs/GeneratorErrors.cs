using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Transforms;

/// <summary>The exceptions of the pair and triplet generators, with messages that name the problem.</summary>
internal static class Errors
{
    public static ArgumentOutOfRangeException MissingColumn(string column, string role, string component)
        => new("inputSchema", $"The {role} column '{column}' given to the {component} was not found in the input data.");

    public static ArgumentOutOfRangeException WrongType(string column, string role, string type, string component)
        => ClassKeyReader.WrongType(column, role, type, component);

    public static InvalidOperationException NoRows(string component)
        => new($"The input data has no rows; the {component} needs labelled rows to draw from.");

    public static InvalidOperationException NoLabelledRows(string labelColumn, long rows, string component)
        => new($"The input data has no rows with a label: all {rows} rows have a missing value (empty text, key 0 or NaN) " +
               $"in label column '{labelColumn}', and the {component} skips such rows.");
}
