using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Copies the values of one input column, once per source row, while a cursor moves over the input; then adds output
/// columns to an <see cref="InMemoryDataView.Builder"/> that show those values through a row map (no further copies).
/// </summary>
internal abstract class SourceColumnStore
{
    protected SourceColumnStore(DataViewSchema.Column source) => Source = source;

    /// <summary>The input column.</summary>
    public DataViewSchema.Column Source { get; }

    /// <summary>Makes a store for <paramref name="column"/> of any type, reading from <paramref name="cursor"/>.</summary>
    public static SourceColumnStore Create(DataViewRow cursor, DataViewSchema.Column column)
    {
        var storeType = column.Type is VectorDataViewType vector
            ? typeof(VectorStore<>).MakeGenericType(vector.ItemType.RawType)
            : typeof(ScalarStore<>).MakeGenericType(column.Type.RawType);
        return (SourceColumnStore)Activator.CreateInstance(storeType, cursor, column)!;
    }

    /// <summary>Copies the value of the cursor's current row.</summary>
    public abstract void Append();

    /// <summary>Adds an output column named <paramref name="name"/> with the input column's type and annotations,
    /// whose row <c>r</c> shows the value of source row <c>sourceRows[r]</c>.</summary>
    public abstract void AddTo(InMemoryDataView.Builder builder, string name, int[] sourceRows);

    private sealed class ScalarStore<T> : SourceColumnStore
    {
        private readonly ValueGetter<T> _getter;
        private readonly List<T> _values = [];
        private T[]? _array;

        public ScalarStore(DataViewRow cursor, DataViewSchema.Column column)
            : base(column) => _getter = cursor.GetGetter<T>(column);

        public override void Append()
        {
            T value = default!;
            _getter(ref value);
            _values.Add(value);
        }

        public override void AddTo(InMemoryDataView.Builder builder, string name, int[] sourceRows)
            => builder.AddColumn(name, Source.Type, _array ??= [.. _values], sourceRows, Source.Annotations);
    }

    private sealed class VectorStore<TItem> : SourceColumnStore
    {
        private readonly ValueGetter<VBuffer<TItem>> _getter;
        private readonly List<VBuffer<TItem>> _values = [];
        private VBuffer<TItem>[]? _array;
        private VBuffer<TItem> _scratch;

        public VectorStore(DataViewRow cursor, DataViewSchema.Column column)
            : base(column) => _getter = cursor.GetGetter<VBuffer<TItem>>(column);

        public override void Append()
        {
            _getter(ref _scratch);
            VBuffer<TItem> copy = default;
            _scratch.CopyTo(ref copy);
            _values.Add(copy);
        }

        public override void AddTo(InMemoryDataView.Builder builder, string name, int[] sourceRows)
            => builder.AddColumn(name, Source.Type, _array ??= [.. _values], sourceRows, Source.Annotations);
    }
}
