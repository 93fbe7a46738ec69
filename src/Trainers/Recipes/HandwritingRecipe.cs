using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese;

/// <summary>
/// Handwritten characters, signatures' strokes, symbols: the recipe measured on Omniglot (README figures). Every drawing
/// is decoded at twice the network's size, centred on its ink's centre of mass and scaled to a fixed spread (moment
/// normalization), trains with its rotations and its mirror image as new classes, with the multi-similarity loss on
/// batches of 30 classes x 4 drawings drawn within one group (alphabet) when the data has groups, and is embedded as the mean over nine fixed views when scoring. Dark ink
/// on a light background is inverted automatically. Not for photos or faces: a mirrored face is the same person.
/// </summary>
/// <remarks>How each value was chosen is in docs/experiments.md (held-out characters of the training alphabets).</remarks>
internal sealed class HandwritingRecipe : SiameseRecipe
{
    /// <summary>Network input side after normalization, in pixels.</summary>
    public const int ImageSize = 48;

    /// <summary>Images are decoded at this many times <see cref="ImageSize"/> and normalized down to it.</summary>
    public const int DecodeScale = 2;

    /// <summary>Filters of every convolution of the compact network.</summary>
    public const int Channels = 48;

    /// <summary>Radius of gyration of the ink after moment normalization, as a fraction of the side.</summary>
    public const double Spread = 0.25;

    /// <summary>Training iterations (batches of 30 classes x 4 drawings).</summary>
    public const int Iterations = 4000;

    /// <inheritdoc/>
    public override string Name => "handwriting";

    /// <inheritdoc/>
    public override string Description => "handwritten characters and symbols: moment normalization, rotated and mirrored classes as new classes, multi-similarity loss, 9 test-time views, automatic inversion";

    /// <inheritdoc/>
    public override SiameseTrainerOptions CreateOptions(int? imageSize = null, bool inputSizeFixed = false)
    {
        int side = RecipeSizes.Side(imageSize, ImageSize, inputSizeFixed);
        var geometry = ImageGeometry.Square(side, decodeScale: inputSizeFixed ? 1 : DecodeScale, normalization: new MomentNormalization(Spread));
        return new SiameseTrainerOptions
        {
            ImageColumnName = ImageFolder.ImagePathColumnName,
            LabelColumnName = ImageFolder.LabelColumnName,
            GroupColumnName = ImageFolder.GroupColumnName,
            AutoInvert = true,
            Network = geometry.ApplyTo(NetworkPresets.Compact(side, 64, Channels)) with { TestTimeViews = EmbeddingView.Standard },
            Loss = SiameseLoss.MultiSimilarity,   // P x K batches of 30 classes x 4 drawings, drawn as episodes are
            Ways = 30,
            Shots = 1,
            Queries = 3,
            WithinGroup = true,
            RotatedClasses = true,
            MirroredClasses = true,
            LearningRate = 2e-3f,
            WeightAveragingDecay = 0.998,
            Iterations = Iterations,
            BatchSize = 128,
            Augmentation = new AffineAugmentation(),
        };
    }
}
