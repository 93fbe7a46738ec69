using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Tests.Pairs;

/// <summary>One labelled input row: Features[0] is the row number, so output rows can be traced to their source rows.</summary>
public sealed class ItemRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = new float[4];

    public string Label { get; set; } = "";

    public string Group { get; set; } = "";

    public string ImagePath { get; set; } = "";
}

/// <summary>One output pair, read back with CreateEnumerable.</summary>
public sealed class PairRow
{
    public bool Label { get; set; }

    public string LeftLabel { get; set; } = "";

    public string RightLabel { get; set; } = "";

    [VectorType(4)]
    public float[] LeftFeatures { get; set; } = [];

    [VectorType(4)]
    public float[] RightFeatures { get; set; } = [];

    public string LeftImagePath { get; set; } = "";

    public string RightImagePath { get; set; } = "";

    public int LeftRow => (int)LeftFeatures[0];

    public int RightRow => (int)RightFeatures[0];
}

/// <summary>One output triplet, read back with CreateEnumerable.</summary>
public sealed class TripletRow
{
    public string AnchorLabel { get; set; } = "";

    public string PositiveLabel { get; set; } = "";

    public string NegativeLabel { get; set; } = "";

    [VectorType(4)]
    public float[] AnchorFeatures { get; set; } = [];

    [VectorType(4)]
    public float[] PositiveFeatures { get; set; } = [];

    [VectorType(4)]
    public float[] NegativeFeatures { get; set; } = [];
}

internal static class PairTestData
{
    /// <summary>Rows of the given (label, group, count) classes, numbered in order.</summary>
    public static List<ItemRow> Rows(params (string Label, string Group, int Count)[] classes)
    {
        var rows = new List<ItemRow>();
        foreach (var (label, group, count) in classes)
        {
            for (int i = 0; i < count; i++)
            {
                int row = rows.Count;
                rows.Add(new ItemRow
                {
                    Features = [row, row * 2, row * 3, 1],
                    Label = label,
                    Group = group,
                    ImagePath = $"images/{group}/{label}/{row}.png",
                });
            }
        }

        return rows;
    }

    /// <summary>Two alphabets of three and two characters, and a one-character alphabet; 5 to 8 rows per character.</summary>
    public static List<ItemRow> Alphabets() => Rows(
        ("a1", "A", 5), ("a2", "A", 6), ("a3", "A", 7),
        ("b1", "B", 8), ("b2", "B", 5),
        ("c1", "C", 6));

    public static IDataView Load(MLContext ml, IEnumerable<ItemRow> rows) => ml.Data.LoadFromEnumerable(rows);

    public static List<PairRow> ReadPairs(MLContext ml, IDataView pairs)
        => [.. ml.Data.CreateEnumerable<PairRow>(pairs, reuseRowObject: false)];

    public static List<TripletRow> ReadTriplets(MLContext ml, IDataView triplets)
        => [.. ml.Data.CreateEnumerable<TripletRow>(triplets, reuseRowObject: false)];

    /// <summary>The exception or one of its inner exceptions whose message holds every part; fails naming the message otherwise.</summary>
    public static void AssertMessage(Exception exception, params string[] parts)
    {
        var all = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            all.Add($"{e.GetType().Name}: {e.Message}");
            if (parts.All(p => e.Message.Contains(p, StringComparison.Ordinal)))
            {
                return;
            }
        }

        Assert.Fail($"No message holds all of [{string.Join(", ", parts)}]; messages: {string.Join(" | ", all)}");
    }
}
