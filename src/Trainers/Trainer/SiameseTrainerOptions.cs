using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using Microsoft.ML;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Options of <see cref="SiameseTrainer"/>. Every field has a documented default; the defaults are those of the
/// <see cref="GeneralRecipe"/> (a sound start for any folder of labelled images), and
/// <see cref="SiameseRecipe.CreateOptions"/> gives the options of any other recipe.
/// </summary>
public sealed partial class SiameseTrainerOptions
{
    /// <summary>Input column of flat float vectors (C*H*W values in 0..1, row-major). Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// Label column. For single items (the default mode): the class of each row (string, key, integer or boolean);
    /// pairs are sampled online. For explicit pairs (<see cref="LeftFeatureColumnName"/> set): a boolean, true for same-class pairs.
    /// Default "Label".
    /// </summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// Train from image files: the column of image paths (text). Every image is decoded once with
    /// <see cref="Preprocessing"/> (ML.NET ImageAnalytics), and the model's views then take image paths:
    /// the embedder this column, the pair scorer "Left" + this and "Right" + this. Default null: train from
    /// <see cref="FeatureColumnName"/>.
    /// </summary>
    public string? ImageColumnName { get; set; }

    /// <summary>
    /// How images are decoded when <see cref="ImageColumnName"/> is set: whether to invert them and the folder relative
    /// paths are read from. Their size and channels are the geometry's (<see cref="ResolveGeometry"/>); a size or channel
    /// count given here that differs from it is refused when training starts. Without <see cref="Geometry"/> and
    /// <see cref="Network"/>, a size given here is the geometry (images as they are, at that size). Default null: not
    /// inverted, paths as given.
    /// </summary>
    public ImagePreprocessingOptions? Preprocessing { get; set; }

    /// <summary>
    /// Image mode: decide <see cref="ImagePreprocessingOptions.Invert"/> from the data. Up to
    /// <see cref="InkPolarity.SampleSize"/> training images are decoded without inversion; if their mean pixel is above
    /// <see cref="InkPolarity.LightBackgroundMean"/> (dark ink on a light background) the images are inverted so ink is 1.
    /// The decision is logged and saved with the model. Default false: <see cref="Preprocessing"/> as given.
    /// </summary>
    public bool AutoInvert { get; set; }

    /// <summary>Optional group column (e.g. the alphabet of a character) for within-group sampling. Default null.</summary>
    public string? GroupColumnName { get; set; }

    /// <summary>Explicit pairs mode: the left feature column of each pair row. Default null (single items).</summary>
    public string? LeftFeatureColumnName { get; set; }

    /// <summary>Explicit pairs mode: the right feature column of each pair row. Default null.</summary>
    public string? RightFeatureColumnName { get; set; }

    /// <summary>
    /// The twin network; its input carries its <see cref="NetworkSpec.Geometry"/>. Default null:
    /// <see cref="NetworkPresets.Compact"/> with <see cref="EmbeddingDimension"/> at the <see cref="Geometry"/>.
    /// </summary>
    public NetworkSpec? Network { get; set; }

    /// <summary>
    /// The image geometry (size the layers see, channels, decode scale, normalization): the one place a size is set.
    /// Without a <see cref="Network"/> the compact network is built for it; with one it must equal the network's own
    /// geometry (or be null). With a <see cref="Backbone"/> it is the photos' geometry: the backbone's own
    /// (<see cref="PretrainedBackbone.Geometry"/>, 224 x 224 RGB) when null; another square RGB size runs the backbone
    /// inside the network (frozen or fine-tuned), which trains faster (about the square of the ratio). Default null: 48 x 48 grayscale, decoded at that size, no
    /// normalization (the general recipe's).
    /// </summary>
    public ImageGeometry? Geometry { get; set; }

    /// <summary>Embedding size when <see cref="Network"/> is null. Default 64.</summary>
    public int EmbeddingDimension { get; set; } = 64;

    /// <summary>Training objective. Default <see cref="SiameseLoss.Prototypical"/>.</summary>
    public SiameseLoss Loss { get; set; } = SiameseLoss.Prototypical;

    /// <summary>Margin of the contrastive and triplet losses. Default 1.0 (the digits seed uses 0.3 for its 2-D MLP).</summary>
    public float Margin { get; set; } = 1.0f;

    /// <summary>Triplet loss: mine the hardest positive and negative of each anchor in a P x K batch. Default true.</summary>
    public bool BatchHardMining { get; set; } = true;

    /// <summary>
    /// Prototypical episodes: classes per episode. Default 20. When fewer classes have <see cref="Shots"/> +
    /// <see cref="Queries"/> items, episodes use as many as there are (at least 2).
    /// </summary>
    public int Ways { get; set; } = 20;

