using System.Globalization;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// The options of <c>siamese train</c> that change a recipe's value: checked before the data is read, then written over
/// the recipe's options. An option left out keeps the recipe's value.
/// </summary>
internal static class TrainOverrides
{
    /// <summary>Refuses out-of-range values with one line naming the option.</summary>
    public static void Validate(TrainCommand.TrainSettings s)
    {
        if (s.Network is { } network && !NetworkPresets.Names.Contains(network.ToLowerInvariant()))
            throw new CliUsageException($"--network '{network}' is unknown; choose one of {string.Join(", ", NetworkPresets.Names)}.");
        if (s.TestTimeViews is { } views) TrainCommand.ParseViews(views);
        if (s.Schedule is { } schedule) TrainCommand.ParseSchedule(schedule);
        if (s.Loss is { } loss) TrainCommand.ParseLoss(loss);
        if (s.Spread is { } spread && !(spread is >= 0 and <= 1))
            throw new CliUsageException($"--spread {spread.ToString(CultureInfo.InvariantCulture)} is out of range; use a fraction of the image side in (0, 1], e.g. 0.25, or 0 for none.");
        if (s.WeightAveraging is { } decay && !(decay is >= 0 and < 1))
            throw new CliUsageException($"--weight-averaging {decay.ToString(CultureInfo.InvariantCulture)} is out of range; use a decay in [0, 1), e.g. 0.998, or 0 for none.");
        if (s.Iterations is { } iterations) CommonOptions.Positive("--iterations", iterations);
        if (s.BatchSize is { } batch) CommonOptions.Positive("--batch", batch);
        if (s.EmbeddingDimension is { } dim) CommonOptions.Positive("--embedding-dim", dim);
        if (s.Margin is { } margin) CommonOptions.PositiveFinite("--margin", margin);
        if (s.LearningRate is { } rate) CommonOptions.PositiveFinite("--learning-rate", rate);
        if (s.ImageSize is { } size && size < 1)
            throw new CliUsageException($"--image-size must be a positive integer (got {size}).");
        if (s.Backbone is { } backbone && !backbone.Equals(PretrainedBackbone.ResNet18.Name, StringComparison.OrdinalIgnoreCase))
            throw new CliUsageException($"--backbone '{backbone}' is unknown; the one pretrained backbone is {PretrainedBackbone.ResNet18.Name}.");
        if (s.FineTune is { } stages && stages is < 0 or > ResNet18Network.Stages)
            throw new CliUsageException($"--fine-tune {stages} is out of range; ResNet18 has {ResNet18Network.Stages} residual stages: give 0 (frozen) to {ResNet18Network.Stages}.");
        if (s.BackboneFeatures is { } features && features is not ("auto" or "full"))
            throw new CliUsageException($"--backbone-features '{features}' is unknown; give auto (chosen on the training classes) or full (the whole trunk, 224 px).");
        if (s.MirrorViews is { } mirror && mirror is not ("auto" or "on" or "off"))
            throw new CliUsageException($"--mirror-views '{mirror}' is unknown; give auto (decided on the training classes), on or off.");
        if (s.Whitening is { } kind && !PhotosRecipe.WhiteningChoices.Contains(kind))
            throw new CliUsageException($"--whitening '{kind}' is unknown; give auto (PCA and within-class, the held-out classes choose), pca, within-class or none.");
        if (s.Ways is { } w && w < 2)
            throw new CliUsageException($"--ways must be at least 2 (got {w}).");
        if (s.CheckpointInterval is { } interval)
        {
            CommonOptions.Positive("--checkpoint-interval", interval);
            if (s.Checkpoint is null)
                throw new CliUsageException("--checkpoint-interval needs --checkpoint FOLDER to write the checkpoints to.");
        }
    }

    /// <summary>Writes the given options over a recipe's.</summary>
    /// <exception cref="ArgumentException">A preset cannot be built at the recipe's image size.</exception>
    public static void Apply(TrainCommand.TrainSettings s, SiameseTrainerOptions options)
    {
        if (s.Loss is { } loss) options.Loss = TrainCommand.ParseLoss(loss);
        if (s.Margin is { } margin) options.Margin = margin;
        if (s.LearningRate is { } rate) options.LearningRate = rate;
        if (s.Schedule is { } schedule) options.LearningRateSchedule = TrainCommand.ParseSchedule(schedule);
        if (s.WeightAveraging is { } decay) options.WeightAveragingDecay = decay;
        if (s.Iterations is { } iterations) options.Iterations = iterations;
        if (s.BatchSize is { } batch) options.BatchSize = batch;
        if (s.Ways is { } ways) options.Ways = ways;
        if (s.Backbone is not null && options.Backbone is null)
        {
            if (options.ImageColumnName is null)
                throw new ArgumentException("--backbone reads image files; IDX feature vectors cannot go through it.");
            options.UseBackbone(PretrainedBackbone.ResNet18);
        }
        if (s.FineTune is { } fineTune)
        {
            if (options.Backbone is null)
                throw new ArgumentException("--fine-tune trains the last stages of a pretrained backbone; add --backbone resnet18 (or use --recipe photos).");
            options.FineTuneStages = fineTune;
        }
        if (s.BackboneFeatures is { } choice)
        {
            if (options.Backbone is null)
                throw new ArgumentException("--backbone-features chooses among a pretrained backbone's features; add --backbone resnet18 (or use --recipe photos).");
            options.SelectBackboneFeatures = choice == "auto";
        }
        if (s.MirrorViews is { } mirrorViews)
        {
            if (options.Backbone is null)
                throw new ArgumentException("--mirror-views averages a pretrained backbone's features over each photo and its mirror image; add --backbone resnet18 (or use --recipe photos).");
            (options.MirrorViews, options.SelectMirrorViews) = (mirrorViews == "on", mirrorViews == "auto");
        }
        if (s.Whitening is { } whitening)
        {
            if (options.Backbone is null)
                throw new ArgumentException("--whitening chooses how a pretrained backbone's head may start; add --backbone resnet18 (or use --recipe photos).");
            PhotosRecipe.ChooseWhitening(options, whitening);
        }
        if (s.NoAugment)
        {
            options.Augmentation = null;
            options.PhotoAugmentation = null;
        }

        if (options.Backbone is not null && (s.Network ?? s.TestTimeViews ?? (object?)s.EmbeddingDimension ?? s.Spread) is not null)
            throw new ArgumentException($"--network, --embedding-dim, --test-time-views and --spread shape a network trained on pixels; the {options.Backbone.Name} backbone's head takes none of them.");
        var recipeNetwork = options.ResolveNetwork();
        var geometry = recipeNetwork.Geometry;
        var net = recipeNetwork;
        if (s.Network is not null || s.EmbeddingDimension is not null)
        {
            // Another preset (or embedding size) at the recipe's geometry, with the recipe's views.
            net = geometry.ApplyTo(NetworkPresets.Create(s.Network ?? recipeNetwork.Name, geometry.Height, s.EmbeddingDimension ?? recipeNetwork.EmbeddingDimension))
                with { TestTimeViews = recipeNetwork.TestTimeViews };
        }
        if (s.TestTimeViews is { } views)
            net = net with { TestTimeViews = TrainCommand.ParseViews(views) };
        if (s.Spread is { } spread)
        {
            // Spread 0: no normalization, so nothing to normalize down from; the images are decoded at the layers' size.
            net = geometry.WithSpread(spread).ApplyTo(net);
        }
        if (!ReferenceEquals(net, recipeNetwork))
        {
            net.InferShapes();
            options.Network = net;
            options.Geometry = null;   // the network carries it
        }
    }
}
