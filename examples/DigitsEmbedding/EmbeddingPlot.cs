using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace DigitsEmbedding;

/// <summary>A scatter plot of 2-D embeddings, one colour per class, with a legend (OxyPlot on SkiaSharp 2.88).</summary>
internal static class EmbeddingPlot
{
    // matplotlib's "tab10"
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(0x1f, 0x77, 0xb4), OxyColor.FromRgb(0xff, 0x7f, 0x0e), OxyColor.FromRgb(0x2c, 0xa0, 0x2c),
        OxyColor.FromRgb(0xd6, 0x27, 0x28), OxyColor.FromRgb(0x94, 0x67, 0xbd), OxyColor.FromRgb(0x8c, 0x56, 0x4b),
        OxyColor.FromRgb(0xe3, 0x77, 0xc2), OxyColor.FromRgb(0x7f, 0x7f, 0x7f), OxyColor.FromRgb(0xbc, 0xbd, 0x22),
        OxyColor.FromRgb(0x17, 0xbe, 0xcf),
    ];

    public static void Save(string path, string title, IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels, Func<string, string> className)
    {
        var model = new PlotModel { Title = title, DefaultFont = "DejaVu Sans", Background = OxyColors.White, TitleFontSize = 15 };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "embedding[0]", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "embedding[1]", MajorGridlineStyle = LineStyle.Dot });
        var classes = labels.Distinct().OrderBy(l => int.TryParse(l, out int n) ? n : int.MaxValue).ThenBy(l => l, StringComparer.Ordinal).ToList();
        for (int c = 0; c < classes.Count; c++)
        {
            var points = new ScatterSeries
            {
                Title = className(classes[c]), MarkerType = MarkerType.Circle, MarkerSize = 2.5,
                MarkerFill = OxyColor.FromAColor(180, Palette[c % Palette.Length]),
            };
            for (int i = 0; i < labels.Count; i++)
            {
                if (labels[i] == classes[c])
                    points.Points.Add(new ScatterPoint(embeddings[i][0], embeddings[i][1]));
            }
            model.Series.Add(points);
        }
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside });
        using var file = File.Create(path);
        new OxyPlot.SkiaSharp.PngExporter { Width = 1000, Height = 760 }.Export(model, file);
    }
}
