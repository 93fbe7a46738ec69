using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLNet.Siamese.Cli.Plots;

/// <summary>
/// The pictures of <c>siamese train --plots DIR</c>: <c>loss.png</c> (the loss of every iteration, light, and its moving
/// average, dark) and, when the run validated, <c>validation.png</c> (the validation score at each validation: pair
/// accuracy, or MAP@R of held-out classes with a pretrained backbone, whose score before training is drawn at 0). Both <see cref="PlotFiles.Width"/> x <see cref="PlotFiles.Height"/> pixels.
/// </summary>
internal static class TrainPlots
{
    /// <summary>File name of the loss curve.</summary>
    public const string LossFile = "loss.png";

    /// <summary>File name of the validation curve.</summary>
    public const string ValidationFile = "validation.png";

    /// <summary>Writes the pictures into <paramref name="folder"/>; returns their full paths, loss first.</summary>
    /// <param name="folder">Folder to write to.</param>
    /// <param name="loss">Loss of every iteration.</param>
    /// <param name="validation">Validation scores by iteration.</param>
    /// <param name="metric">What the scores measure ("pair accuracy", "MAP@R").</param>
    /// <param name="start">The score before the first step, when measured.</param>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<float> loss, IReadOnlyList<KeyValuePair<int, double>> validation,
        string metric = "pair accuracy", double? start = null)
    {
        var written = new List<string> { PlotFiles.Save(LossCurve(loss), Path.Combine(folder, LossFile)) };
        if (validation.Count > 0)
            written.Add(PlotFiles.Save(ValidationCurve(validation, metric, start), Path.Combine(folder, ValidationFile)));
        return written;
    }

    /// <summary>The trailing moving-average window for <paramref name="count"/> iterations: a fiftieth of the run, at least 1.</summary>
    public static int Window(int count) => Math.Max(1, count / 50);

    /// <summary>Trailing moving average over <paramref name="window"/> values (fewer at the start); non-finite values are skipped.</summary>
    public static double[] MovingAverage(IReadOnlyList<float> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var result = new double[values.Count];
        double sum = 0;
        int finite = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (float.IsFinite(values[i])) { sum += values[i]; finite++; }
            if (i >= window && float.IsFinite(values[i - window])) { sum -= values[i - window]; finite--; }
            result[i] = finite == 0 ? double.NaN : sum / finite;
        }
        return result;
    }

    private static PlotModel LossCurve(IReadOnlyList<float> loss)
    {
        int window = Window(loss.Count);
        double[] smooth = MovingAverage(loss, window);
        var model = PlotFiles.NewModel("Training loss", string.Create(CultureInfo.InvariantCulture,
            $"{loss.Count} iterations; last moving average {(smooth.Length == 0 ? double.NaN : smooth[^1]):G4}"));
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "iteration", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "loss", MajorGridlineStyle = LineStyle.Dot });
        var raw = new LineSeries { Title = "loss per iteration", Color = OxyColor.FromRgb(160, 190, 230), StrokeThickness = 1 };
        var average = new LineSeries { Title = $"moving average over {window}", Color = OxyColor.FromRgb(20, 60, 160), StrokeThickness = 2.5 };
        for (int i = 0; i < loss.Count; i++)
        {
            raw.Points.Add(float.IsFinite(loss[i]) ? new DataPoint(i + 1, loss[i]) : DataPoint.Undefined);
            average.Points.Add(double.IsFinite(smooth[i]) ? new DataPoint(i + 1, smooth[i]) : DataPoint.Undefined);
        }
        model.Series.Add(raw);
        model.Series.Add(average);
        model.Legends.Add(PlotFiles.Legend(LegendPosition.TopRight));
        return model;
    }

    private static PlotModel ValidationCurve(IReadOnlyList<KeyValuePair<int, double>> validation, string metric, double? start)
    {
        var best = validation.MaxBy(v => v.Value);
        bool accuracy = metric == "pair accuracy";
        string format = accuracy ? "P1" : "F4";
        var model = PlotFiles.NewModel($"Validation {metric}", string.Create(CultureInfo.InvariantCulture,
            $"{validation.Count} validation(s); best {best.Value.ToString(format, CultureInfo.InvariantCulture)} at iteration {best.Key}{(start is { } s ? $"; before training {s.ToString(format, CultureInfo.InvariantCulture)}" : "")}"));
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "iteration", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left, Title = metric, Minimum = 0, Maximum = 1, StringFormat = accuracy ? "P0" : "0.0", MajorGridlineStyle = LineStyle.Dot,
        });
        var series = new LineSeries
        {
            Title = $"validation {metric}", Color = OxyColor.FromRgb(0x2c, 0xa0, 0x2c), StrokeThickness = 2,
            MarkerType = MarkerType.Circle, MarkerSize = 4, MarkerFill = OxyColor.FromRgb(0x2c, 0xa0, 0x2c),
        };
        foreach (var (iteration, score) in validation)
            series.Points.Add(new DataPoint(iteration, score));
        model.Series.Add(series);
        if (start is { } before)
        {
            var untrained = new ScatterSeries { Title = "before training (kept unless beaten)", MarkerType = MarkerType.Diamond, MarkerSize = 6, MarkerFill = OxyColor.FromRgb(0xd6, 0x27, 0x28) };
            untrained.Points.Add(new ScatterPoint(0, before));
            model.Series.Add(untrained);
        }
        model.Legends.Add(PlotFiles.Legend(LegendPosition.BottomRight));
        return model;
    }
}
