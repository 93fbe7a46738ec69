using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Evaluation;

/// <summary>Reads whole columns of an <see cref="IDataView"/> into arrays, accepting the types evaluators meet.</summary>
internal static class DataViewColumns
{
    public static DataViewSchema.Column Find(IDataView data, string columnName, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(columnName, parameterName);
        var column = data.Schema.GetColumnOrNull(columnName);
        if (column is null)
        {
            string available = string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
            throw new ArgumentException($"Column '{columnName}' is not in the data. Available columns: {available}.", parameterName);
        }
        return column.Value;
    }

    /// <summary>A float or double scalar, or a float/double vector of length 1 (as an ONNX transformer emits); element 0 is taken.</summary>
    public static float[] ReadScores(IDataView data, string columnName, string parameterName)
    {
        var column = Find(data, columnName, parameterName);
        var type = column.Type;
        if (type is VectorDataViewType vector && (vector.ItemType == NumberDataViewType.Single || vector.ItemType == NumberDataViewType.Double))
        {
            if (vector.Size > 1)
                throw new ArgumentException($"Column '{columnName}' is a vector of {vector.Size} values; a score must be a scalar or a vector of length 1.", parameterName);
            return vector.ItemType == NumberDataViewType.Single
                ? ReadVectorHead<float>(data, column, parameterName, v => v)
                : ReadVectorHead<double>(data, column, parameterName, v => (float)v);
        }
        if (type == NumberDataViewType.Single) return Read<float, float>(data, column, v => v);
        if (type == NumberDataViewType.Double) return Read<double, float>(data, column, v => (float)v);
        throw new ArgumentException($"Column '{columnName}' has type {type}; a score must be Single or Double, or a vector of length 1 of those.", parameterName);
    }

    /// <summary>A Boolean, or a number where &gt; 0 means true (ML.NET's convention for binary labels); NaN is rejected.</summary>
    public static bool[] ReadBooleanLabels(IDataView data, string columnName, string parameterName)
    {
        var column = Find(data, columnName, parameterName);
        var type = column.Type;
        if (type == BooleanDataViewType.Instance) return Read<bool, bool>(data, column, v => v);
        if (type == NumberDataViewType.Single) return CheckNaN(Read<float, double>(data, column, v => v), columnName, parameterName);
        if (type == NumberDataViewType.Double) return CheckNaN(Read<double, double>(data, column, v => v), columnName, parameterName);
        if (type == NumberDataViewType.Int32) return Read<int, bool>(data, column, v => v > 0);
        if (type == NumberDataViewType.Int64) return Read<long, bool>(data, column, v => v > 0);
        throw new ArgumentException($"Column '{columnName}' has type {type}; a pair label must be Boolean (true = same) or a number (1 = same, 0 = different).", parameterName);
    }

    /// <summary>Returns null when the column does not exist; otherwise it must be Boolean.</summary>
    public static bool[]? ReadOptionalBooleans(IDataView data, string? columnName, string parameterName)
    {
        if (string.IsNullOrEmpty(columnName)) return null;
        var column = data.Schema.GetColumnOrNull(columnName);
        if (column is null) return null;
        var type = column.Value.Type;
        if (type is VectorDataViewType { ItemType: BooleanDataViewType, Size: 1 })
        {
            // ML.NET's ONNX transformer exposes a per-row ONNX output as a vector of length 1.
            var result = new List<bool>();
            using var cursor = data.GetRowCursor([column.Value]);
            var getter = cursor.GetGetter<VBuffer<bool>>(column.Value);
            VBuffer<bool> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                result.Add(buffer.GetItemOrDefault(0));
            }
            return result.ToArray();
        }
        if (type != BooleanDataViewType.Instance)
            throw new ArgumentException($"Column '{columnName}' has type {type}; a predicted label must be Boolean or a Boolean vector of length 1.", parameterName);
        return Read<bool, bool>(data, column.Value, v => v);
    }

    /// <summary>A float vector (known or variable size; every row must have the same length).</summary>
    public static float[][] ReadEmbeddings(IDataView data, string columnName, string parameterName)
    {
        var column = Find(data, columnName, parameterName);
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentException($"Column '{columnName}' has type {column.Type}; an embedding must be a vector of Single.", parameterName);
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            var dense = new float[buffer.Length];
            buffer.CopyTo(dense);
            if (rows.Count > 0 && dense.Length != rows[0].Length)
                throw new ArgumentException($"Row {rows.Count} of column '{columnName}' has {dense.Length} values but row 0 has {rows[0].Length}.", parameterName);
            rows.Add(dense);
        }
        return rows.ToArray();
    }

    /// <summary>
    /// Class labels as strings, read by the library's one label reader (<see cref="ClassKeyReader"/>: text, key,
    /// Boolean, integer or floating point); a missing value (empty text, key 0, NaN) is an error naming the row.
    /// </summary>
    public static string[] ReadClassLabels(IDataView data, string columnName, string parameterName, string role = "label")
    {
        Find(data, columnName, parameterName);
        string?[] labels = ClassKeyReader.ReadAll(data, columnName, role, "evaluator", parameterName);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is null)
                throw new ArgumentException($"Row {i} has a missing value (empty text, key 0 or NaN) in {role} column '{columnName}'.", parameterName);
        }
        return labels!;
    }


    private static bool[] CheckNaN(double[] values, string columnName, string parameterName)
    {
        var result = new bool[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
                throw new ArgumentException($"The label of row {i} in column '{columnName}' is NaN.", parameterName);
            result[i] = values[i] > 0;
        }
        return result;
    }

    private static TOut[] Read<TIn, TOut>(IDataView data, DataViewSchema.Column column, Func<TIn, TOut> convert)
    {
        var values = new List<TOut>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<TIn>(column);
        TIn value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(convert(value));
        }
        return values.ToArray();
    }

    private static float[] ReadVectorHead<T>(IDataView data, DataViewSchema.Column column, string parameterName, Func<T, float> convert)
    {
        var values = new List<float>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (buffer.Length != 1)
                throw new ArgumentException($"Row {values.Count} of column '{column.Name}' holds {buffer.Length} values; a score vector must have exactly 1.", parameterName);
            values.Add(convert(buffer.GetItemOrDefault(0)));
        }
        return values.ToArray();
    }
}
