using OxyPlot;
using OxyPlot.Legends;

namespace MLNet.Siamese.Cli.Plots;

/// <summary>
/// What every picture of the CLI shares: its size, font, colours and how it is written (OxyPlot rendered by SkiaSharp
/// 2.88, the SkiaSharp ML.NET ImageAnalytics uses; written to a temporary file and renamed, so a reader never sees half
/// a PNG). Text uses the system font "DejaVu Sans" (Debian's fonts-dejavu-core), or Skia's default when it is missing.
/// </summary>
internal static class PlotFiles
{
    /// <summary>Width of a chart in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height of a chart in pixels.</summary>
    public const int Height = 560;

    /// <summary>Side of the square embedding map in pixels.</summary>
    public const int MapSide = 900;

    /// <summary>Ten distinct colours (matplotlib's "tab10"), cycled for more classes.</summary>
    public static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(0x1f, 0x77, 0xb4), OxyColor.FromRgb(0xff, 0x7f, 0x0e), OxyColor.FromRgb(0x2c, 0xa0, 0x2c),
        OxyColor.FromRgb(0xd6, 0x27, 0x28), OxyColor.FromRgb(0x94, 0x67, 0xbd), OxyColor.FromRgb(0x8c, 0x56, 0x4b),
        OxyColor.FromRgb(0xe3, 0x77, 0xc2), OxyColor.FromRgb(0x7f, 0x7f, 0x7f), OxyColor.FromRgb(0xbc, 0xbd, 0x22),
        OxyColor.FromRgb(0x17, 0xbe, 0xcf),
    ];

    /// <summary>
    /// One colour per class: <see cref="Palette"/> for up to its 10 colours; past that, as many evenly spaced hues
    /// (<c>OxyPalettes.HueDistinct</c>), so no two classes share a colour.
    /// </summary>
    /// <param name="count">Classes to colour.</param>
    /// <returns><paramref name="count"/> colours.</returns>
    public static IReadOnlyList<OxyColor> ColoursFor(int count)
        => count <= Palette.Length ? Palette[..count] : [.. OxyPalettes.HueDistinct(count).Colors];

    /// <summary>A white plot model with the CLI's title font.</summary>
    public static PlotModel NewModel(string title, string? subtitle = null) => new()
    {
        Title = title,
        Subtitle = subtitle,
        DefaultFont = "DejaVu Sans",
        DefaultFontSize = 13,
        TitleFontSize = 17,
        SubtitleFontSize = 12,
        Background = OxyColors.White,
        PlotAreaBorderColor = OxyColors.Gray,
    };

    /// <summary>A legend inside the plot area, at the given corner.</summary>
    public static Legend Legend(LegendPosition position) => new()
    {
        LegendPosition = position,
        LegendPlacement = LegendPlacement.Inside,
        LegendBackground = OxyColor.FromAColor(220, OxyColors.White),
        LegendBorder = OxyColors.LightGray,
    };

    /// <summary>Renders the model as a PNG of the given size at <paramref name="path"/> (folders created); returns the full path.</summary>
    public static string Save(PlotModel model, string path, int width = Width, int height = Height)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        string temp = full + ".tmp";
        using (var stream = File.Create(temp))
            new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
        File.Move(temp, full, overwrite: true);
        return full;
    }

    /// <summary>The folder a command writes its pictures to: created, and refused when it is a file.</summary>
    public static string Folder(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new CliUsageException($"{option} '{path}' is a file; give a folder for the pictures.");
        Directory.CreateDirectory(full);
        return full;
    }
}
