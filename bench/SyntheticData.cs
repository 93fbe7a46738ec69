using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Bench;

/// <summary>Labelled feature vectors as an ML.NET IDataView (columns Features, Label, Group), synthetic or from decoded images.</summary>
internal static class SyntheticData
{
    /// <summary>Random values in 0..1 with labels item % classes.</summary>
    public static float[] Random(int count, int size, int seed)
    {
        var random = new Random(seed);
        var features = new float[(long)count * size];
        for (long i = 0; i < features.Length; i++) features[i] = (float)random.NextDouble();
        return features;
    }

    public static IDataView ToDataView(MLContext ml, float[] features, int size, IReadOnlyList<string> labels)
    {
        int count = labels.Count;
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        var rows = Enumerable.Range(0, count).Select(i => new Row
        {
            Features = features.AsSpan(i * size, size).ToArray(),
            Label = labels[i],
            Group = "g" + (labels[i].GetHashCode(StringComparison.Ordinal) & 3),
        });
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    public static string[] Labels(int count, int classes) => Enumerable.Range(0, count).Select(i => "c" + (i % classes)).ToArray();

    public sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public string Label { get; set; } = "";
        public string Group { get; set; } = "";
    }
}