    /// <summary>
    /// Prototypical episodes: support items per class. Default 1. When fewer than two classes have this many items and
    /// one more (a query), fewer shots are drawn (down to 1), so two photos of each person still train.
    /// </summary>
    public int Shots { get; set; } = 1;

    /// <summary>
    /// Prototypical episodes: query items per class. Default 5. When fewer than two classes have <see cref="Shots"/> +
    /// this many items, fewer queries are drawn (down to 1), so small classes still train.
    /// </summary>
    public int Queries { get; set; } = 5;

    /// <summary>Draw all classes of an episode, and the two classes of a dissimilar pair, from one group (needs <see cref="GroupColumnName"/>). Default false.</summary>
    public bool WithinGroup { get; set; }

    /// <summary>Adam learning rate. Default 2e-3.</summary>
    public float LearningRate { get; set; } = 2e-3f;

    /// <summary>How the learning rate changes over the run. Default <see cref="Trainers.LearningRateSchedule.Constant"/>.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Adam gradient decay (beta1). Default 0.9.</summary>
    public float Beta1 { get; set; } = 0.9f;

    /// <summary>Adam squared-gradient decay (beta2). Default 0.99.</summary>
    public float Beta2 { get; set; } = 0.99f;

    /// <summary>Training iterations (optimizer steps). Default 2500.</summary>
    public int Iterations { get; set; } = 2500;

    /// <summary>Pairs (or triplets, or P x K items for batch-hard) per iteration. Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Random seed; the same seed gives the same model on CPU. Default null: drawn from the MLContext.</summary>
    public int? Seed { get; set; }

    /// <summary>Where to train. Default <see cref="SiameseDevice.Auto"/>.</summary>
    public SiameseDevice Device { get; set; } = SiameseDevice.Auto;

    /// <summary>
    /// Random affine distortions of image inputs. Default: <see cref="AffineAugmentation"/>'s own defaults (rotation up to
    /// 10 degrees, scale 15 %, shear 0.2, translation 8 %, on 80 % of the images); null trains on the images as they are.
    /// </summary>
    public AffineAugmentation? Augmentation { get; set; } = new();

    /// <summary>
    /// Treat each item rotated by 90, 180 and 270 degrees as an item of a new class (of the same group): four times as many
    /// classes to learn from, which helps one-shot generalization on handwritten characters (Snell et al. 2017). Needs
    /// square images as the layers see them (after <see cref="NetworkSpec.InputNormalization"/>, which is applied before
    /// the copies are made). The copies are for training only: without <see cref="ValidationData"/> the threshold is
    /// calibrated on the classes as given. Default false.
    /// </summary>
    public bool RotatedClasses { get; set; }

    /// <summary>
    /// Treat each item mirrored left to right as an item of a new class (of the same group): twice as many classes to
    /// learn from; with <see cref="RotatedClasses"/>, eight times. For data whose mirror image is a different but
    /// plausible class (characters, symbols); not for data where mirroring keeps the class (faces, most products).
    /// Default false.
    /// </summary>
    public bool MirroredClasses { get; set; }

    /// <summary>Iterations between progress reports and log lines. Default 100.</summary>
    public int ProgressInterval { get; set; } = 100;

    /// <summary>Receives a <see cref="TrainingProgress"/> every <see cref="ProgressInterval"/> iterations. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training between two iterations (the latest checkpoint is kept). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Optional validation items (same columns as the training data, classes ideally unseen in training): balanced pairs are
    /// drawn from them once, their accuracy is recorded every <see cref="ValidationInterval"/> iterations, and the decision
    /// threshold is calibrated on them. Default null: the threshold is calibrated on pairs drawn from the training data.
    /// </summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Number of validation pairs drawn. Default 1000.</summary>
    public int ValidationPairs { get; set; } = 1000;

    /// <summary>Iterations between validations. Default 500.</summary>
    public int ValidationInterval { get; set; } = 500;

    /// <summary>
    /// Stop when validation accuracy has not improved for this many validations, and keep the best weights; 0 (the default)
    /// never stops early. Needs <see cref="WeightAveragingDecay"/> = 0.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>
    /// Decay of an exponential moving average of the network's weights (Polyak averaging); 0, the default, averages
    /// nothing. The trained model gets the averaged weights (batch-norm statistics stay the live network's), which are
    /// smoother than the last step's: with 0.998 roughly the last 500 steps count. The decay is warmed up as
    /// min(decay, (1 + t) / (10 + t)) at step t, so that a short run is not dominated by its initial weights. Validation
    /// during training scores the live weights. Cannot be combined with <see cref="EarlyStoppingPatience"/> (set this
    /// to 0 to stop early). Default 0.998.
    /// </summary>
    public double WeightAveragingDecay { get; set; } = 0.998;

    /// <summary>Folder for checkpoints; null (the default) writes none.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Iterations between checkpoints (one is also written at the end). Default 500.</summary>
    public int CheckpointInterval { get; set; } = 500;

