using MLNet.Siamese.Trainers;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using SkiaSharp;

namespace MLNet.Siamese.Examples.Omniglot;

/// <summary>The example's pictures: the training loss curve and the seed's grid of held-out pairs.</summary>
internal static class Figures
{
    // Charts are drawn with OxyPlot on SkiaSharp 2.88, the SkiaSharp ML.NET ImageAnalytics (which decodes the images
    // here) uses; the pair grid is a picture of images, drawn with SkiaSharp directly.
    public static void LossCurve(IReadOnlyList<float> loss, string path)
    {
        int window = Math.Max(1, loss.Count / 50);
        var model = new PlotModel
        {
            Title = "Training loss", Subtitle = $"light: loss per iteration; dark: moving average over {window}",
            DefaultFont = "DejaVu Sans", Background = OxyColors.White,
        };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "iteration", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "loss", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        var raw = new LineSeries { Color = OxyColor.FromRgb(160, 190, 230), StrokeThickness = 1 };
        var smooth = new LineSeries { Color = OxyColor.FromRgb(20, 60, 160), StrokeThickness = 2.5 };
        double sum = 0;
        for (int i = 0; i < loss.Count; i++)
        {
            sum += loss[i];
            if (i >= window) sum -= loss[i - window];
            raw.Points.Add(new DataPoint(i + 1, loss[i]));
            smooth.Points.Add(new DataPoint(i + 1, sum / Math.Min(i + 1, window)));
        }
        model.Series.Add(raw);
        model.Series.Add(smooth);
        using var file = File.Create(path);
        new OxyPlot.SkiaSharp.PngExporter { Width = 900, Height = 500 }.Export(model, file);
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
