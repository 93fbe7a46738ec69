using System.Globalization;
using SkiaSharp;

namespace MLNet.Siamese.Cli;

/// <summary>A tile of a <see cref="TileSheet"/>: a picture (loaded when drawn, disposed after), a frame and a caption.</summary>
/// <param name="Image">Loads the picture; null (or a null result) leaves the tile blank.</param>
/// <param name="Caption">The caption under the tile (see <see cref="PixelFont"/> for the characters drawn).</param>
/// <param name="Colour">The colour of the frame and the caption.</param>
/// <param name="Stroke">The width of the frame.</param>
internal sealed record SheetTile(Func<SKBitmap?>? Image, string Caption, SKColor Colour, int Stroke = 1);

/// <summary>
/// The tool's one tile drawer: rows of captioned, framed tiles written as one PNG (search results, identification
/// answers). Drawn with SkiaSharp (which ML.NET ImageAnalytics brings in); captions use a built-in 5x7 pixel font so no
/// system font is needed; the file is written with <see cref="MLNet.Siamese.Files.SafeFileOutput"/>.
/// </summary>
internal static class TileSheet
{
    public const int Tile = 112;
    private const int Pad = 8;
    private const int Scale = 2;
    private const int CaptionHeight = 7 * Scale + 8;

    /// <summary>Draws <paramref name="rows"/> (one list of tiles per row, as wide as the longest) into <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<IReadOnlyList<SheetTile>> rows)
    {
        int columns = Math.Max(1, rows.Max(r => r.Count));
        int width = Pad + columns * (Tile + Pad);
        int height = Pad + rows.Count * (Tile + CaptionHeight + Pad);
        using var surface = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(surface);
        canvas.Clear(SKColors.White);
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows[r].Count; c++)
            {
                var tile = rows[r][c];
                int x = Pad + c * (Tile + Pad);
                int y = Pad + r * (Tile + CaptionHeight + Pad);
                using (var image = tile.Image?.Invoke())
                {
                    if (image is not null)
                        canvas.DrawBitmap(image, new SKRect(x, y, x + Tile, y + Tile));
                }
                using (var frame = new SKPaint { Color = tile.Colour, Style = SKPaintStyle.Stroke, StrokeWidth = tile.Stroke })
                    canvas.DrawRect(new SKRect(x, y, x + Tile, y + Tile), frame);
                PixelFont.Draw(canvas, tile.Caption, x + 2, y + Tile + 4, Scale, tile.Colour);
            }
        }
        canvas.Flush();
        using var encoded = SKImage.FromBitmap(surface).Encode(SKEncodedImageFormat.Png, 100);
        MLNet.Siamese.Files.SafeFileOutput.Write(path, encoded.SaveTo);
    }

    /// <summary>The picture of item <paramref name="index"/>: its image file, or its IDX pixels as a grayscale bitmap.</summary>
    internal static SKBitmap? LoadTile(ItemSet set, int index)
    {
        if (set.Kind == InputKind.Images)
            return SKBitmap.Decode(set.Paths[index]);
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

    /// <summary>A rank caption: "#rank distance" with three decimals, invariant culture.</summary>
    internal static string RankCaption(int rank, float distance) => string.Create(CultureInfo.InvariantCulture, $"#{rank} {distance:F3}");
}
