using MLNet.Siamese.Identification;
using SkiaSharp;

namespace MLNet.Siamese.Examples.Identification;

/// <summary>
/// One row per query: the query, then its nearest gallery drawings. The query's frame tells the outcome: green, an
/// enrolled character identified correctly; red, a wrong answer (wrong character, or an impostor accepted); grey, the
/// answer "unknown" (right for an impostor, a miss for an enrolled character: its label then stays black).
/// A small bar under the query is green for enrolled characters and black for never-enrolled ones.
/// </summary>
internal static class AnswerPicture
{
    private const int Tile = 96, Pad = 8;

    public static void Write(string path, IReadOnlyList<(string Query, bool Enrolled, string Label, IdentificationResult Result)> rows)
    {
        int columns = 1 + rows.Max(r => r.Result.NeighborIds.Length);
        using var bitmap = new SKBitmap(Pad + columns * (Tile + Pad) + Pad, Pad + rows.Count * (Tile + 2 * Pad));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        for (int r = 0; r < rows.Count; r++)
        {
            var (query, enrolled, label, result) = rows[r];
            int y = Pad + r * (Tile + 2 * Pad);
            SKColor outcome = !result.IsKnown ? SKColors.Gray
                : enrolled && result.PredictedLabel == label ? new SKColor(0x2c, 0xa0, 0x2c) : new SKColor(0xd6, 0x27, 0x28);
            DrawTile(canvas, query, Pad, y, outcome, 4);
            using (var bar = new SKPaint { Color = enrolled ? new SKColor(0x2c, 0xa0, 0x2c) : SKColors.Black })
                canvas.DrawRect(Pad, y + Tile + 2, Tile, 4, bar);
            for (int n = 0; n < result.NeighborIds.Length; n++)
            {
                bool same = result.NeighborLabels[n] == label;
                DrawTile(canvas, result.NeighborIds[n], Pad + (n + 1) * (Tile + Pad), y, same ? new SKColor(0x2c, 0xa0, 0x2c) : SKColors.LightGray, same ? 3 : 1);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var stream = File.Create(path);
        data.SaveTo(stream);
    }

    private static void DrawTile(SKCanvas canvas, string file, int x, int y, SKColor frame, int stroke)
    {
        using (var image = SKBitmap.Decode(file))
            if (image is not null) canvas.DrawBitmap(image, new SKRect(x, y, x + Tile, y + Tile));
        using var paint = new SKPaint { Color = frame, Style = SKPaintStyle.Stroke, StrokeWidth = stroke };
        canvas.DrawRect(new SKRect(x, y, x + Tile, y + Tile), paint);
    }
}
