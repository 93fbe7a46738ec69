using System.Globalization;
using SkiaSharp;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Writes search results as one PNG: the query first, then the results, in rows of up to <see cref="Columns"/> tiles,
/// each captioned ("query", or rank and distance). Drawn with SkiaSharp (which ML.NET ImageAnalytics brings in);
/// captions use a built-in 5x7 pixel font so no system font is needed.
/// </summary>
internal static class TileImage
{
    public const int Tile = 112;
    public const int Columns = 6;
    private const int Pad = 8;
    private const int Scale = 2;
    private const int CaptionHeight = 7 * Scale + 8;

    public static void Write(string path, ItemSet query, int queryIndex, ItemSet gallery, IReadOnlyList<(int Index, float Distance)> hits)
    {
        int count = hits.Count + 1;
        int columns = Math.Min(Columns, count);
        int rows = (count + columns - 1) / columns;
        int width = Pad + columns * (Tile + Pad);
        int height = Pad + rows * (Tile + CaptionHeight + Pad);
        using var surface = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(surface);
        canvas.Clear(SKColors.White);
        for (int t = 0; t < count; t++)
        {
            int x = Pad + (t % columns) * (Tile + Pad);
            int y = Pad + (t / columns) * (Tile + CaptionHeight + Pad);
            var (set, index, caption, colour) = t == 0
                ? (query, queryIndex, "query", new SKColor(0x1f, 0x77, 0xb4))
                : (gallery, hits[t - 1].Index, string.Create(CultureInfo.InvariantCulture, $"#{t} {hits[t - 1].Distance:F3}"), SKColors.Black);
            using (var image = LoadTile(set, index))
            {
                if (image is not null)
                    canvas.DrawBitmap(image, new SKRect(x, y, x + Tile, y + Tile));
            }
            using (var frame = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = t == 0 ? 3 : 1 })
                canvas.DrawRect(new SKRect(x, y, x + Tile, y + Tile), frame);
            PixelFont.Draw(canvas, caption, x + 2, y + Tile + 4, Scale, colour);
        }
        canvas.Flush();
        using var encoded = SKImage.FromBitmap(surface).Encode(SKEncodedImageFormat.Png, 100);
        MLNet.Siamese.Files.SafeFileOutput.Write(path, encoded.SaveTo);
    }

    internal static SKBitmap? LoadTile(ItemSet set, int index)
    {
        if (set.Kind == InputKind.Images)
            return SKBitmap.Decode(set.Ids[index]);
        var bitmap = new SKBitmap(set.Side, set.Side, SKColorType.Gray8, SKAlphaType.Opaque);
        float[] row = set.FeatureRow(index);
        for (int y = 0; y < set.Side; y++)
        {
            for (int x = 0; x < set.Side; x++)
            {
                byte v = (byte)Math.Clamp((int)MathF.Round(row[y * set.Side + x] * 255f), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }
        return bitmap;
    }
}

/// <summary>A 5x7 pixel font for captions: digits, '.', '-', '#', ':' and the letters of "query", "NaN" and "unknown"; others are blank.</summary>
internal static class PixelFont
{
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['0'] = ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
        ['1'] = ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
        ['2'] = ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
        ['3'] = ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
        ['4'] = ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
        ['5'] = ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
        ['6'] = ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
        ['7'] = ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
        ['8'] = ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
        ['9'] = ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
        ['.'] = ["00000", "00000", "00000", "00000", "00000", "01100", "01100"],
        ['-'] = ["00000", "00000", "00000", "11111", "00000", "00000", "00000"],
        [':'] = ["00000", "01100", "01100", "00000", "01100", "01100", "00000"],
        ['#'] = ["01010", "01010", "11111", "01010", "11111", "01010", "01010"],
        ['q'] = ["00000", "00000", "01111", "10001", "01111", "00001", "00001"],
        ['u'] = ["00000", "00000", "10001", "10001", "10001", "10011", "01101"],
        ['e'] = ["00000", "00000", "01110", "10001", "11111", "10000", "01110"],
        ['r'] = ["00000", "00000", "10110", "11001", "10000", "10000", "10000"],
        ['y'] = ["00000", "00000", "10001", "10001", "01111", "00001", "01110"],
        ['N'] = ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
        ['a'] = ["00000", "00000", "01110", "00001", "01111", "10001", "01111"],
        ['k'] = ["10000", "10000", "10010", "10100", "11000", "10100", "10010"],
        ['n'] = ["00000", "00000", "10110", "11001", "10001", "10001", "10001"],
        ['o'] = ["00000", "00000", "01110", "10001", "10001", "10001", "01110"],
        ['w'] = ["00000", "00000", "10001", "10001", "10101", "10101", "01010"],
    };

    public static void Draw(SKCanvas canvas, string text, float x, float y, int scale, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, Style = SKPaintStyle.Fill, IsAntialias = false };
        foreach (char c in text)
        {
            if (Glyphs.TryGetValue(c, out var rows))
            {
                for (int r = 0; r < rows.Length; r++)
                {
                    for (int col = 0; col < rows[r].Length; col++)
                    {
                        if (rows[r][col] == '1')
                            canvas.DrawRect(x + col * scale, y + r * scale, scale, scale, paint);
                    }
                }
            }
            x += 6 * scale;
        }
    }
}
