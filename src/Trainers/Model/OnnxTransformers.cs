using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>The input schemas ML.NET's ONNX transformers are fitted on, and empty views of them.</summary>
internal static class OnnxTransformers
{
    /// <summary>A schema of float vector columns of one size.</summary>
    public static DataViewSchema VectorSchema(int size, params string[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in columns) builder.AddColumn(name, new VectorDataViewType(NumberDataViewType.Single, size));
        return builder.ToSchema();
    }

    /// <summary>A schema of text columns (image paths).</summary>
    public static DataViewSchema TextSchema(params string[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in columns) builder.AddColumn(name, TextDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <summary>A schema of image columns (ML.NET's <c>MLImage</c>, of any size), as LoadImages makes them.</summary>
    public static DataViewSchema ImageSchema(params string[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in columns) builder.AddColumn(name, new Microsoft.ML.Transforms.Image.ImageDataViewType());
        return builder.ToSchema();
    }

    /// <summary>An empty data view of <paramref name="schema"/>, to fit transformers on.</summary>
    public static IDataView Empty(DataViewSchema schema) => new EmptyDataView(schema);

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
