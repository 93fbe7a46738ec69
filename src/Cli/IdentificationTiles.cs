using System.Globalization;
using MLNet.Siamese.Identification;
using SkiaSharp;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Writes identification answers as one PNG, one row per query: the query (captioned "known" with a green frame, or
/// "unknown" with a red one), then its neighbours captioned with rank and distance; when the answer is known, the
/// first neighbour (the answer) is framed green. Gallery tiles are read from their ids when those are image files.
/// Uses <see cref="TileImage"/>'s tile size and <see cref="PixelFont"/>.
/// </summary>
internal static class IdentificationTiles
{
    private const int Pad = 8;
    private const int Scale = 2;
    private const int CaptionHeight = 7 * Scale + 8;
    private static readonly SKColor Known = new(0x2c, 0xa0, 0x2c);
    private static readonly SKColor Unknown = new(0xd6, 0x27, 0x28);

    public static void Write(string path, ItemSet queries, IReadOnlyList<IdentificationResult> results, int maxRows = 24)
    {
        int rows = Math.Min(results.Count, maxRows);
        int columns = 1 + results.Max(r => r.NeighborIds.Length);
        int tile = TileImage.Tile;
        int width = Pad + columns * (tile + Pad);
        int height = Pad + rows * (tile + CaptionHeight + Pad);
        using var surface = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(surface);
        canvas.Clear(SKColors.White);
        for (int q = 0; q < rows; q++)
        {
            var result = results[q];
            int y = Pad + q * (tile + CaptionHeight + Pad);
            SKColor queryColour = result.IsKnown ? Known : Unknown;
            using (var image = QueryTile(queries, q))
                Draw(canvas, image, Pad, y, tile, queryColour, 3, result.IsKnown ? "known" : "unknown");
            for (int n = 0; n < result.NeighborIds.Length; n++)
            {
                int x = Pad + (n + 1) * (tile + Pad);
                bool answer = n == 0 && result.IsKnown;
                string caption = string.Create(CultureInfo.InvariantCulture, $"#{n + 1} {result.NeighborDistances[n]:F3}");
                using var image = File.Exists(result.NeighborIds[n]) ? SKBitmap.Decode(result.NeighborIds[n]) : null;
                Draw(canvas, image, x, y, tile, answer ? Known : SKColors.Black, answer ? 3 : 1, caption);
            }
        }
        canvas.Flush();
        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        using var encoded = SKImage.FromBitmap(surface).Encode(SKEncodedImageFormat.Png, 100);
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
            encoded.SaveTo(stream);
        File.Move(temp, path, overwrite: true);
    }

    private static void Draw(SKCanvas canvas, SKBitmap? image, int x, int y, int tile, SKColor colour, int stroke, string caption)
    {
        if (image is not null)
            canvas.DrawBitmap(image, new SKRect(x, y, x + tile, y + tile));
        using (var frame = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = stroke })
            canvas.DrawRect(new SKRect(x, y, x + tile, y + tile), frame);
        PixelFont.Draw(canvas, caption, x + 2, y + tile + 4, Scale, colour);
    }

    private static SKBitmap? QueryTile(ItemSet set, int index)
    {
        if (set.Kind == InputKind.Images)
            return SKBitmap.Decode(set.Ids[index]);
        var bitmap = new SKBitmap(set.Side, set.Side, SKColorType.Gray8, SKAlphaType.Opaque);
        float[] row = set.FeatureRow(index);
        for (int y = 0; y < set.Side; y++)
            for (int x = 0; x < set.Side; x++)
            {
                byte v = (byte)Math.Clamp((int)MathF.Round(row[y * set.Side + x] * 255f), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        return bitmap;
    }
}
