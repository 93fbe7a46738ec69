using MLNet.Siamese.Trainers;
using SkiaSharp;

namespace MLNet.Siamese.Examples.Omniglot;

/// <summary>The example's pictures: the training loss curve and the seed's grid of held-out pairs.</summary>
internal static class Figures
{
    // ScottPlot 5.1 (the version served) needs SkiaSharp 3, while ML.NET 5.0.1 ImageAnalytics, which this process uses to
    // decode images, needs SkiaSharp 2.88 (SkiaSharp 3 removed SKBitmap.GetPixelSpan). One process cannot load both,
    // so this example draws its two figures with SkiaSharp 2.88 directly.
    public static void LossCurve(IReadOnlyList<float> loss, string path)
    {
        const int width = 900, height = 500, left = 70, right = 20, top = 40, bottom = 50;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var axis = new SKPaint { Color = SKColors.Black, IsStroke = true, StrokeWidth = 1, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), IsStroke = true, StrokeWidth = 1 };
        using var rawPaint = new SKPaint { Color = new SKColor(160, 190, 230), IsStroke = true, StrokeWidth = 1, IsAntialias = true };
        using var smoothPaint = new SKPaint { Color = new SKColor(20, 60, 160), IsStroke = true, StrokeWidth = 2.5f, IsAntialias = true };
        float max = loss.Count == 0 ? 1 : loss.Max(), min = 0;
        float X(int i) => left + (width - left - right) * (loss.Count <= 1 ? 0 : i / (float)(loss.Count - 1));
        float Y(double v) => top + (height - top - bottom) * (float)(1 - (v - min) / Math.Max(1e-9, max - min));
        for (int k = 0; k <= 5; k++)
        {
            double v = min + (max - min) * k / 5;
            canvas.DrawLine(left, Y(v), width - right, Y(v), grid);
            canvas.DrawText(v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), 8, Y(v) + 5, font, text);
        }
        for (int k = 0; k <= 5; k++)
        {
            int i = (loss.Count - 1) * k / 5;
            canvas.DrawText((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), X(i) - (k == 5 ? 30 : 10), height - bottom + 20, font, text);
        }
        canvas.DrawLine(left, top, left, height - bottom, axis);
        canvas.DrawLine(left, height - bottom, width - right, height - bottom, axis);
        int window = Math.Max(1, loss.Count / 50);
        using (var rawPath = new SKPath())
        using (var smoothPath = new SKPath())
        {
            double sum = 0;
            for (int i = 0; i < loss.Count; i++)
            {
                sum += loss[i];
                if (i >= window) sum -= loss[i - window];
                double smooth = sum / Math.Min(i + 1, window);
                if (i == 0) { rawPath.MoveTo(X(i), Y(loss[i])); smoothPath.MoveTo(X(i), Y(smooth)); }
                else { rawPath.LineTo(X(i), Y(loss[i])); smoothPath.LineTo(X(i), Y(smooth)); }
            }
            canvas.DrawPath(rawPath, rawPaint);
            canvas.DrawPath(smoothPath, smoothPaint);
        }
        using var title = new SKFont(SKTypeface.Default, 18);
        canvas.DrawText("Training loss", left, 25, title, text);
        canvas.DrawText("iteration", width / 2 - 30, height - 12, font, text);
        canvas.DrawText($"light: loss per iteration; dark: moving average over {window}", width - 430, 25, font, text);
        Save(surface, path);
    }

    public static void PairGrid(IReadOnlyList<(LabelledImagePair Pair, PairPrediction Prediction)> items, string path)
    {
        const int cell = 105, pad = 10, caption = 46, columns = 5;
        int rows = (items.Count + columns - 1) / columns;
        int width = columns * (2 * cell + 3 * pad), height = rows * (cell + caption + 2 * pad);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var green = new SKPaint { Color = new SKColor(0, 128, 0), IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(200, 0, 0), IsAntialias = true };
        using var frame = new SKPaint { Color = SKColors.Gray, IsStroke = true, StrokeWidth = 1 };
        for (int i = 0; i < items.Count; i++)
        {
            var (pair, prediction) = items[i];
            int x = (i % columns) * (2 * cell + 3 * pad) + pad, y = (i / columns) * (cell + caption + 2 * pad) + pad;
            using (var left = SKBitmap.Decode(pair.LeftImagePath))
                canvas.DrawBitmap(left, new SKRect(x, y, x + cell, y + cell));
            using (var right = SKBitmap.Decode(pair.RightImagePath))
                canvas.DrawBitmap(right, new SKRect(x + cell + pad, y, x + 2 * cell + pad, y + cell));
            canvas.DrawRect(x, y, cell, cell, frame);
            canvas.DrawRect(x + cell + pad, y, cell, cell, frame);
            bool correct = prediction.PredictedLabel == pair.Label;
            canvas.DrawText($"target: {(pair.Label ? "similar" : "dissimilar")}", x, y + cell + 16, font, black);
            canvas.DrawText($"predicted: {(prediction.PredictedLabel ? "similar" : "dissimilar")} ({prediction.Score:F2})", x, y + cell + 34, font, correct ? green : red);
        }
        Save(surface, path);
    }

    private static void Save(SKSurface surface, string path)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