    /// <summary>
    /// A checkpoint file to resume from; training continues at its iteration with its optimizer and random state, at the
    /// configured <see cref="LearningRate"/> and <see cref="LearningRateSchedule"/> (not the rate the checkpoint was
    /// written with). Default null.
    /// </summary>
    public string? ResumeFrom { get; set; }

    /// <summary>
    /// Resume from <see cref="ResumeFrom"/> even when the checkpoint was written with other training data or other
    /// result-changing options (its recorded fingerprint differs). Default false: such a resume is refused with an
    /// <see cref="InvalidOperationException"/> naming what differs.
    /// </summary>
    public bool AcceptChangedRunOnResume { get; set; }

    /// <summary>Number of pairs drawn from the training data to calibrate the threshold when there is no validation data. Default 2000.</summary>
    public int CalibrationPairs { get; set; } = 2000;

    /// <summary>A shallow copy (the network, augmentation and data views are shared, being immutable or read-only).</summary>
    internal SiameseTrainerOptions Clone() => (SiameseTrainerOptions)MemberwiseClone();

    /// <summary>
    /// <see cref="SiameseLoss.MultiSimilarity"/>: alpha, beta, base and the miner's epsilon (pytorch-metric-learning's
    /// defaults 2, 50, 0.5 and 0.1). Its P x K batch is <see cref="Ways"/> classes x (<see cref="Shots"/> + <see cref="Queries"/>)
    /// items, drawn as an episode is.
    /// </summary>
    public MultiSimilaritySettings MultiSimilarity { get; set; } = new();

    /// <summary>
    /// <see cref="SiameseLoss.SupervisedContrastive"/>: the softmax temperature. Default 0.1 (pytorch-metric-learning's).
    /// Its P x K batch is <see cref="Ways"/> classes x (<see cref="Shots"/> + <see cref="Queries"/>) items, drawn as an episode is.
    /// </summary>
    public double Temperature { get; set; } = 0.1;

    /// <summary>
    /// Image mode: a frozen pretrained network (<see cref="PretrainedBackbone.ResNet18"/>) that turns every image into
    /// features inside the ML.NET pipeline; <see cref="Network"/> (default: the backbone's identity-initialised
    /// <see cref="PretrainedBackbone.Head"/>) is trained on those features. Every training image is featurized once before
    /// training (the time is logged). <see cref="Preprocessing"/>, <see cref="AutoInvert"/>, <see cref="Augmentation"/> and
    /// the class-expanding options do not apply. Default null: the network takes the decoded pixels.
    /// </summary>
    public PretrainedBackbone? Backbone { get; set; }

    /// <summary>
    /// With <see cref="Backbone"/> <see cref="PretrainedBackbone.ResNet18"/>: how many of its 4 residual stages train, from
    /// the last. 0 (the default) keeps the backbone frozen inside ML.NET's <c>DnnFeaturizeImage</c> and trains only the head
    /// on features computed once (a backbone cut after an earlier stage, <see cref="PretrainedBackbone.UpToStage"/>, or at
    /// another size computes its features once in TorchSharp instead, and is saved inside the network). 1 to 4 build ResNet18 in TorchSharp with the weights read from the featurizer's ONNX file
    /// (<see cref="ResNet18Weights"/>), train the last N stages (at <see cref="BackboneLearningRateScale"/> times the
    /// learning rate) together with the head, with <see cref="PhotoAugmentation"/>; the frozen layers run without gradients.
    /// The saved zip then holds ImageAnalytics (load, resize with centre crop, pixels) and one ONNX graph: ImageNet
    /// normalization, the ResNet18 trunk and the head.
    /// </summary>
    public int FineTuneStages { get; set; }

    /// <summary>
    /// With a frozen <see cref="Backbone"/> (the whole trunk at its own size, <see cref="FineTuneStages"/> 0, images read
    /// from a path column, <see cref="Network"/> null or the backbone's <see cref="PretrainedBackbone.Head"/>): before training,
    /// measure the untrained backbone's features at a few depths and image sizes (ResNet18's whole trunk or cut after
    /// stage 3; 224, 112 or 64 px) on a sample of the training images, by MAP@R over the training classes, and train the
    /// head on the best (<see cref="BackboneFeatureSelection"/>). The backbone has seen none of those classes, so they
    /// judge it as unseen ones would. The featurizer's own features are kept unless another candidate beats them by 0.03;
    /// any other is computed once in TorchSharp before training and saved in the ONNX graph (cut trunk and head, one graph). Fine-tuning
    /// skips the choice and fine-tunes the whole trunk. The measurement is in <see cref="TrainingSummary.BackboneSelection"/>.
    /// Default false.
    /// </summary>
    public bool SelectBackboneFeatures { get; set; }

