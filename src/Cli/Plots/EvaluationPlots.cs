using System.Globalization;
using MLNet.Siamese.Evaluation;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLNet.Siamese.Cli.Plots;

/// <summary>
/// The pictures of <c>siamese evaluate --plots DIR</c>, each <see cref="PlotFiles.Width"/> x <see cref="PlotFiles.Height"/>:
/// <c>roc.png</c>, the ROC curve of the pair scores with the model's operating point (its own decisions) marked, and
/// <c>scores.png</c>, histograms of the scores of same-class and different-class pairs with the model's threshold.
/// </summary>
internal static class EvaluationPlots
{
    /// <summary>File name of the ROC curve.</summary>
    public const string RocFile = "roc.png";

    /// <summary>File name of the score histograms.</summary>
    public const string HistogramFile = "scores.png";

    private const int Bins = 40;
    private static readonly OxyColor Same = OxyColor.FromRgb(0x1f, 0x77, 0xb4);
    private static readonly OxyColor Different = OxyColor.FromRgb(0xff, 0x7f, 0x0e);
    private static readonly OxyColor Operating = OxyColor.FromRgb(0xd6, 0x27, 0x28);

    /// <summary>Writes both pictures into <paramref name="folder"/>; returns their full paths (ROC first).</summary>
    /// <param name="folder">Output folder.</param>
    /// <param name="scores">Pair scores, higher = more similar.</param>
    /// <param name="labels">True for same-class pairs.</param>
    /// <param name="predicted">The model's decisions.</param>
    /// <param name="metrics">The metrics of these pairs (AUC, confusion matrix).</param>
    /// <param name="threshold">The threshold the model zip records; null to infer it from the decisions (<see cref="ModelThreshold"/>).</param>
    public static IReadOnlyList<string> Write(string folder, float[] scores, bool[] labels, bool[] predicted, PairMetrics metrics, double? threshold = null) =>
    [
        PlotFiles.Save(Roc(scores, labels, metrics), Path.Combine(folder, RocFile)),
        PlotFiles.Save(Histograms(scores, labels, threshold ?? ModelThreshold(scores, predicted)), Path.Combine(folder, HistogramFile)),
    ];

    /// <summary>The ROC curve: (false positive rate, true positive rate) as the threshold falls through the distinct scores.</summary>
    public static List<DataPoint> RocPoints(float[] scores, bool[] labels)
    {
        long positives = labels.LongCount(l => l), negatives = labels.Length - positives;
        var points = new List<DataPoint> { new(0, 0) };
        if (positives == 0 || negatives == 0)
            return points;
        int[] order = Enumerable.Range(0, scores.Length).Where(i => !float.IsNaN(scores[i])).OrderByDescending(i => scores[i]).ToArray();
        long tp = 0, fp = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (labels[order[k]]) tp++; else fp++;
            if (k + 1 == order.Length || scores[order[k + 1]] != scores[order[k]])
                points.Add(new DataPoint(fp / (double)negatives, tp / (double)positives));
        }
        return points;
    }

    /// <summary>
    /// The threshold the model's decisions imply: midway between the highest score it called different and the lowest it
    /// called same (exact up to that gap; the zip's ONNX graph holds the threshold itself). Null when all decisions agree.
    /// </summary>
    public static double? ModelThreshold(float[] scores, bool[] predicted)
    {
        var same = scores.Where((s, i) => predicted[i] && float.IsFinite(s)).ToArray();
        var different = scores.Where((s, i) => !predicted[i] && float.IsFinite(s)).ToArray();
        if (same.Length == 0 || different.Length == 0)
            return null;
        double low = same.Min(), high = different.Max();
        return high <= low ? (low + high) / 2 : low;
    }

    private static PlotModel Roc(float[] scores, bool[] labels, PairMetrics metrics)
    {
        var c = metrics.ConfusionMatrix;
        double tpr = c.TruePositives / (double)Math.Max(1, c.TruePositives + c.FalseNegatives);
        double fpr = c.FalsePositives / (double)Math.Max(1, c.FalsePositives + c.TrueNegatives);
        var model = PlotFiles.NewModel("ROC of the pair scores", string.Create(CultureInfo.InvariantCulture,
            $"{metrics.Count} pairs ({metrics.PositiveCount} same, {metrics.NegativeCount} different); AUC {metrics.AreaUnderRocCurve:F3}, EER {metrics.EqualErrorRate:P1}"));
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "false positive rate (different pairs called same)", Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "true positive rate (same pairs called same)", Minimum = 0, Maximum = 1.02, MajorGridlineStyle = LineStyle.Dot });
        var chance = new LineSeries { Title = "chance", Color = OxyColors.Gray, LineStyle = LineStyle.Dash, StrokeThickness = 1 };
        chance.Points.Add(new DataPoint(0, 0));
        chance.Points.Add(new DataPoint(1, 1));
        var curve = new LineSeries { Title = "ROC", Color = Same, StrokeThickness = 2.5 };
        curve.Points.AddRange(RocPoints(scores, labels));
        var point = new ScatterSeries
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"model threshold: TPR {tpr:P1}, FPR {fpr:P1} (accuracy {metrics.Accuracy:P1})"),
            MarkerType = MarkerType.Circle, MarkerSize = 7, MarkerFill = Operating, MarkerStroke = OxyColors.White,
        };
        point.Points.Add(new ScatterPoint(fpr, tpr));
        model.Series.Add(chance);
        model.Series.Add(curve);
        model.Series.Add(point);
        model.Legends.Add(PlotFiles.Legend(LegendPosition.BottomRight));
        return model;
    }

    private static PlotModel Histograms(float[] scores, bool[] labels, double? threshold)
    {
        var finite = scores.Where(float.IsFinite).ToArray();
        double min = finite.Length == 0 ? 0 : finite.Min(), max = finite.Length == 0 ? 1 : finite.Max();
        if (max - min < 1e-6) { min -= 0.5; max += 0.5; }
        double width = (max - min) / Bins;
        var model = PlotFiles.NewModel("Pair scores by ground truth", threshold is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"higher = more similar; the model calls a pair the same class above its threshold {t:G4}")
            : "higher = more similar; the model gave every pair the same decision");
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "pair score", Minimum = min, Maximum = max, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "pairs", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Series.Add(Histogram("same class", scores.Where((s, i) => labels[i] && float.IsFinite(s)), min, width, Same));
        model.Series.Add(Histogram("different classes", scores.Where((s, i) => !labels[i] && float.IsFinite(s)), min, width, Different));
        if (threshold is { } at)
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical, X = at, Color = Operating, StrokeThickness = 2, LineStyle = LineStyle.Dash,
                Text = string.Create(CultureInfo.InvariantCulture, $"threshold {at:G3}"), TextColor = Operating, TextLinePosition = 0.5,
            });
        }
        model.Legends.Add(PlotFiles.Legend(LegendPosition.TopCenter));
        return model;
    }

    private static HistogramSeries Histogram(string title, IEnumerable<float> values, double min, double width, OxyColor colour)
    {
        var counts = new int[Bins];
        int total = 0;
        foreach (float v in values)
        {
            counts[Math.Clamp((int)((v - min) / width), 0, Bins - 1)]++;
            total++;
        }
        var series = new HistogramSeries
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"{title} ({total})"),
            FillColor = OxyColor.FromAColor(110, colour), StrokeColor = colour, StrokeThickness = 1,
        };
        for (int b = 0; b < Bins; b++)
            series.Items.Add(new HistogramItem(min + b * width, min + (b + 1) * width, counts[b] * width, counts[b]));
        return series;
    }
}
