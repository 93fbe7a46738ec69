using SkiaSharp;

namespace DigitsEmbedding;

/// <summary>Draws a query image and its neighbours side by side, with captions, as a PNG (SkiaSharp 2.88, as used by ML.NET ImageAnalytics).</summary>
internal static class ImageTiles
{
    private const int Scale = 4;
    private const int Caption = 50;
    private const int Gap = 10;

    /// <param name="path">The PNG to write.</param>
    /// <param name="tiles">Images of width x height values in 0..1 (1 = white ink after IDX scaling) and three short caption lines (each fits the tile width); the first is the query.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="columns">Tiles per row.</param>
    public static void Save(string path, IReadOnlyList<(float[] Pixels, string Line1, string Line2, string Line3)> tiles, int width, int height, int columns = 5)
    {
        int tileW = width * Scale, tileH = height * Scale;
        int rows = (tiles.Count + columns - 1) / columns;
        int imageW = Gap + columns * (tileW + Gap);
        int imageH = Gap + rows * (tileH + Caption + Gap);
        using var bitmap = new SKBitmap(imageW, imageH);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var font = new SKFont(SKTypeface.Default, 12);
            using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var border = new SKPaint { Color = SKColors.Red, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
            for (int t = 0; t < tiles.Count; t++)
            {
                int x0 = Gap + t % columns * (tileW + Gap);
                int y0 = Gap + t / columns * (tileH + Caption + Gap);
                var (pixels, line1, line2, line3) = tiles[t];
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        byte v = (byte)(255 - Math.Clamp(pixels[y * width + x], 0f, 1f) * 255);   // dark ink on white
                        using var paint = new SKPaint { Color = new SKColor(v, v, v) };
                        canvas.DrawRect(x0 + x * Scale, y0 + y * Scale, Scale, Scale, paint);
                    }
                if (t == 0) canvas.DrawRect(x0 - 2, y0 - 2, tileW + 4, tileH + 4, border);
                canvas.DrawText(line1, x0, y0 + tileH + 14, font, text);
                canvas.DrawText(line2, x0, y0 + tileH + 29, font, text);
                canvas.DrawText(line3, x0, y0 + tileH + 44, font, text);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