    /// <summary>
    /// With a <see cref="Backbone"/>, its identity head (<see cref="PretrainedBackbone.Head"/>) and held-out validation
    /// (<see cref="ValidationClassFraction"/>, <see cref="EarlyStoppingPatience"/>): before the first step, the head's
    /// linear map is also tried as PCA whitening of the training items' features with each of these powers (0.5 whitens
    /// fully, 0.25 partly; <see cref="HeadWhitening"/>). The held-out classes score each, and the best replaces the
    /// identity as the start when it beats it by <see cref="ValidationMinimumGain"/>; training then starts there and is
    /// judged against it. The scores are in <see cref="TrainingSummary.WhiteningValidation"/>. Default null: the head
    /// starts as the identity.
    /// </summary>
    public IReadOnlyList<double>? HeadWhiteningPowers { get; set; }

    /// <summary>
    /// As <see cref="HeadWhiteningPowers"/>, with within-class whitening: the covariance whitened is that of each training
    /// item around its class's mean (<see cref="WhiteningKind.WithinClass"/>), so the directions in which one class's
    /// photos differ shrink. Tried after the PCA powers; the held-out classes choose among all of them. Default null.
    /// </summary>
    public IReadOnlyList<double>? HeadWithinClassWhiteningPowers { get; set; }

    /// <summary>
    /// With whitened starts to try (<see cref="HeadWhiteningPowers"/>, <see cref="HeadWithinClassWhiteningPowers"/>): the
    /// training part's classes are also dealt into this many folds (fewer when there are fewer than two classes per fold;
    /// none under four classes, and then the held-out classes alone decide as with 0),
    /// and each whitening, fitted on the other folds, is scored on each fold against the unwhitened features
    /// (<see cref="WhiteningCrossValidation"/>). A whitening then replaces the identity start when its gains over the
    /// folds and the held-out classes are positive with 95 % confidence (their mean minus the one-sided Student t
    /// quantile times their standard error is above 0), and among those its mean gain is the best: the folds measure
    /// the noise that <see cref="ValidationMinimumGain"/> stands in for when one split decides. The gains are in
    /// <see cref="TrainingSummary.WhiteningFoldGains"/>. Default 0: the held-out classes alone decide, by
    /// <see cref="ValidationMinimumGain"/>. Training from the start is judged by the held-out classes and the margin either way.
    /// </summary>
    public int WhiteningCrossValidationFolds { get; set; }

    /// <summary>Fine-tuning: the learning rate of the unfrozen ResNet18 stages relative to the head's. Default 0.1.</summary>
    public float BackboneLearningRateScale { get; set; } = 0.1f;

    /// <summary>
    /// Fine-tuning: false (the default) keeps every batch norm of the backbone in evaluation mode, with the ImageNet running
    /// statistics and its scale and shift fixed (small batches on a CPU estimate statistics badly); true trains the unfrozen
    /// stages' batch norms (batch statistics, running statistics updated, scale and shift learned).
    /// </summary>
    public bool TrainBatchNorm { get; set; }

    /// <summary>
    /// Fine-tuning: the photo augmentation of every training image (random resized crop, horizontal flip, colour jitter).
    /// Default: <see cref="MLNet.Siamese.Augmentation.PhotoAugmentation"/>'s own defaults; null trains on the photos as they are,
    /// and then the frozen stages before those that train (1 or 2 fine-tuned) are computed once per image, not at every
    /// step (<see cref="FrozenPrefix"/>). A frozen backbone's features are always computed once, from the photos as the
    /// saved pipeline reads them, so it does not apply there.
    /// </summary>
    public PhotoAugmentation? PhotoAugmentation { get; set; } = new();

    /// <summary>
    /// Single-item mode without <see cref="ValidationData"/>: hold this fraction of the training classes (at least two
    /// classes, rounded) out of training and use them as the validation data, so that validation, early stopping and the
    /// threshold are measured on classes the network never saw. The classes are drawn with <see cref="Seed"/> (0 when
    /// null), so a seed gives the same split. With a <see cref="Backbone"/> and <see cref="EarlyStoppingPatience"/>, the
    /// untrained head is validated too, and kept when no trained one beats it. Past 2,000 held-out items, 2,000 drawn evenly from
    /// the held-out classes are kept and the others take no part (every validation embeds all it keeps).
    /// Default 0: no classes held out.
    /// </summary>
    public double ValidationClassFraction { get; set; }

    /// <summary>
    /// With a <see cref="Backbone"/> and early stopping: how much the best validation MAP@R of the trained head must exceed
    /// the untrained head's for the trained one to be kept (else the model is the untrained head). A few held-out classes
    /// give a noisy MAP@R; a margin keeps small, untrustworthy gains from replacing features that already generalise.
    /// Default 0: any gain is kept.
    /// </summary>
    public double ValidationMinimumGain { get; set; }
}
