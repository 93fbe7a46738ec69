using ScottPlot;

namespace DigitsEmbedding;

/// <summary>A scatter plot of 2-D embeddings, one colour per class, with a legend (ScottPlot).</summary>
internal static class EmbeddingPlot
{
    public static void Save(string path, string title, IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels, Func<string, string> className)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var classes = labels.Distinct().OrderBy(l => int.TryParse(l, out int n) ? n : int.MaxValue).ThenBy(l => l, StringComparer.Ordinal).ToList();
        for (int c = 0; c < classes.Count; c++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == classes[c]).ToArray();
            double[] xs = members.Select(i => (double)embeddings[i][0]).ToArray();
            double[] ys = members.Select(i => (double)embeddings[i][1]).ToArray();
            var points = plot.Add.ScatterPoints(xs, ys);
            points.Color = palette.GetColor(c).WithAlpha(0.7);
            points.MarkerSize = 4;
            points.LegendText = className(classes[c]);
        }
        plot.Title(title);
        plot.XLabel("embedding[0]");
        plot.YLabel("embedding[1]");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 1000, 760);
    }
}
