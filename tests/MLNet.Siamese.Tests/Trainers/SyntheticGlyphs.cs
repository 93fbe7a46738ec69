using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>One labelled item: a flat 28x28 image in 0..1.</summary>
public sealed class GlyphItem
{
    [VectorType(784)]
    public float[] Features { get; set; } = Array.Empty<float>();

    public string Label { get; set; } = string.Empty;

    public string Group { get; set; } = string.Empty;
}

/// <summary>One pair of items for PredictionEngine.</summary>
public sealed class GlyphPair
{
    [VectorType(784)]
    public float[] LeftFeatures { get; set; } = Array.Empty<float>();

    [VectorType(784)]
    public float[] RightFeatures { get; set; } = Array.Empty<float>();
}

/// <summary>
/// Synthetic "characters": each class is a few random strokes on a 28x28 canvas; its items are the strokes drawn with
/// a random shift of up to 2 pixels, jittered endpoints and pixel noise. Small, fast, and hard enough that pixel
/// distance alone is a poor matcher while a trained network separates unseen classes.
/// </summary>
public static class SyntheticGlyphs
{
    public static List<GlyphItem> Make(int classes, int perClass, int seed, string prefix = "c", int groups = 1)
    {
        var random = new Random(seed);
        var items = new List<GlyphItem>();
        for (int c = 0; c < classes; c++)
        {
            var strokes = Enumerable.Range(0, 3).Select(_ => (random.Next(4, 24), random.Next(4, 24), random.Next(4, 24), random.Next(4, 24))).ToArray();
            for (int k = 0; k < perClass; k++)
            {
                var image = new float[784];
                int dx = random.Next(-2, 3), dy = random.Next(-2, 3);
                foreach (var (x0, y0, x1, y1) in strokes)
                    Line(image, x0 + dx + random.Next(-1, 2), y0 + dy + random.Next(-1, 2), x1 + dx + random.Next(-1, 2), y1 + dy + random.Next(-1, 2));
                for (int i = 0; i < image.Length; i++)
                    image[i] = Math.Clamp(image[i] + (float)(random.NextDouble() * 0.1), 0f, 1f);
                items.Add(new GlyphItem { Features = image, Label = $"{prefix}{c:D3}", Group = $"g{c % groups}" });
            }
        }
        return items;
    }

    public static IDataView Load(MLContext ml, IEnumerable<GlyphItem> items) => ml.Data.LoadFromEnumerable(items);

    private static void Line(float[] image, int x0, int y0, int x1, int y1)
    {
        int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) + 1;
        for (int s = 0; s <= steps; s++)
        {
            double t = s / (double)steps;
            int x = (int)Math.Round(x0 + t * (x1 - x0));
            int y = (int)Math.Round(y0 + t * (y1 - y0));
            for (int oy = 0; oy <= 1; oy++)
                for (int ox = 0; ox <= 1; ox++)
                {
                    int xx = x + ox, yy = y + oy;
                    if (xx is >= 0 and < 28 && yy is >= 0 and < 28) image[yy * 28 + xx] = 1f;
                }
        }
    }

    /// <summary>Balanced pairs of items of <paramref name="items"/> with their same-class truth.</summary>
    public static List<(GlyphPair Pair, bool Same)> Pairs(IReadOnlyList<GlyphItem> items, int count, int seed)
    {
        var random = new Random(seed);
        var byClass = items.GroupBy(i => i.Label).Select(g => g.ToArray()).ToArray();
        var result = new List<(GlyphPair, bool)>();
        for (int i = 0; i < count; i++)
        {
            bool same = i % 2 == 0;
            var a = byClass[random.Next(byClass.Length)];
            GlyphItem left = a[random.Next(a.Length)], right;
            if (same)
            {
                do right = a[random.Next(a.Length)]; while (ReferenceEquals(right, left));
            }
            else
            {
                GlyphItem[] b;
                do b = byClass[random.Next(byClass.Length)]; while (ReferenceEquals(b, a));
                right = b[random.Next(b.Length)];
            }
            result.Add((new GlyphPair { LeftFeatures = left.Features, RightFeatures = right.Features }, same));
        }
        return result;
    }
}
