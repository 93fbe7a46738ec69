namespace MLNet.Siamese.Cli;

/// <summary>
/// The defaults of <c>siamese train</c>, in one place so they are easy to tune. Every option of the command that is not
/// given takes its value from here.
/// </summary>
public static class TrainDefaults
{
    /// <summary>Network preset (see <c>NetworkPresets.Names</c>).</summary>
    public const string Network = "compact";

    /// <summary>Loss name (see <see cref="LossNames"/>).</summary>
    public const string Loss = "prototypical";

    /// <summary>Embedding size, for presets with a free one.</summary>
    public const int EmbeddingDimension = 64;

    /// <summary>Contrastive and triplet margin.</summary>
    public const float Margin = 1.0f;

    /// <summary>Adam learning rate.</summary>
    public const float LearningRate = 2e-3f;

    /// <summary>Image height and width after resizing (image folders; IDX data keeps its own size).</summary>
    public const int ImageSize = 48;

    /// <summary>Learning-rate schedule: "constant" or "cosine".</summary>
    public const string Schedule = "constant";

    /// <summary>Decay of the moving average of the weights that the model gets (0: none).</summary>
    public const double WeightAveraging = 0.998;

    /// <summary>Test-time views: "standard" (<see cref="Networks.EmbeddingView.Standard"/>, 9 views) or "none".</summary>
    public const string TestTimeViews = "standard";

    /// <summary>
    /// Moment normalization (<see cref="Networks.MomentNormalization"/>): every image centred on its centre of mass and
    /// scaled to this radius of gyration, as a fraction of the side; 0 for none.
    /// </summary>
    public const double Spread = 0.25;

    /// <summary>
    /// With moment normalization, image folders are decoded at this many times <c>--image-size</c> and normalized down
    /// to it, so that enlarging a small drawing does not enlarge its pixels (IDX data keeps its own size).
    /// </summary>
    public const int NormalizationDecodeScale = 2;

    /// <summary>Training iterations (optimizer steps).</summary>
    public const int Iterations = 2500;

    /// <summary>Pairs (or triplets, or items) per iteration.</summary>
    public const int BatchSize = 128;

    /// <summary>Training iterations between checkpoints (with <c>--checkpoint</c>; one is also written at the end).</summary>
    public const int CheckpointInterval = 500;

    /// <summary>Random seed.</summary>
    public const int Seed = 1;

    /// <summary>
    /// How many folder names above each image form its label. 1 (the parent folder) suits generic <c>root/class/*.png</c>
    /// trees; Omniglot (<c>root/alphabet/character/*.png</c>) needs 2.
    /// </summary>
    public const int LabelDepth = 1;

    /// <summary>Images sampled to decide whether to invert (mean pixel above <see cref="InvertMeanThreshold"/>: white background).</summary>
    public const int InvertSampleSize = 64;

    /// <summary>Mean pixel value (0..1) above which images are taken as dark ink on a light background and inverted.</summary>
    public const double InvertMeanThreshold = 0.5;

    /// <summary>Number of progress reports over a run (the trainer reports every Iterations / this, at least every iteration).</summary>
    public const int ProgressReports = 50;

    /// <summary>The loss names accepted by <c>--loss</c>.</summary>
    public static IReadOnlyList<string> LossNames { get; } = ["contrastive", "bce", "triplet", "prototypical"];
}
