using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Classes;

/// <summary>
/// The one reader of label and group columns (pair and triplet generators, the trainer, the evaluators): one class
/// identity per row as a string, or null where the value is missing (empty or white-space text, key value 0, NaN).
/// Accepted types: scalar text, key, boolean, integer and floating-point numbers.
/// </summary>
/// <remarks>
/// Identities are culture-invariant: integers and keys as their decimal digits, floating-point numbers in round-trip
/// form, booleans as <c>True</c> / <c>False</c>, text as it is.
/// </remarks>
internal static class ClassKeyReader
{
    /// <summary>Words for the accepted types, for error messages.</summary>
    public const string AcceptedTypes = "a scalar String, Key, Boolean, integer (SByte...UInt64) or floating-point (Single, Double)";

    /// <summary>Whether <paramref name="type"/> can be a label or group column.</summary>
    public static bool IsAccepted(DataViewType type) => type is TextDataViewType or KeyDataViewType or BooleanDataViewType
        || (type is NumberDataViewType && IsNumber(type.RawType));

    /// <summary>Whether a column of this shape can be a label or group column.</summary>
    public static bool IsAccepted(SchemaShape.Column column) => column.Kind == SchemaShape.Column.VectorKind.Scalar
        && (column.IsKey || column.ItemType is TextDataViewType or BooleanDataViewType
            || (column.ItemType is NumberDataViewType && IsNumber(column.ItemType.RawType)));

    /// <summary>The error for a column whose type cannot hold class identities, naming the column, its role and the component.</summary>
    public static ArgumentOutOfRangeException WrongType(string column, string role, string type, string component, string parameterName = "inputSchema")
        => new(parameterName, $"The {role} column '{column}' has type {type}; the {component} needs {AcceptedTypes}.");

    /// <summary>Throws when <paramref name="column"/> of <paramref name="schema"/> is missing or has a type that is not accepted.</summary>
    public static DataViewSchema.Column Check(DataViewSchema schema, string column, string role, string component, string parameterName = "inputSchema")
    {
        var col = schema.GetColumnOrNull(column)
            ?? throw new ArgumentOutOfRangeException(parameterName, $"The {role} column '{column}' given to the {component} was not found in the input data.");
        CheckType(col, role, component, parameterName);
        return col;
    }

    /// <summary>Throws <see cref="WrongType"/> when the type of <paramref name="column"/> is not accepted.</summary>
    public static void CheckType(DataViewSchema.Column column, string role, string component, string parameterName = "inputSchema")
    {
        if (!IsAccepted(column.Type))
        {
            throw WrongType(column.Name, role, column.Type.ToString() ?? column.Type.GetType().Name, component, parameterName);
        }
    }

    /// <summary>Every row's class identity (null where missing), after checking the column as <see cref="Check"/> does.</summary>
    public static string?[] ReadAll(IDataView data, string column, string role, string component, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var col = Check(data.Schema, column, role, component, parameterName);
        var values = new List<string?>();
        using var cursor = data.GetRowCursor([col]);
        var read = Create(cursor, col, role, component);
        while (cursor.MoveNext())
        {
            values.Add(read());
        }

        return [.. values];
    }

    /// <summary>Makes a reader of the current row's class identity; throws <see cref="WrongType"/> for a type that is not accepted.</summary>
    public static Func<string?> Create(DataViewRow cursor, DataViewSchema.Column column, string role = "label", string component = "reader")
    {
        CheckType(column, role, component, nameof(column));
        var type = column.Type;
        var raw = type.RawType;
        if (type is TextDataViewType)
        {
            return Make<ReadOnlyMemory<char>>(cursor, column, v => v.Span.IsWhiteSpace() ? null : v.ToString());
        }

        if (type is KeyDataViewType)
        {
            return raw == typeof(byte) ? Make<byte>(cursor, column, v => v == 0 ? null : Str(v))
                : raw == typeof(ushort) ? Make<ushort>(cursor, column, v => v == 0 ? null : Str(v))
                : raw == typeof(uint) ? Make<uint>(cursor, column, v => v == 0 ? null : Str(v))
                : Make<ulong>(cursor, column, v => v == 0 ? null : Str(v));
        }

        if (type is BooleanDataViewType)
        {
            return Make<bool>(cursor, column, v => v ? "True" : "False");
        }

        return raw == typeof(sbyte) ? Make<sbyte>(cursor, column, v => Str(v))
            : raw == typeof(byte) ? Make<byte>(cursor, column, v => Str(v))
            : raw == typeof(short) ? Make<short>(cursor, column, v => Str(v))
            : raw == typeof(ushort) ? Make<ushort>(cursor, column, v => Str(v))
            : raw == typeof(int) ? Make<int>(cursor, column, v => Str(v))
            : raw == typeof(uint) ? Make<uint>(cursor, column, v => Str(v))
            : raw == typeof(long) ? Make<long>(cursor, column, v => Str(v))
            : raw == typeof(ulong) ? Make<ulong>(cursor, column, v => Str(v))
            : raw == typeof(float) ? Make<float>(cursor, column, v => float.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture))
            : Make<double>(cursor, column, v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture));
    }

    private static bool IsNumber(Type raw) => raw == typeof(sbyte) || raw == typeof(byte) || raw == typeof(short)
        || raw == typeof(ushort) || raw == typeof(int) || raw == typeof(uint) || raw == typeof(long) || raw == typeof(ulong)
        || raw == typeof(float) || raw == typeof(double);

    private static string Str<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static Func<string?> Make<T>(DataViewRow cursor, DataViewSchema.Column column, Func<T, string?> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
