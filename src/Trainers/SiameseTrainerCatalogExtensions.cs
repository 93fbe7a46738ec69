using MLNet.Siamese.Losses;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese;

/// <summary>Adds the Siamese trainer to <see cref="SiameseCatalog"/>.</summary>
public static class SiameseTrainerCatalogExtensions
{
    /// <summary>Creates a <see cref="SiameseTrainer"/> from options.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer estimator.</returns>
    public static SiameseTrainer Train(this SiameseCatalog catalog, SiameseTrainerOptions options)
        => new(catalog.Context, options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>
    /// Creates a <see cref="SiameseTrainer"/> with a recipe's options (<see cref="SiameseRecipes"/>), reading the columns
    /// <c>LoadImageFolder</c> makes: <c>ImagePath</c>, <c>Label</c>, <c>Group</c>. To change anything, take
    /// <c>recipe.CreateOptions()</c>, edit it and pass it to <see cref="Train(SiameseCatalog, SiameseTrainerOptions)"/>.
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="recipe">The recipe, e.g. <see cref="SiameseRecipes.Handwriting"/>.</param>
    /// <param name="seed">Random seed; null draws one from the MLContext.</param>
    /// <returns>The trainer estimator.</returns>
    public static SiameseTrainer Train(this SiameseCatalog catalog, SiameseRecipe recipe, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var options = recipe.CreateOptions();
        options.Seed = seed;
        return catalog.Train(options);
    }

    /// <summary>Creates a <see cref="SiameseTrainer"/> with the most used settings (defaults: the <see cref="GeneralRecipe"/>'s).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="featureColumnName">Input features: vectors of C*H*W floats in 0..1.</param>
    /// <param name="labelColumnName">Class of each row.</param>
    /// <param name="loss">Training objective.</param>
    /// <param name="iterations">Optimizer steps.</param>
    /// <param name="batchSize">Pairs per step.</param>
    /// <param name="learningRate">Adam learning rate.</param>
    /// <returns>The trainer estimator.</returns>
    public static SiameseTrainer Train(this SiameseCatalog catalog, string featureColumnName = "Features", string labelColumnName = "Label",
        SiameseLoss loss = SiameseLoss.Prototypical, int iterations = 2500, int batchSize = 128, float learningRate = 2e-3f)
        => catalog.Train(new SiameseTrainerOptions
        {
            FeatureColumnName = featureColumnName,
            LabelColumnName = labelColumnName,
            Loss = loss,
            Iterations = iterations,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });
}
