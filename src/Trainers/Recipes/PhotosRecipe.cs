using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese;

/// <summary>
/// Colour photos (objects, products, faces, scenes): every image goes through ImageNet-trained ResNet18
/// (<see cref="PretrainedBackbone.ResNet18"/>, frozen, inside the ML.NET pipeline) and a small head is trained on its 512
/// features. The head starts as the identity on L2-normalised features, i.e. exactly the untrained backbone compared by
/// cosine distance, and trains with a small learning rate; a fraction of the training classes is held out, and their
/// MAP@R, measured before the first step and every <see cref="ValidationInterval"/> steps, decides how far to train, down
/// to zero steps (the backbone as it is, with a threshold calibrated on the held-out classes): a trained head is kept only
/// when it beats the untrained one by <see cref="MinimumGain"/>. Before the first step the same classes also judge
/// whitened starts of the head (PCA, <see cref="WhiteningPowers"/>, and within-class, <see cref="WithinClassWhiteningPowers"/>),
/// together with <see cref="WhiteningFolds"/> folds of the other training classes: a start is kept when its gains over
/// the identity are positive with 95 % confidence. No flips or rotations make
/// new classes (a mirrored face is the same person). Before training, the recipe measures which of the backbone's
/// features suit the data (<see cref="SiameseTrainerOptions.SelectBackboneFeatures"/>: the whole trunk at 224 px, or the
/// trunk whole or cut after stage 3 at 112 or 64 px, by MAP@R over the training classes, which the backbone has never
/// seen); photos of objects keep the featurizer's own, small grayscale images far from ImageNet (clothing, pen strokes)
/// get stage 3 at a smaller size. The same training images then say whether the chosen features, averaged over each photo
/// and its mirror image (<see cref="SiameseTrainerOptions.SelectMirrorViews"/>), gain half a point of MAP@R; if so the
/// whole model embeds that way (<see cref="SiameseTrainerOptions.MirrorViews"/>): Caltech-101 photos do, clothing and pen
/// strokes do not.
/// </summary>
/// <remarks>How each value was chosen is in docs/photos.md (held-out classes of the training set, never the test classes).</remarks>
public sealed class PhotosRecipe : SiameseRecipe
{
    /// <summary>
    /// Most training iterations (prototypical episodes): 3,000; early stopping on the held-out classes ends sooner when
    /// they stop improving (Caltech-101: after 125-150, keeping the untrained head). Measured (docs/photos.md, "Narrow
    /// domains"): on Omniglot the held-out training characters still gained at 400 iterations (MAP@R 0.394 untrained,
    /// 0.461 at 400) and peaked at 2,200 (0.545).
    /// </summary>
    public const int Iterations = 3000;

    /// <summary>Adam learning rate of the head: small, so the head moves away from the backbone slowly.</summary>
    public const float LearningRate = 1e-4f;

    /// <summary>Fraction of the training classes held out to decide how far to train and to calibrate the threshold.</summary>
    public const double ValidationClassFraction = 0.2;

    /// <summary>Iterations between validations on the held-out classes.</summary>
    public const int ValidationInterval = 25;

    /// <summary>Validations without improvement before training stops (the best weights, or the start, are kept).</summary>
    public const int Patience = 4;

    /// <summary>
    /// How much the trained head's held-out MAP@R must exceed the untrained head's to be kept: 0.03. Measured (docs/photos.md):
    /// gains of 2 points on a handful of held-out classes came with losses on other unseen classes, on Caltech-101 and on
    /// Fashion-MNIST alike.
    /// </summary>
    public const double MinimumGain = 0.03;

    /// <summary>
    /// Residual stages of ResNet18 that train (<see cref="SiameseTrainerOptions.FineTuneStages"/>): 0, the backbone stays
    /// frozen inside ML.NET's featurizer. <c>--fine-tune N</c> (or setting the option) trains the last N stages with the
    /// values below. Measured (docs/photos.md): on Caltech-101 the held-out classes lost from the first validation (the
    /// untrained network is kept: the frozen figures at 4.6 times the time); on Omniglot's unseen alphabets, a
    /// domain far from ImageNet with many classes, 1 stage gained 9.8 points of MAP@R over the untrained backbone
    /// (the frozen head 4.1).
    /// </summary>
    public const int FineTuneStages = 0;

    /// <summary>
    /// Image side (<see cref="SiameseTrainerOptions.Geometry"/>, RGB): 224 px. The frozen featurizer takes only that; when
    /// fine-tuning, 224 px is still chosen, the featurizer's own size, so that the network fine-tuning starts from is
    /// exactly the frozen backbone (its features equal <c>DnnFeaturizeImage</c>'s within 1e-4) and the "do no harm" rule
    /// compares against the real thing. Untrained at 160 px it measured 1-2 points of MAP@R lower on unseen classes. One
    /// step (60 photos, last stage trained) took 1.29 s at 224 px and 0.67 s at 160 px on the idle 2-core machine
    /// (docs/photos.md): 160 (any multiple of 32) is the faster choice when time matters more.
    /// </summary>
    public const int FineTuneImageSize = 224;

    /// <summary>
    /// Powers of the PCA whitening tried as the head's start (<see cref="SiameseTrainerOptions.HeadWhiteningPowers"/>):
    /// 0.25 (partial) and 0.5 (full); the held-out classes keep one only when it beats the identity by <see cref="MinimumGain"/>.
    /// </summary>
    public static IReadOnlyList<double> WhiteningPowers { get; } = [0.25, 0.5];

