using System.Globalization;
using MLNet.Siamese.Data;
using Microsoft.ML;

namespace MLNet.Siamese;

/// <summary>A recipe chosen for a set of images, and why.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Reason">One sentence with the measured values the choice rests on.</param>
public sealed record RecipeChoice(SiameseRecipe Recipe, string Reason);

/// <summary>
/// Picks a recipe from what a sample of the images looks like: drawings (mostly a light, flat background with dark
/// strokes) get <see cref="SiameseRecipes.Handwriting"/>, everything else <see cref="SiameseRecipes.General"/>. It is a
/// guess from pixels, printed by <c>siamese train</c> and overridden with <c>--recipe</c>.
/// </summary>
public static class RecipeDetection
{
    /// <summary>Images decoded for the decision (spread evenly over the list). 64.</summary>
    public const int SampleSize = 64;

    /// <summary>A pixel at least this light (0..1) counts as background paper. 0.8.</summary>
    public const float LightPixel = 0.8f;

    /// <summary>Drawings: at least this fraction of the sampled pixels is background paper. 0.6.</summary>
    public const double DrawingBackgroundFraction = 0.6;

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
        float[] pixels = ImagePreprocessing.DecodeToArray(mlContext, sample, new ImagePreprocessingOptions { Width = 48, Height = 48 });
        double light = pixels.Count(p => p >= LightPixel) / (double)pixels.Length;
        bool drawings = light >= DrawingBackgroundFraction;
        string measured = string.Create(CultureInfo.InvariantCulture, $"{light:P0} of the pixels of {n} sampled images are light background");
        return drawings
            ? new RecipeChoice(SiameseRecipes.Handwriting, string.Create(CultureInfo.InvariantCulture, $"{measured} (at least {DrawingBackgroundFraction:P0}: drawings on paper)"))
            : new RecipeChoice(SiameseRecipes.General, string.Create(CultureInfo.InvariantCulture, $"{measured} (below {DrawingBackgroundFraction:P0}: not drawings on paper)"));
    }

    /// <summary>Chooses a recipe for fixed-size feature vectors (IDX files): <see cref="SiameseRecipes.General"/>.</summary>
    /// <returns>The recipe and the reason.</returns>
    public static RecipeChoice ForFeatures() => new(SiameseRecipes.General, "feature vectors (IDX) carry no sign of the kind of images");
}
