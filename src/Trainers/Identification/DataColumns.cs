using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Identification;

/// <summary>Reads whole columns of a data view into arrays, naming the column on a type mismatch.</summary>
internal static class DataColumns
{
    public static List<string> ReadText(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name) ?? throw new ArgumentException($"The data has no '{name}' column.", nameof(name));
        if (column.Type is not TextDataViewType)
            throw new ArgumentException($"Column '{name}' is {column.Type}; text is expected.", nameof(name));
        var result = new List<string>();
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.ToString());
        }
        return result;
    }

    public static float[][] ReadVectors(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name) ?? throw new ArgumentException($"The data has no '{name}' column.", nameof(name));
        var result = new List<float[]>();
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
        return result.ToArray();
    }
}
