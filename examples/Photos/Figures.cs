using System.Globalization;
using SkiaSharp;

namespace MLNet.Siamese.Examples.Photos;

/// <summary>
/// The example's pictures, drawn with SkiaSharp 2.88 (the version ML.NET ImageAnalytics loads in this process; ScottPlot
/// 5.1 needs SkiaSharp 3, and one process cannot load both): loss curve, ROC curves, query with its nearest neighbours.
/// </summary>
internal static class Figures
{
    private const int Margin = 60;

    /// <summary>The training loss per iteration (light) and its moving average (dark).</summary>
    public static void LossCurve(IReadOnlyList<float> loss, string title, string path)
    {
        const int width = 900, height = 480;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, Margin, 30, font, text);
        if (loss.Count > 0)
        {
            float max = loss.Max(), min = Math.Min(0, loss.Min());
            float X(int i) => Margin + (width - 2 * Margin) * (loss.Count == 1 ? 0 : i / (float)(loss.Count - 1));
            float Y(double v) => height - Margin - (height - 2 * Margin) * (float)((v - min) / Math.Max(1e-9, max - min));
            Axes(canvas, font, text, width, height, $"iteration (1..{loss.Count})", "loss", min.ToString("0.###", CultureInfo.InvariantCulture), max.ToString("0.###", CultureInfo.InvariantCulture));
            using var raw = new SKPaint { Color = new SKColor(160, 190, 230), IsStroke = true, StrokeWidth = 1, IsAntialias = true };
            using var smooth = new SKPaint { Color = new SKColor(20, 60, 160), IsStroke = true, StrokeWidth = 2.5f, IsAntialias = true };
            Polyline(canvas, Enumerable.Range(0, loss.Count).Select(i => new SKPoint(X(i), Y(loss[i]))), raw);
            int window = Math.Max(1, loss.Count / 20);
            Polyline(canvas, Enumerable.Range(0, loss.Count).Select(i =>
            {
                int from = Math.Max(0, i - window + 1);
                return new SKPoint(X(i), Y(Enumerable.Range(from, i - from + 1).Average(k => loss[k])));
            }), smooth);
        }
        Save(surface, path);
    }

    /// <summary>ROC curves (true positive rate against false positive rate) of several distance sets on the same pairs.</summary>
    public static void Roc(IReadOnlyList<(string Name, float[] Distances, SKColor Colour)> curves, bool[] same, string path)
    {
        const int size = 560;
        using var surface = SKSurface.Create(new SKImageInfo(size, size));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        Axes(canvas, font, text, size, size, "false positive rate", "true positive rate", "0", "1");
        float X(double v) => Margin + (size - 2 * Margin) * (float)v;
        float Y(double v) => size - Margin - (size - 2 * Margin) * (float)v;
        using var diagonal = new SKPaint { Color = SKColors.LightGray, IsStroke = true, StrokeWidth = 1 };
        canvas.DrawLine(X(0), Y(0), X(1), Y(1), diagonal);
        int positives = same.Count(s => s), negatives = same.Length - positives;
        for (int c = 0; c < curves.Count; c++)
        {
            var (name, distances, colour) = curves[c];
            var order = Enumerable.Range(0, distances.Length).OrderBy(i => distances[i]).ToArray();
            var points = new List<SKPoint> { new(X(0), Y(0)) };
            int tp = 0, fp = 0;
            foreach (int i in order)
            {
                if (same[i]) tp++; else fp++;
                points.Add(new SKPoint(X(fp / (double)negatives), Y(tp / (double)positives)));
            }
            using var paint = new SKPaint { Color = colour, IsStroke = true, StrokeWidth = 2, IsAntialias = true };
            Polyline(canvas, points, paint);
            using var label = new SKPaint { Color = colour, IsAntialias = true };
            canvas.DrawText(name, X(0.35), Y(0.25 - 0.07 * c), font, label);
        }
        Save(surface, path);
    }

    /// <summary>
    /// One row per query: the query photo, then its nearest neighbours among the other items, framed green when of the
    /// query's class and red when not.
    /// </summary>
    public static void Neighbours(IReadOnlyList<string> paths, IReadOnlyList<string> labels, IReadOnlyList<(int Query, int[] Neighbours)> rows, string path)
    {
        const int cell = 128, gap = 8, header = 22;
        int columns = 1 + rows.Max(r => r.Neighbours.Length);
        int width = columns * (cell + gap) + gap, height = rows.Count * (cell + header + gap) + gap;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 12);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int r = 0; r < rows.Count; r++)
        {
            var (query, neighbours) = rows[r];
            int top = gap + r * (cell + header + gap);
            for (int c = 0; c <= neighbours.Length; c++)
            {
                int item = c == 0 ? query : neighbours[c - 1];
                int left = gap + c * (cell + gap);
                using (var bitmap = SKBitmap.Decode(paths[item]))
                    if (bitmap is not null)
                        canvas.DrawBitmap(bitmap, Fit(bitmap, new SKRect(left, top + header, left + cell, top + header + cell)));
                var frame = c == 0 ? SKColors.Black : labels[item] == labels[query] ? new SKColor(0, 160, 0) : new SKColor(210, 0, 0);
                using var border = new SKPaint { Color = frame, IsStroke = true, StrokeWidth = c == 0 ? 2 : 4 };
                canvas.DrawRect(left, top + header, cell, cell, border);
                string caption = c == 0 ? "query: " + labels[item] : labels[item];
                canvas.DrawText(caption.Length > 20 ? caption[..20] : caption, left, top + header - 6, font, text);
            }
        }
        Save(surface, path);
    }

    private static SKRect Fit(SKBitmap bitmap, SKRect box)
    {
        float scale = Math.Min(box.Width / bitmap.Width, box.Height / bitmap.Height);
        float w = bitmap.Width * scale, h = bitmap.Height * scale;
        return SKRect.Create(box.MidX - w / 2, box.MidY - h / 2, w, h);
    }

    private static void Axes(SKCanvas canvas, SKFont font, SKPaint text, int width, int height, string xLabel, string yLabel, string yMin, string yMax)
    {
        using var axis = new SKPaint { Color = SKColors.Black, IsStroke = true, StrokeWidth = 1, IsAntialias = true };
        canvas.DrawLine(Margin, Margin, Margin, height - Margin, axis);
        canvas.DrawLine(Margin, height - Margin, width - Margin, height - Margin, axis);
        canvas.DrawText(xLabel, width / 2 - 60, height - Margin + 35, font, text);
        canvas.DrawText(yLabel, 5, Margin - 10, font, text);
        canvas.DrawText(yMin, 10, height - Margin, font, text);
        canvas.DrawText(yMax, 10, Margin + 10, font, text);
    }

    private static void Polyline(SKCanvas canvas, IEnumerable<SKPoint> points, SKPaint paint)
    {
        using var path = new SKPath();
        bool first = true;
        foreach (var p in points)
        {
            if (first) path.MoveTo(p); else path.LineTo(p);
            first = false;
        }
        canvas.DrawPath(path, paint);
    }

    private static void Save(SKSurface surface, string path)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
