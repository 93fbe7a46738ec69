using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>Wraps ONNX model bytes in ML.NET's own ONNX transformer, fitted on an empty view of the input columns.</summary>
internal static class OnnxTransformers
{
    public static ITransformer Fit(MLContext context, byte[] onnx, IReadOnlyList<string> inputColumns, int inputSize)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in inputColumns)
            builder.AddColumn(name, new VectorDataViewType(NumberDataViewType.Single, inputSize));
        var empty = new EmptyDataView(builder.ToSchema());
        var estimator = context.Transforms.ApplyOnnxModel(new MemoryStream(onnx));
        return estimator.Fit(empty);
    }

    /// <summary>An empty data view with text columns, to fit image loaders on.</summary>
    public static IDataView EmptyText(params string[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in columns) builder.AddColumn(name, TextDataViewType.Instance);
        return new EmptyDataView(builder.ToSchema());
    }

    private sealed class EmptyDataView : IDataView
    {
        public EmptyDataView(DataViewSchema schema) => Schema = schema;

        public bool CanShuffle => true;

        public DataViewSchema Schema { get; }

        public long? GetRowCount() => 0;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new EmptyCursor(Schema);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new DataViewRowCursor[] { new EmptyCursor(Schema) };
    }

    private sealed class EmptyCursor : DataViewRowCursor
    {
        public EmptyCursor(DataViewSchema schema) => Schema = schema;

        public override DataViewSchema Schema { get; }

        public override long Position => -1;

        public override long Batch => 0;

        public override bool MoveNext() => false;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ref TValue value) => throw new InvalidOperationException("The cursor has no rows.");

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => throw new InvalidOperationException("The cursor has no rows.");

        public override bool IsColumnActive(DataViewSchema.Column column) => true;
    }
}
