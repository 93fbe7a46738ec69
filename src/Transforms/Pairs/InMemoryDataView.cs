using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// An <see cref="IDataView"/> held in memory whose columns may have any <see cref="DataViewType"/>: vectors of known or
/// variable size (<see cref="VBuffer{T}"/>), text (<see cref="ReadOnlyMemory{T}"/> of <see cref="char"/>), keys,
/// booleans, numbers or any other type whose raw type is given. Build one with <see cref="Builder"/>.
/// </summary>
/// <remarks>
/// A column stores an array of values and, optionally, a row map: row <c>r</c> then shows value <c>values[map[r]]</c>,
/// so many rows can share one stored value (the pair generator stores each source row once and lets pairs refer to it).
/// Vector values are copied into the caller's buffer by the getters, so readers cannot change the stored data.
/// The view can be shuffled: a cursor asked for with a <see cref="Random"/> visits the rows in a random order.
/// </remarks>
internal sealed class InMemoryDataView : IDataView
{
    private readonly ColumnData[] _columns;
    private readonly int _rowCount;

    private InMemoryDataView(DataViewSchema schema, ColumnData[] columns, int rowCount)
    {
        Schema = schema;
        _columns = columns;
        _rowCount = rowCount;
    }

    /// <summary>The schema: one column for each column added to the <see cref="Builder"/>, in that order.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>Always true: a cursor asked for with a <see cref="Random"/> visits the rows in a random order.</summary>
    public bool CanShuffle => true;

    /// <summary>The number of rows, always known.</summary>
    /// <returns>The row count.</returns>
    public long? GetRowCount() => _rowCount;

