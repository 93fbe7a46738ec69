using System.Globalization;
using MLNet.Siamese.Data;
using Microsoft.ML;

namespace MLNet.Siamese;

/// <summary>A recipe chosen for a set of images, and why.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Reason">One sentence with the measured values the choice rests on.</param>
internal sealed record RecipeChoice(SiameseRecipe Recipe, string Reason);

/// <summary>
/// Picks a recipe from what a sample of the images looks like: drawings (mostly a light, flat background with dark
/// strokes, few mid-tones) get <see cref="SiameseRecipes.Handwriting"/>; colour images, or images of at least <see cref="PhotoSide"/>
/// pixels, get <see cref="SiameseRecipes.Photos"/> (a pretrained backbone); small grayscale images get
/// <see cref="SiameseRecipes.General"/>. It is a guess from pixels, printed by <c>siamese train</c> and overridden with
/// <c>--recipe</c>.
/// </summary>
internal static class RecipeDetection
{
    /// <summary>Images decoded for the decision (spread evenly over the list). 64.</summary>
    public const int SampleSize = 64;

    /// <summary>A pixel at least this light (0..1) counts as background paper. 0.8.</summary>
    public const float LightPixel = 0.8f;

    /// <summary>Drawings: at least this fraction of the sampled pixels is background paper. 0.6.</summary>
    public const double DrawingBackgroundFraction = 0.6;

    /// <summary>
    /// Drawings' ink is dark: of the pixels that are not background, at most this fraction are mid-tones (0.35 to 0.8).
    /// Omniglot's sampled drawings have none; Caltech-101's motorbikes, colour photos on a white background (69 % light),
    /// have 48 %: without this test they were taken for drawings. 0.25.
    /// </summary>
    public const double DrawingMidToneFraction = 0.25;

    /// <summary>A pixel darker than this (0..1) is ink; between it and <see cref="LightPixel"/>, a mid-tone. 0.35.</summary>
    public const float DarkPixel = 0.35f;

    /// <summary>Images whose mean |R-G| and |G-B| (0..1) is above this are colour. 0.02.</summary>
    public const double ColourDifference = 0.02;

    /// <summary>Grayscale images whose median longer side is at least this many pixels are photos, not small glyphs. 64.</summary>
    public const int PhotoSide = 64;

    /// <summary>Chooses a recipe for image files.</summary>
    /// <param name="mlContext">The ML.NET context (decodes the sample).</param>
    /// <param name="imagePaths">The training images.</param>
    /// <returns>The recipe and the reason.</returns>
    public static RecipeChoice ForImages(MLContext mlContext, IReadOnlyList<string> imagePaths)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        if (imagePaths.Count == 0)
            return new RecipeChoice(SiameseRecipes.General, "no images to look at");
        int n = Math.Min(SampleSize, imagePaths.Count);
        var sample = Enumerable.Range(0, n).Select(i => imagePaths[(int)((long)i * imagePaths.Count / n)]).ToArray();
        float[] pixels = ImagePreprocessing.DecodeToArray(mlContext, sample, new ImagePreprocessingOptions { Width = 48, Height = 48, Channels = 3 });
        int plane = 48 * 48;
        long light = 0, mid = 0;
        double difference = 0;
        for (int image = 0; image < n; image++)
        {
            int offset = image * 3 * plane;
            for (int i = 0; i < plane; i++)
            {
                float r = pixels[offset + i], g = pixels[offset + plane + i], b = pixels[offset + 2 * plane + i];
                float tone = (r + g + b) / 3;
                if (tone >= LightPixel) light++;
                else if (tone >= DarkPixel) mid++;
                difference += (Math.Abs(r - g) + Math.Abs(g - b)) / 2;
            }
        }
        double lightFraction = light / (double)(n * plane);
        long other = (long)n * plane - light;
        double midTones = other == 0 ? 0 : mid / (double)other;
        double colour = difference / (n * plane);
        int side = MedianSide(sample);
        string measured = string.Create(CultureInfo.InvariantCulture,
            $"{n} sampled images: {lightFraction:P0} of the pixels light background, {midTones:P0} of the others mid-tones, colour difference {colour:F3}, median side {side} px");
        if (lightFraction >= DrawingBackgroundFraction && midTones <= DrawingMidToneFraction)
            return new RecipeChoice(SiameseRecipes.Handwriting, string.Create(CultureInfo.InvariantCulture, $"{measured}: drawings on paper"));
        if (colour > ColourDifference || side >= PhotoSide)
            return new RecipeChoice(SiameseRecipes.Photos, string.Create(CultureInfo.InvariantCulture, $"{measured}: {(colour > ColourDifference ? "colour" : "large")} pictures, a pretrained backbone"));
        return new RecipeChoice(SiameseRecipes.General, string.Create(CultureInfo.InvariantCulture, $"{measured}: small grayscale images"));
    }

    private static int MedianSide(IReadOnlyList<string> paths)
    {
        var sides = new List<int>(paths.Count);
        foreach (var path in paths)
        {
            using var codec = SkiaSharp.SKCodec.Create(path);
            if (codec is not null)
                sides.Add(Math.Max(codec.Info.Width, codec.Info.Height));
        }
        sides.Sort();
        return sides.Count == 0 ? 0 : sides[sides.Count / 2];
    }

    /// <summary>Chooses a recipe for fixed-size feature vectors (IDX files): <see cref="SiameseRecipes.General"/>.</summary>
    /// <returns>The recipe and the reason.</returns>
    public static RecipeChoice ForFeatures() => new(SiameseRecipes.General, "feature vectors (IDX) carry no sign of the kind of images");
}
