using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>Reads a label of any usual ML.NET type as a string, so classes can be compared whatever their type.</summary>
internal static class LabelGetter
{
    public static Func<string> Create(DataViewRowCursor cursor, DataViewSchema.Column column, string what)
    {
        var type = column.Type;
        if (type is TextDataViewType)
        {
            var g = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> v = default;
            return () => { g(ref v); return v.ToString(); };
        }
        if (type is KeyDataViewType)
        {
            var g = cursor.GetGetter<uint>(column);
            uint v = 0;
            return () => { g(ref v); return v == 0 ? string.Empty : v.ToString(System.Globalization.CultureInfo.InvariantCulture); };
        }
        if (type == BooleanDataViewType.Instance) return Wrap<bool>(cursor, column, v => v ? "true" : "false");
        if (type == NumberDataViewType.Int32) return Wrap<int>(cursor, column, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (type == NumberDataViewType.Int64) return Wrap<long>(cursor, column, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (type == NumberDataViewType.UInt32) return Wrap<uint>(cursor, column, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (type == NumberDataViewType.Byte) return Wrap<byte>(cursor, column, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (type == NumberDataViewType.Single) return Wrap<float>(cursor, column, v => float.IsNaN(v) ? string.Empty : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (type == NumberDataViewType.Double) return Wrap<double>(cursor, column, v => double.IsNaN(v) ? string.Empty : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        throw new ArgumentOutOfRangeException(nameof(column), $"{what}: label column '{column.Name}' has type {type}; use text, key, integer, boolean or a scalar number.");
    }

    private static Func<string> Wrap<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string> format)
    {
        var g = cursor.GetGetter<T>(column);
        T v = default!;
        return () => { g(ref v); return format(v); };
    }
}
