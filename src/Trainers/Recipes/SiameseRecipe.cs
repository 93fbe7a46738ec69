using MLNet.Siamese.Trainers;

namespace MLNet.Siamese;

/// <summary>
/// A named, measured way to train: one place that fills <see cref="SiameseTrainerOptions"/> with the network, image
/// geometry, objective, schedule and augmentation that suit one kind of data. Pick one in code
/// (<c>ml.Siamese().Train(SiameseRecipes.Handwriting)</c>) or on the command line (<c>siamese train --recipe handwriting</c>);
/// both get the same options, so the same data and seed give the same model.
/// </summary>
public abstract class SiameseRecipe
{
    /// <summary>The recipe's name as <c>siamese train --recipe</c> takes it (lower case, no spaces).</summary>
    public abstract string Name { get; }

    /// <summary>One sentence: what data the recipe is for, and what it does that the others do not.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// New options filled with this recipe's settings, reading the columns <c>LoadImageFolder</c> makes
    /// (<c>ImagePath</c>, <c>Label</c>, <c>Group</c>). Change any field before training; each call returns a new object.
    /// </summary>
    /// <param name="imageSize">
    /// Side in pixels of the image the network's layers see; null takes the recipe's own. A recipe that decodes images
    /// larger than that (to normalize them down) keeps doing so at the same ratio.
    /// </param>
    /// <param name="inputSizeFixed">
    /// The data comes as vectors of exactly <paramref name="imageSize"/> x <paramref name="imageSize"/> values (IDX
    /// files, <c>FeatureColumnName</c>), so nothing can be decoded at another size: the network's input is that size.
    /// </param>
    /// <returns>The options.</returns>
    public abstract SiameseTrainerOptions CreateOptions(int? imageSize = null, bool inputSizeFixed = false);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
