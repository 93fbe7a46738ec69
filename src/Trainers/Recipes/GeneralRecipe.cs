using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese;

/// <summary>
/// Any folder of labelled images, trained from scratch: the compact network at 48 px on the images as they are (no
/// inversion, no normalization, no synthetic classes), prototypical episodes, mild affine distortions, a moving average
/// of the weights. These are also the defaults of <see cref="SiameseTrainerOptions"/>.
/// </summary>
internal sealed class GeneralRecipe : SiameseRecipe
{
    /// <summary>Network input side, in pixels.</summary>
    public const int ImageSize = 48;

    /// <summary>Training iterations (prototypical episodes).</summary>
    public const int Iterations = 2500;

    /// <inheritdoc/>
    public override string Name => "general";

    /// <inheritdoc/>
    public override string Description => "any image folder, from scratch: compact network at 48 px, images as they are, prototypical episodes, mild distortions";

    /// <inheritdoc/>
    public override SiameseTrainerOptions CreateOptions(int? imageSize = null, bool inputSizeFixed = false) => new()
    {
        Geometry = ImageGeometry.Square(RecipeSizes.Side(imageSize, ImageSize, inputSizeFixed)),
        ImageColumnName = ImageFolder.ImagePathColumnName,
        LabelColumnName = ImageFolder.LabelColumnName,
        GroupColumnName = ImageFolder.GroupColumnName,
    };
}
