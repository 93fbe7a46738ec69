using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Transforms;

/// <summary>
/// Builds <see cref="SchemaShape"/> columns. ML.NET 5 keeps the constructor of <see cref="SchemaShape.Column"/> and
/// <c>SchemaShape.Create(DataViewSchema)</c> internal, so a third-party estimator cannot otherwise describe the columns
/// it adds in <see cref="IEstimator{TTransformer}.GetOutputSchema(SchemaShape)"/>. The constructor has had the same
/// signature since ML.NET 1.0; it is looked up once, and a clear exception names it if a future version changes it.
/// </summary>
internal static class SchemaShapeFactory
{
    private static readonly ConstructorInfo? ColumnConstructor = typeof(SchemaShape.Column).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
        binder: null,
        [typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)],
        modifiers: null);

    /// <summary>A column shape with the given name, kind, item type, key flag and annotations.</summary>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType,
        bool isKey, SchemaShape? annotations = null)
    {
        if (ColumnConstructor is null)
        {
            throw new InvalidOperationException(
                "This version of Microsoft.ML has no SchemaShape.Column(string, VectorKind, DataViewType, bool, SchemaShape) " +
                "constructor; MLNet.Siamese needs it to describe output columns in GetOutputSchema(SchemaShape).");
        }

        return (SchemaShape.Column)ColumnConstructor.Invoke([name, kind, itemType, isKey, annotations ?? new SchemaShape([])]);
    }

    /// <summary>The same column shape (kind, item type, key flag, annotations) under another name.</summary>
    public static SchemaShape.Column Renamed(SchemaShape.Column column, string name)
        => Column(name, column.Kind, column.ItemType, column.IsKey, column.Annotations);

    /// <summary>The shape of one column of a <see cref="DataViewSchema"/>, as ML.NET's internal <c>SchemaShape.Create</c> makes it.</summary>
    public static SchemaShape.Column FromColumn(DataViewSchema.Column column)
    {
        var annotations = new SchemaShape(column.Annotations.Schema.Select(a => FromType(a.Name, a.Type, null)));
        return FromType(column.Name, column.Type, annotations);
    }

    /// <summary>The shape of the visible columns of <paramref name="schema"/>, as ML.NET's internal <c>SchemaShape.Create</c> makes it.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema)
        => new(schema.Where(c => !c.IsHidden).Select(FromColumn));

    private static SchemaShape.Column FromType(string name, DataViewType type, SchemaShape? annotations)
    {
        var kind = SchemaShape.Column.VectorKind.Scalar;
        var itemType = type;
        if (type is VectorDataViewType vector)
        {
            kind = vector.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector;
            itemType = vector.ItemType;
        }

        bool isKey = itemType is KeyDataViewType;
        if (itemType is KeyDataViewType key)
        {
            itemType = NumberTypeOf(key.RawType);
        }

        return Column(name, kind, itemType, isKey, annotations);
    }

    private static DataViewType NumberTypeOf(Type raw) =>
        raw == typeof(byte) ? NumberDataViewType.Byte
        : raw == typeof(ushort) ? NumberDataViewType.UInt16
        : raw == typeof(uint) ? NumberDataViewType.UInt32
        : raw == typeof(ulong) ? NumberDataViewType.UInt64
        : throw new ArgumentOutOfRangeException(nameof(raw), $"{raw} is not a key raw type.");
}
