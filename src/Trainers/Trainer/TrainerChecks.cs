using MLNet.Siamese.Classes;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Trainers;

/// <summary>The trainer's checks before a run: option values, a backbone's requirements, and classes that can feed the batches.</summary>
internal static class TrainerChecks
{
    /// <summary>Refuses option values no run can use, naming the option.</summary>
    public static void Validate(SiameseTrainerOptions options)
    {
        if (options.Iterations <= 0) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Iterations), options.Iterations, "Iterations must be positive.");
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.BatchSize), options.BatchSize, "BatchSize must be positive.");
        if (!(options.LearningRate > 0) || !float.IsFinite(options.LearningRate)) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.LearningRate), options.LearningRate, "LearningRate must be a positive number.");
        if (options.Beta1 is < 0 or >= 1 || options.Beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Beta1), "Beta1 and Beta2 must be in [0, 1).");
        if (!(options.Margin > 0)) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Margin), options.Margin, "Margin must be positive.");
        if (options.Loss == SiameseLoss.Prototypical && (options.Ways < 2 || options.Shots < 1 || options.Queries < 1))
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Ways), "Prototypical episodes need Ways >= 2, Shots >= 1 and Queries >= 1.");
        if (options.WithinGroup && options.GroupColumnName is null && options.LeftFeatureColumnName is null)
            throw new ArgumentException("WithinGroup sampling needs GroupColumnName.", nameof(SiameseTrainerOptions.WithinGroup));
        if (!Enum.IsDefined(options.LearningRateSchedule)) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.LearningRateSchedule), options.LearningRateSchedule, "Unknown learning-rate schedule.");
        if (!(options.ValidationMinimumGain >= 0)) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.ValidationMinimumGain), options.ValidationMinimumGain, "ValidationMinimumGain must be a non-negative number.");
        if (!(options.WeightAveragingDecay is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.WeightAveragingDecay), options.WeightAveragingDecay, "WeightAveragingDecay must be in [0, 1).");
        if (options.WeightAveragingDecay > 0 && options.EarlyStoppingPatience > 0)
            throw new ArgumentException("WeightAveragingDecay and EarlyStoppingPatience cannot be combined: early stopping keeps the best live weights, averaging replaces them with the average.", nameof(SiameseTrainerOptions.WeightAveragingDecay));
        CheckWhiteningPowers(options.HeadWhiteningPowers, nameof(SiameseTrainerOptions.HeadWhiteningPowers));
        CheckWhiteningPowers(options.HeadWithinClassWhiteningPowers, nameof(SiameseTrainerOptions.HeadWithinClassWhiteningPowers));
        if (options.WhiteningCrossValidationFolds < 0)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.WhiteningCrossValidationFolds), options.WhiteningCrossValidationFolds, "WhiteningCrossValidationFolds must be 0 (the held-out classes alone decide) or more.");
        options.Augmentation?.Validate();
        CheckGeometry(options);
    }

    /// <summary>Whitening powers are numbers from 0 (centring only) to 1 (0.5 whitens fully).</summary>
    private static void CheckWhiteningPowers(IReadOnlyList<double>? powers, string name)
    {
        foreach (double power in powers ?? [])
            if (!(power is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(name, power, $"{name}: every power must be a number from 0 (centring only) to 1; 0.5 whitens fully, 0.25 partly.");
    }

    /// <summary>
    /// The one geometry: a <see cref="SiameseTrainerOptions.Geometry"/> set beside a <see cref="SiameseTrainerOptions.Network"/>
    /// must be the network's, and the size and channels of <see cref="SiameseTrainerOptions.Preprocessing"/> the
    /// geometry's decoded ones.
    /// </summary>
    private static void CheckGeometry(SiameseTrainerOptions options)
    {
        if (options.Backbone is not null)
            return;   // the backbone's photos: CheckBackbone and FineTuning check them
        var geometry = options.ResolveGeometry();
        if (options.Network is { } network && options.Geometry is { } given && given != network.Geometry)
            throw new ArgumentException($"Geometry {given} differs from network '{network.Name}''s own {network.Geometry}; set one of them (a network carries its geometry: ImageGeometry.ApplyTo).", nameof(SiameseTrainerOptions.Geometry));
        if (options.ImageColumnName is not null && options.Preprocessing is { } p && (p.Width, p.Height, p.Channels) != (geometry.DecodedWidth, geometry.DecodedHeight, geometry.Channels))
            throw new ArgumentException($"Preprocessing decodes {p.Channels}x{p.Height}x{p.Width} but the geometry ({geometry}) decodes {geometry.Channels}x{geometry.DecodedHeight}x{geometry.DecodedWidth}; leave the size and channels of Preprocessing at the geometry's (ImageGeometry.Preprocessing gives them).", nameof(SiameseTrainerOptions.Preprocessing));
    }

    /// <summary>A backbone needs image input, a network that takes its features, and no pixel-level augmentation.</summary>
    public static void CheckBackbone(SiameseTrainerOptions options, NetworkSpec spec, bool pairsMode)
    {
        if (options.Backbone is not { } backbone)
            return;
        if (options.ImageColumnName is null || pairsMode)
            throw new ArgumentException($"Backbone '{backbone.Name}' computes features from image files: set ImageColumnName (single items).", nameof(SiameseTrainerOptions.Backbone));
        if (spec.InputSize != backbone.FeatureDimension)
            throw new ArgumentException($"Backbone '{backbone.Name}' gives {backbone.FeatureDimension} features but network '{spec.Name}' takes {spec.InputSize} values; use PretrainedBackbone.Head() or a network of that input size.", nameof(SiameseTrainerOptions.Network));
        if (options.Augmentation is not null || options.RotatedClasses || options.MirroredClasses || spec.InputNormalization is not null || spec.TestTimeViews is not null)
            throw new ArgumentException($"Backbone '{backbone.Name}': the network takes features, not pixels, so Augmentation, RotatedClasses, MirroredClasses, InputNormalization and TestTimeViews do not apply; leave them unset.", nameof(SiameseTrainerOptions.Backbone));
    }

    /// <summary>Refuses training items whose classes cannot feed the objective's batches, naming the label column.</summary>
    public static void CheckClasses(SiameseTrainerOptions options, TrainingData items, ClassTable classes, string what)
    {
        if (classes.NonEmptyClasses.Length < 2)
            throw new InvalidOperationException($"{what}: label column '{options.LabelColumnName}' has a single class ('{items.ClassNames[0]}'); a Siamese network needs at least two classes.");
        if (classes.ClassesWithTwoRows.Length == 0)
            throw new InvalidOperationException($"{what}: no class in label column '{options.LabelColumnName}' has two items, so no similar pair can be drawn.");
        switch (options.Loss)
        {
            case SiameseLoss.Prototypical or SiameseLoss.MultiSimilarity or SiameseLoss.SupervisedContrastive:
            {
                int eligible = EpisodeClasses(options, classes, options.Shots + 1);
                if (eligible < 2)
                    throw new InvalidOperationException($"{what}: episodes of {options.Shots} shot(s) and at least 1 query need classes with {options.Shots + 1} items; only {eligible} class(es) of label column '{options.LabelColumnName}' have that many{(options.WithinGroup ? " in any one group" : "")}.");
                break;
            }
            case SiameseLoss.Triplet when options.BatchHardMining && options.BatchSize < 8:
                throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.BatchSize), options.BatchSize, "Batch-hard triplet mining needs BatchSize >= 8 (at least 2 classes x 4 items).");
        }
        if (options.WithinGroup && !classes.ClassesByGroup.Any(g => g.Length >= 2))
            throw new InvalidOperationException($"{what}: WithinGroup sampling needs a group in column '{options.GroupColumnName}' with two classes; none has.");
        if (options.Loss is SiameseLoss.Contrastive or SiameseLoss.BinaryCrossEntropy && options.BatchSize > 64 * items.Count)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.BatchSize), options.BatchSize, $"BatchSize {options.BatchSize} is far larger than the {items.Count} items allow.");
    }

    /// <summary>Classes with at least <paramref name="need"/> items (in the best group when sampling within groups).</summary>
    public static int EpisodeClasses(SiameseTrainerOptions options, ClassTable classes, int need) => options.WithinGroup
        ? classes.ClassesByGroup.Select(g => g.Count(c => classes.RowsOfClass[c].Length >= need)).DefaultIfEmpty(0).Max()
        : classes.NonEmptyClasses.Count(c => classes.RowsOfClass[c].Length >= need);
}
