using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using SkiaSharp;

namespace MLNet.Siamese.Cli.Plots;

/// <summary>
/// <c>siamese embed --plot map.png</c>: the embeddings on a plane, <see cref="PlotFiles.MapSide"/> pixels square. Above two
/// dimensions they are projected on their first two principal components by ML.NET's
/// <c>ProjectToPrincipalComponents</c>; each class has its colour (a legend up to <see cref="MaxLegendClasses"/> classes);
/// up to <see cref="MaxThumbnails"/> items are drawn as thumbnails of themselves, their ink in their class colour,
/// more as dots.
/// </summary>
internal static class EmbeddingMap
{
    /// <summary>Most items drawn as thumbnails; above this every item is a dot.</summary>
    public const int MaxThumbnails = 200;

    /// <summary>Most classes listed in the legend.</summary>
    public const int MaxLegendClasses = 12;

    private const int ThumbnailPixels = 28;
    private const double ThumbnailScreenSize = 30;

    /// <summary>Draws the map to <paramref name="path"/>; returns its full path.</summary>
    public static string Write(string path, MLContext ml, ItemSet items, float[][] embeddings)
    {
        if (Directory.Exists(path))
            throw new CliUsageException($"--plot '{path}' is a folder; give a file name such as map.png.");
        int dimension = embeddings.Length == 0 ? 0 : embeddings[0].Length;
        double[][] xy = Project(ml, embeddings);
        var classes = items.Labels.Distinct().Order(StringComparer.Ordinal).ToList();
        var colours = PlotFiles.ColoursFor(classes.Count);
        var colourOf = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => colours[x.i], StringComparer.Ordinal);
        bool thumbnails = items.Count <= MaxThumbnails;
        string how = dimension > 2 ? $"{dimension}-d embeddings on their first two principal components (ML.NET PCA)" : $"{dimension}-d embeddings as they are";
        var model = PlotFiles.NewModel(string.Create(CultureInfo.InvariantCulture, $"Embedding map: {items.Count} items, {classes.Count} classes"),
            how + (thumbnails ? "; each item drawn as itself, in its class colour" : "; one dot per item, coloured by class"));
        string axisName = dimension > 2 ? "principal component" : "embedding";
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = axisName + " 1", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = axisName + " 2", MajorGridlineStyle = LineStyle.Dot });
        foreach (string label in classes)
        {
            var series = new ScatterSeries
            {
                Title = classes.Count <= MaxLegendClasses ? label : null,
                MarkerType = MarkerType.Circle, MarkerSize = thumbnails ? 2 : 3.5, MarkerFill = colourOf[label],
            };
            for (int i = 0; i < items.Count; i++)
            {
                if (items.Labels[i] == label)
                    series.Points.Add(new ScatterPoint(xy[i][0], xy[i][1]));
            }
            model.Series.Add(series);
        }
        if (thumbnails)
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (Thumbnail(items, i, colourOf[items.Labels[i]]) is not { } image)
                    continue;
                model.Annotations.Add(new ImageAnnotation
                {
                    ImageSource = image,
                    X = new PlotLength(xy[i][0], PlotLengthUnit.Data),
                    Y = new PlotLength(xy[i][1], PlotLengthUnit.Data),
                    Width = new PlotLength(ThumbnailScreenSize, PlotLengthUnit.ScreenUnits),
                    Height = new PlotLength(ThumbnailScreenSize, PlotLengthUnit.ScreenUnits),
                    HorizontalAlignment = HorizontalAlignment.Center,
                    VerticalAlignment = VerticalAlignment.Middle,
                    Layer = AnnotationLayer.AboveSeries,
                });
            }
        }
        if (classes.Count <= MaxLegendClasses)
            model.Legends.Add(PlotFiles.Legend(LegendPosition.RightTop));
        return PlotFiles.Save(model, path, PlotFiles.MapSide, PlotFiles.MapSide);
    }

    /// <summary>Two coordinates per item: the embedding itself up to 2-D, its first two principal components above.</summary>
    public static double[][] Project(MLContext ml, float[][] embeddings)
    {
        int dimension = embeddings.Length == 0 ? 0 : embeddings[0].Length;
        if (dimension <= 2 || embeddings.Length < 3)
            return embeddings.Select(e => new[] { e.Length > 0 ? e[0] : 0.0, e.Length > 1 ? e[1] : 0.0 }).ToArray();
        var schema = SchemaDefinition.Create(typeof(EmbeddingRow));
        schema[nameof(EmbeddingRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        IDataView data = ml.Data.LoadFromEnumerable(embeddings.Select(e => new EmbeddingRow { Embedding = e }), schema);
        IDataView projected = ml.Transforms.ProjectToPrincipalComponents(nameof(ProjectedRow.Projected), nameof(EmbeddingRow.Embedding), rank: 2, seed: 1)
            .Fit(data).Transform(data);
        return ml.Data.CreateEnumerable<ProjectedRow>(projected, reuseRowObject: false)
            .Select(r => new[] { (double)r.Projected[0], r.Projected[1] }).ToArray();
    }

    /// <summary>The item as a small PNG whose ink (the minority tone) is the class colour and whose background is transparent.</summary>
    private static OxyImage? Thumbnail(ItemSet items, int index, OxyColor colour)
    {
        using SKBitmap? source = TileSheet.LoadTile(items, index);
        if (source is null)
            return null;
        using var small = source.Resize(new SKImageInfo(ThumbnailPixels, ThumbnailPixels), SKFilterQuality.Medium) ?? source.Copy();
        var luminance = new float[ThumbnailPixels * ThumbnailPixels];
        for (int y = 0; y < ThumbnailPixels; y++)
        {
            for (int x = 0; x < ThumbnailPixels; x++)
            {
                SKColor p = small.GetPixel(x, y);
                luminance[y * ThumbnailPixels + x] = (0.299f * p.Red + 0.587f * p.Green + 0.114f * p.Blue) / 255f;
            }
        }
        bool darkInk = luminance.Average() > 0.5f;
        using var tinted = new SKBitmap(ThumbnailPixels, ThumbnailPixels, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int i = 0; i < luminance.Length; i++)
        {
            float ink = darkInk ? 1 - luminance[i] : luminance[i];
            tinted.SetPixel(i % ThumbnailPixels, i / ThumbnailPixels, new SKColor(colour.R, colour.G, colour.B, (byte)Math.Clamp((int)(ink * 255), 0, 255)));
        }
        using var image = SKImage.FromBitmap(tinted);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return new OxyImage(png.ToArray());
    }

    private sealed class EmbeddingRow
    {
        public float[] Embedding { get; set; } = [];
    }

    private sealed class ProjectedRow
    {
        public float[] Projected { get; set; } = [];
    }
}