    /// <summary>A cursor over the rows, making the <paramref name="columnsNeeded"/> active.</summary>
    /// <param name="columnsNeeded">The columns whose getters will be asked for.</param>
    /// <param name="rand">When not null, the rows are visited in an order drawn from it.</param>
    /// <returns>A new cursor, placed before the first row.</returns>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[_columns.Length];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= _columns.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' is not a column of this data view.");
            }

            active[column.Index] = true;
        }

        int[]? order = null;
        if (rand is not null)
        {
            order = new int[_rowCount];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            rand.Shuffle(order);
        }

        return new Cursor(this, active, order);
    }

    /// <summary>One cursor (this view is not split into parallel cursors).</summary>
    /// <param name="columnsNeeded">The columns whose getters will be asked for.</param>
    /// <param name="n">The suggested number of cursors; ignored.</param>
    /// <param name="rand">When not null, the rows are visited in an order drawn from it.</param>
    /// <returns>An array holding one cursor.</returns>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    /// <summary>Collects the columns of an <see cref="InMemoryDataView"/>; every column must have the same number of rows.</summary>
    public sealed class Builder
    {
        private readonly DataViewSchema.Builder _schema = new();
        private readonly List<ColumnData> _columns = [];
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private int _rowCount = -1;

        /// <summary>Adds a column whose row <c>r</c> is <c>values[r]</c>, or <c>values[rowToValue[r]]</c> when a row map is given.</summary>
        /// <typeparam name="T">The raw type of <paramref name="type"/>, e.g. <see cref="VBuffer{T}"/> of <see cref="float"/> for a float vector,
        /// <see cref="ReadOnlyMemory{T}"/> of <see cref="char"/> for text, <see cref="uint"/> for a key of <see cref="uint"/>.</typeparam>
        /// <param name="name">The column name, unique in the view.</param>
        /// <param name="type">The column type; its <see cref="DataViewType.RawType"/> must be <typeparamref name="T"/>.</param>
        /// <param name="values">The stored values; kept, not copied.</param>
        /// <param name="rowToValue">Optional row map: the index in <paramref name="values"/> of each row's value; kept, not copied.</param>
        /// <param name="annotations">Optional annotations of the column (slot names, key values...).</param>
        /// <returns>This builder.</returns>
        public Builder AddColumn<T>(string name, DataViewType type, T[] values, int[]? rowToValue = null,
            DataViewSchema.Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            ArgumentNullException.ThrowIfNull(values);
            if (type.RawType != typeof(T))
            {
                throw new ArgumentException($"Column '{name}' has type {type} whose raw type is {type.RawType}, but the values are {typeof(T)}.", nameof(values));
            }

            if (!_names.Add(name))
            {
                throw new ArgumentException($"A column named '{name}' was already added.", nameof(name));
            }

            int rows = rowToValue?.Length ?? values.Length;
            if (_rowCount >= 0 && rows != _rowCount)
            {
                throw new ArgumentException($"Column '{name}' has {rows} rows but the columns added before have {_rowCount}.", nameof(values));
            }

            if (rowToValue is not null)
            {
                foreach (int index in rowToValue)
                {
                    if ((uint)index >= (uint)values.Length)
                    {
                        throw new ArgumentOutOfRangeException(nameof(rowToValue), $"Row map of column '{name}' refers to value {index}, but there are {values.Length} values.");
                    }
                }
            }

            _rowCount = rows;
            _schema.AddColumn(name, type, annotations);
            _columns.Add(ColumnData.Create(values, rowToValue));
            return this;
        }

        /// <summary>Makes the data view. A builder with no columns makes a view with no columns and no rows.</summary>
        /// <returns>The data view.</returns>
        public InMemoryDataView Build() => new(_schema.ToSchema(), [.. _columns], Math.Max(_rowCount, 0));
    }

    private abstract class ColumnData
    {
        public static ColumnData Create<T>(T[] values, int[]? map)
        {
            if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>))
            {
                var dataType = typeof(VectorColumnData<>).MakeGenericType(typeof(T).GetGenericArguments()[0]);
                return (ColumnData)Activator.CreateInstance(dataType, values, map)!;
            }

            return new ScalarColumnData<T>(values, map);
        }

        public abstract Delegate MakeGetter(Cursor cursor);
    }

    private sealed class ScalarColumnData<T>(T[] values, int[]? map) : ColumnData
    {
        public override Delegate MakeGetter(Cursor cursor)
            => (ValueGetter<T>)((ref T value) => value = values[map is null ? cursor.CurrentRow : map[cursor.CurrentRow]]);
    }

    private sealed class VectorColumnData<TItem>(VBuffer<TItem>[] values, int[]? map) : ColumnData
    {
        public override Delegate MakeGetter(Cursor cursor)
            => (ValueGetter<VBuffer<TItem>>)((ref VBuffer<TItem> value)
                => values[map is null ? cursor.CurrentRow : map[cursor.CurrentRow]].CopyTo(ref value));
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly InMemoryDataView _view;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private bool _disposed;

        public Cursor(InMemoryDataView view, bool[] active, int[]? order)
        {
            _view = view;
            _active = active;
            _order = order;
        }

        public int CurrentRow
        {
            get
            {
                if (_position < 0 || _position >= _view._rowCount)
                {
                    throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and only while it returns true.");
                }

                return _order is null ? (int)_position : _order[_position];
            }
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_disposed || _position >= _view._rowCount)
            {
                return false;
            }

            _position++;
            return _position < _view._rowCount;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) => value = new DataViewRowId((ulong)CurrentRow, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < 0 || column.Index >= _active.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not a column of this data view.");
            }

            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not asked for when the cursor was made.");
            }

            if (_view._columns[column.Index].MakeGetter(this) is not ValueGetter<TValue> getter)
            {
                throw new InvalidOperationException(
                    $"Column '{column.Name}' has type {Schema[column.Index].Type} (raw type {Schema[column.Index].Type.RawType}), not {typeof(TValue)}.");
            }

            return getter;
        }

        protected override void Dispose(bool disposing)
        {
            _disposed = true;
            _position = _view._rowCount;
            base.Dispose(disposing);
        }
    }
}