    /// <summary>
    /// Powers of the within-class whitening tried as the head's start
    /// (<see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>): 0.25 and 0.5, after the PCA ones; the
    /// held-out classes and five folds of the training classes choose among all of them and the identity (<see cref="WhiteningFolds"/>). Measured by cross-validation over
    /// the training classes only (docs/photos.md, "Within-class whitening"): on Omniglot's training characters it raised
    /// held-out MAP@R from 0.487 (identity) and 0.545 (PCA) to 0.634; on Caltech-101's training classes from 0.798 to
    /// 0.814; on Fashion-MNIST's 7 it scored below the identity (0.691 against 0.711), as PCA whitening does.
    /// </summary>
    public static IReadOnlyList<double> WithinClassWhiteningPowers { get; } = [0.25, 0.5];

    /// <summary>
    /// Folds of the training part's classes that score the whitened starts beside the held-out classes
    /// (<see cref="SiameseTrainerOptions.WhiteningCrossValidationFolds"/>): 5. A start is then kept when its six gains
    /// over the identity (five folds, the held-out classes) are positive with 95 % confidence.
    /// </summary>
    public const int WhiteningFolds = 5;

    /// <summary>
    /// The names of <see cref="ChooseWhitening"/>'s choices, as <c>siamese train --whitening</c> takes them: auto (PCA and
    /// within-class, the recipe's), pca, within-class, none.
    /// </summary>
    public static IReadOnlyList<string> WhiteningChoices { get; } = ["auto", "pca", "within-class", "none"];

    /// <summary>
    /// Sets which whitened starts the held-out classes may choose: <c>auto</c> both kinds at this recipe's powers,
    /// <c>pca</c> or <c>within-class</c> one of them, <c>none</c> the identity head only.
    /// </summary>
    /// <param name="options">The options to change (<see cref="SiameseTrainerOptions.HeadWhiteningPowers"/>, <see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>).</param>
    /// <param name="choice">One of <see cref="WhiteningChoices"/>.</param>
    /// <exception cref="ArgumentException">Another choice.</exception>
    public static void ChooseWhitening(SiameseTrainerOptions options, string choice)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!WhiteningChoices.Contains(choice))
            throw new ArgumentException($"Whitening '{choice}' is unknown; give {string.Join(", ", WhiteningChoices)}.", nameof(choice));
        options.HeadWhiteningPowers = choice is "auto" or "pca" ? WhiteningPowers : null;
        options.HeadWithinClassWhiteningPowers = choice is "auto" or "within-class" ? WithinClassWhiteningPowers : null;
    }

    /// <summary>Learning rate of the unfrozen ResNet18 stages relative to the head's when fine-tuning.</summary>
    public const float BackboneLearningRateScale = 0.3f;

    /// <inheritdoc/>
    public override string Name => "photos";

    /// <inheritdoc/>
    public override string Description => "colour photos: frozen ImageNet ResNet18 features, a head that starts at the identity or a whitening of them, held-out classes decide which and how far to train";

    /// <inheritdoc/>
    /// <remarks>
    /// The backbone fixes the image size (<see cref="PretrainedBackbone.ImageSize"/>, 224) and needs image files: an
    /// other <paramref name="imageSize"/>, or fixed-size feature vectors, are refused.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An image size other than the backbone's was asked for.</exception>
    /// <exception cref="ArgumentException">The data is fixed-size feature vectors (IDX), which the backbone cannot read.</exception>
    public override SiameseTrainerOptions CreateOptions(int? imageSize = null, bool inputSizeFixed = false)
    {
        if (inputSizeFixed)
            throw new ArgumentException("The photos recipe reads image files through its pretrained backbone; feature vectors (IDX) need the general or handwriting recipe.", nameof(inputSizeFixed));
        if (imageSize is { } size && size != PretrainedBackbone.ResNet18.ImageSize)
            throw new ArgumentOutOfRangeException(nameof(imageSize), size, $"The photos recipe's backbone takes {PretrainedBackbone.ResNet18.ImageSize}x{PretrainedBackbone.ResNet18.ImageSize} images; leave the size out.");
        return Options();
    }

    private static SiameseTrainerOptions Options() => new()
    {
        ImageColumnName = ImageFolder.ImagePathColumnName,
        LabelColumnName = ImageFolder.LabelColumnName,
        Backbone = PretrainedBackbone.ResNet18,
        Network = PretrainedBackbone.ResNet18.Head(),
        Geometry = ImageGeometry.Square(FineTuneImageSize, channels: 3),   // the backbone's own: required frozen, chosen when fine-tuning
        Loss = SiameseLoss.Prototypical,
        Ways = 10,
        Shots = 2,
        Queries = 4,
        LearningRate = LearningRate,
        Iterations = Iterations,
        BatchSize = 64,
        ValidationClassFraction = ValidationClassFraction,
        ValidationInterval = ValidationInterval,
        ValidationPairs = 2000,
        EarlyStoppingPatience = Patience,
        WeightAveragingDecay = 0,    // early stopping keeps the best live weights
        Augmentation = null,         // the features are computed once per image
        ValidationMinimumGain = MinimumGain,
        FineTuneStages = FineTuneStages,
        SelectBackboneFeatures = true,   // the backbone's depth and image size, chosen on the training classes before training
        SelectMirrorViews = true,        // and whether its features are averaged over each photo and its mirror image
        HeadWhiteningPowers = WhiteningPowers,
        HeadWithinClassWhiteningPowers = WithinClassWhiteningPowers,
        WhiteningCrossValidationFolds = WhiteningFolds,
        BackboneLearningRateScale = BackboneLearningRateScale,
        PhotoAugmentation = new(),   // used only when fine-tuning: crop, flip (not a new class), colour jitter
    };
}
