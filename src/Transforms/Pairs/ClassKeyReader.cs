using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Reads a label or group column as class identities: one string per row, or null where the value is missing
/// (empty or white-space text, key value 0, NaN). Accepted types: scalar text, key, boolean, integer and
/// floating-point numbers.
/// </summary>
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

    /// <summary>Throws when <paramref name="column"/> of <paramref name="schema"/> is missing or has a type that is not accepted.</summary>
    public static DataViewSchema.Column Check(DataViewSchema schema, string column, string role, string component)
    {
        var col = schema.GetColumnOrNull(column) ?? throw Errors.MissingColumn(column, role, component);
        if (!IsAccepted(col.Type))
        {
            throw Errors.WrongType(column, role, col.Type.ToString() ?? col.Type.GetType().Name, component);
        }

        return col;
    }

    /// <summary>Makes a reader of the current row's class identity.</summary>
    public static Func<string?> Create(DataViewRow cursor, DataViewSchema.Column column)
    {
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
            : raw == typeof(double) ? Make<double>(cursor, column, v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture))
            : throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' of type {type} cannot hold class identities.");
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
