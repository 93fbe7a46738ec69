using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary><c>siamese train</c>: trains a Siamese network and saves its whole pair scorer as one ML.NET model zip.</summary>
internal static partial class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = CommonOptions.Data(required: true);
        var labelDepth = CommonOptions.LabelDepth();
        var recipe = new Option<string>("--recipe") { Description = $"Training recipe: auto, {string.Join(", ", SiameseRecipes.Names)} (default auto: chosen from a sample of the images and printed). Every option below overrides the recipe's value.", DefaultValueFactory = _ => "auto" };
        var network = new Option<string?>("--network") { Description = $"Network preset: {string.Join(", ", NetworkPresets.Names)} (default: the recipe's)." };
        var loss = new Option<string?>("--loss") { Description = $"Loss: {string.Join(", ", TrainingObjectives.Names)} (default: the recipe's, prototypical)." };
        var embeddingDim = new Option<int?>("--embedding-dim") { Description = "Embedding size for compact and mlp (default: the recipe's, 64)." };
        var margin = new Option<float?>("--margin") { Description = "Contrastive/triplet margin (default: the recipe's, 1)." };
        var learningRate = new Option<float?>("--learning-rate") { Description = "Adam learning rate (default: the recipe's, 2e-3)." };
        var schedule = new Option<string?>("--schedule") { Description = "Learning-rate schedule: constant, or cosine (half a cosine down to zero at the last iteration) (default: the recipe's, constant)." };
        var averaging = new Option<double?>("--weight-averaging") { Description = "Decay of a moving average of the weights that the model gets, 0 for none (default: the recipe's, 0.998)." };
        var views = new Option<string?>("--test-time-views") { Description = "Embed each image as the mean over fixed affine views of it when scoring: standard (9 views) or none (default: the recipe's)." };
        var spread = new Option<double?>("--spread") { Description = "Moment normalization: centre every image on its ink's centre of mass and scale it to this radius of gyration, as a fraction of the side; 0 for none (default: the recipe's; handwriting 0.25, general none)." };
        var augment = new Option<bool>("--augment") { Description = "Random affine distortions of the training images (on in every recipe; kept for old scripts)." };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train on the images as they are, without random distortions (with --fine-tune 1 or 2, the frozen stages then run once per image, not at every step)." };
        var imageSize = new Option<int?>("--image-size") { Description = "Image side the network sees (default: the recipe's, 48; IDX data keeps its own size)." };
        var backbone = new Option<string?>("--backbone") { Description = "Pretrained backbone in front of the network: resnet18 (ImageNet ResNet18; default: the recipe's, resnet18 for photos, none otherwise)." };
        var fineTune = new Option<int?>("--fine-tune") { Description = "Residual stages of the backbone to train, from the last: 0 (frozen) to 4 (default: the recipe's)." };
        var mirrorViews = new Option<string?>("--mirror-views") { Description = "Average the frozen backbone's features over each photo and its mirror image: auto (when that gains on the training classes; the photos recipe's default), on or off. On, the backbone runs inside the model's graph, twice per photo." };
        var backboneFeatures = new Option<string?>("--backbone-features") { Description = "Which features of the frozen backbone the head trains on: auto (measure the whole trunk and stage 3 at 224, 112 and 64 px on the training classes and take the best; the photos recipe's default) or full (the whole trunk at 224 px, ML.NET's featurizer)." };
        var whitening = new Option<string?>("--whitening") { Description = "Starts the frozen backbone's head may take, chosen by the held-out classes: auto (PCA and within-class whitening; the photos recipe's default), pca, within-class, or none (the identity head only)." };
        var iterations = new Option<int?>("--iterations") { Description = "Optimizer steps (default: the recipe's; handwriting 4000, general 2500)." };
        var batch = new Option<int?>("--batch") { Description = "Pairs per step (default: the recipe's, 128)." };
        var ways = new Option<int?>("--ways") { Description = "Prototypical loss: classes per episode (default: the recipe's; at most the classes there are)." };
        var seed = CommonOptions.Seed();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Folder to write checkpoints to (every --checkpoint-interval steps and at the end); the two newest are kept." };
        var checkpointInterval = new Option<int?>("--checkpoint-interval") { Description = $"Steps between checkpoints (default {TrainDefaults.CheckpointInterval}); needs --checkpoint." };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint file to resume from, or a checkpoint folder: resume from the newest checkpoint in it that reads back intact." };
        var resumeChanged = new Option<bool>("--resume-changed") { Description = "Resume even though the checkpoint was written with other data or result-changing options (refused otherwise, naming what differs)." };
        var output = new Option<string>("--out") { Description = "Model zip to write.", Required = true };
        var json = CommonOptions.Json();
        var pictures = new Plots.TrainPictures();

        var command = new Command("train", "Train a Siamese network; the zip holds the whole pipeline from image path (or IDX features) to pair score.")
            .With(data, labelDepth, recipe, network, loss, embeddingDim, margin, learningRate, schedule, averaging, views, spread, augment, noAugment, imageSize, backbone, fineTune, backboneFeatures, mirrorViews, whitening, iterations, batch, ways, seed, checkpoint, checkpointInterval, resume, resumeChanged, output, json);
        pictures.AddTo(command);

        command.SetGuardedAction(stderr, (parse, token) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            var settings = new TrainSettings
            {
                Data = parse.GetValue(data) ?? [],
                LabelDepth = parse.GetValue(labelDepth),
                Recipe = parse.GetValue(recipe) ?? "auto",
                Network = parse.GetValue(network),
                Loss = parse.GetValue(loss),
                EmbeddingDimension = parse.GetValue(embeddingDim),
                Margin = parse.GetValue(margin),
                LearningRate = parse.GetValue(learningRate),
                Schedule = parse.GetValue(schedule),
                WeightAveraging = parse.GetValue(averaging),
                TestTimeViews = parse.GetValue(views),
                Spread = parse.GetValue(spread),
                NoAugment = parse.GetValue(noAugment),
                ImageSize = parse.GetValue(imageSize),
                Backbone = parse.GetValue(backbone),
                FineTune = parse.GetValue(fineTune),
                BackboneFeatures = parse.GetValue(backboneFeatures),
                MirrorViews = parse.GetValue(mirrorViews),
                Whitening = parse.GetValue(whitening),
                Iterations = parse.GetValue(iterations),
                BatchSize = parse.GetValue(batch),
                Ways = parse.GetValue(ways),
                Seed = parse.GetValue(seed),
                Checkpoint = parse.GetValue(checkpoint),
                CheckpointInterval = parse.GetValue(checkpointInterval),
                Resume = parse.GetValue(resume),
                ResumeChanged = parse.GetValue(resumeChanged),
                Output = parse.GetValue(output)!,
            };
            if (settings.NoAugment && parse.GetValue(augment))
                throw new CliUsageException("--augment and --no-augment contradict each other; give one.");
            return Execute(io, settings, pictures.Read(parse), token);
        });
        return command;
    }

    private static int Execute(CliIO io, TrainSettings s, Plots.TrainPictures.Request pictures, CancellationToken token)
    {
        // Validate everything cheap before touching the data.
        SiameseRecipe? named = s.Recipe.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : ParseRecipe(s.Recipe);
        TrainOverrides.Validate(s);
        string? resumeFrom = ResolveResume(s.Resume, s.Seed);
        if (resumeFrom is null && s.Checkpoint is not null && ExistingCheckpoints(s.Checkpoint) is { } earlier)
            throw new CliUsageException($"--checkpoint '{s.Checkpoint}' already holds checkpoints of an earlier run ({earlier}); "
                + $"continue that run with --resume '{s.Checkpoint}', or give an empty folder.");
        string outPath = Path.GetFullPath(s.Output);
        if (Directory.Exists(outPath))
            throw new CliUsageException($"--out '{s.Output}' is a folder; give a file name such as model.zip.");
        MLNet.Siamese.Files.SafeFileOutput.CheckNotAnInput(outPath, "--out", s.Data.Select(d => (d, "--data"))
            .Concat(resumeFrom is null ? [] : [(resumeFrom, "--resume")]));

        using var temp = CliTempFolder.Create();
        var ml = new MLContext(seed: s.Seed) { TempFilePath = temp.Path };
        ItemSet items = DataSources.Load(s.Data, s.LabelDepth, io);
        if (items.ClassCount < 2)
            throw new CliUsageException($"--data holds {items.ClassCount} class(es); training needs at least 2 (check --label-depth).");

        RecipeChoice choice = named is not null ? new RecipeChoice(named, "chosen with --recipe")
            : items.Kind == InputKind.Images ? RecipeDetection.ForImages(ml, items.Paths) : RecipeDetection.ForFeatures();
        io.Info($"Recipe: {choice.Recipe.Name} ({choice.Reason}{(named is null ? "; --recipe to choose another" : "")}).");

        bool images = items.Kind == InputKind.Images;
        if (!images && s.ImageSize is { } given && given != items.Side)
            throw new CliUsageException($"--image-size {given} does not match the IDX images ({items.Side}x{items.Side}); leave it out for IDX data.");
        SiameseTrainerOptions options;
        try
        {
            options = images ? choice.Recipe.CreateOptions(s.ImageSize) : choice.Recipe.CreateOptions(items.Side, inputSizeFixed: true);
            TrainOverrides.Apply(s, options);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"recipe '{choice.Recipe.Name}' cannot be built as asked: {e.Message}");
        }
        options.LabelColumnName = ItemSet.LabelColumn;
        options.GroupColumnName = ItemSet.GroupColumn;
        options.Seed = s.Seed;
        options.CheckpointDirectory = s.Checkpoint;
        options.CheckpointInterval = s.CheckpointInterval ?? TrainDefaults.CheckpointInterval;
        options.ResumeFrom = resumeFrom;
        options.AcceptChangedRunOnResume = s.ResumeChanged;
        options.CancellationToken = token;
        options.ProgressInterval = Math.Max(1, options.Iterations / TrainDefaults.ProgressReports);
        if (options.WithinGroup && !items.HasGroupWithTwoClasses())
        {
            options.WithinGroup = false;
            io.Info("No group (folder above the class) holds two classes: episodes and pairs are drawn from all classes.");
        }
        if (images)
        {
            io.Info($"Images: {items.Count} in {items.ClassCount} classes.");
        }
        else
        {
            options.ImageColumnName = null;
            options.FeatureColumnName = ItemSet.FeaturesColumn;
            io.Info($"IDX items: {items.Count} in {items.ClassCount} classes, {items.Side}x{items.Side}.");
        }

        io.Info($"Image geometry: {options.ResolveGeometry()}.");
        pictures.Prepare(ml, options, items, s.LabelDepth, io);
        if (resumeFrom is not null)
            io.Info($"Resuming from {resumeFrom}.");
        var watch = Stopwatch.StartNew();
        SiameseModel model = TrainProgress.Train(io, ml, options, items.ToDataView(ml));
        watch.Stop();
        bool invert = model.Images?.Preprocessing.Invert ?? false;
        if (images)
            io.Info(invert ? "Images inverted (dark ink on a light background -> ink 1)." : "Images not inverted.");

        string? folder = Path.GetDirectoryName(outPath);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        MLNet.Siamese.Files.SafeFileOutput.Write(outPath, stream => ml.Model.Save(model.PairScorer, model.PairScorerInputSchema, stream));
        var plots = pictures.WritePlots(io, model.Summary);
        string? tensorBoard = pictures.WriteTensorBoard(io, model.Summary);

        var history = model.Summary.LossHistory;
        int tail = Math.Min(history.Count, Math.Max(1, options.ProgressInterval));
        double? finalLoss = history.Count == 0 ? null : history.Skip(history.Count - tail).Average(v => (double)v);
        var spec = model.Network;   // what was saved: with a backbone in the network (cut, mirrored, fine-tuned), the trunk and the head
        if (io.Json)
        {
            io.WriteJson(new JsonObject
            {
                ["recipe"] = choice.Recipe.Name,
                ["recipeReason"] = choice.Reason,
                ["iterations"] = model.Summary.Iterations,
                ["finalLoss"] = JsonNumbers.Of(finalLoss),
                ["seconds"] = JsonNumbers.Of(Math.Round(watch.Elapsed.TotalSeconds, 3)),
                ["threshold"] = JsonNumbers.Of(model.Threshold),
                ["calibrationAccuracy"] = JsonNumbers.Of(model.Summary.CalibrationAccuracy),
                ["output"] = outPath,
                ["plots"] = plots,
                ["tensorboard"] = tensorBoard,
                ["input"] = images ? "images" : "features",
                ["items"] = items.Count,
                ["classes"] = items.ClassCount,
                ["network"] = spec.Name,
                ["backbone"] = options.Backbone?.Name,
                ["fineTuneStages"] = options.FineTuneStages,
                ["backboneStages"] = model.Summary.BackboneSelection?.Chosen.Stages ?? options.Backbone?.Stages,
                ["mirrorViews"] = model.Network.TestTimeViews?.Contains(EmbeddingView.Mirrored) == true,
                ["startWhitening"] = JsonNumbers.Of(model.Summary.StartWhitening?.Power),
                ["startWhiteningKind"] = WhiteningKindName(model.Summary.StartWhitening),
                ["identityHeldOutMapAtR"] = JsonNumbers.Of(model.Summary.IdentityValidation),
                ["whiteningCandidates"] = WhiteningCandidates(model.Summary),
                ["keptStart"] = model.Summary.KeptStart,
                ["impostorDistances"] = model.Summary.Impostors is { } measured ? new JsonObject { ["pairs"] = measured.Pairs, ["classes"] = measured.Classes, ["heldOutClasses"] = measured.HeldOutClasses } : null,
                ["heldOutChoice"] = model.Summary.DescribeHeldOutChoice(),
                ["fineTuneHint"] = FineTuneHint.For(options, model.Summary),
                ["loss"] = options.Loss.ToString(),
                ["embeddingDimension"] = model.EmbeddingDimension,
                ["testTimeViews"] = spec.TestTimeViews?.Count ?? 1,
                ["spread"] = spec.InputNormalization?.Spread ?? 0,
                ["schedule"] = options.LearningRateSchedule.ToString().ToLowerInvariant(),
                ["weightAveraging"] = options.WeightAveragingDecay,
                ["imageSize"] = model.Summary.BackboneSelection?.Chosen.ImageSize ?? options.ResolveGeometry().Height,
                ["invert"] = invert,
                ["resumedFrom"] = resumeFrom,
                ["lastCheckpoint"] = model.Summary.LastCheckpoint,
            });
        }
        else
        {
            io.Out.WriteLine(TrainedSentence(model.Summary, watch.Elapsed, finalLoss, model.Threshold));
            io.Out.WriteLine($"Model written to {outPath}");
        }
        if (model.Summary.BackboneSelection is { } selection) io.Info($"Backbone features: {selection}.");
        if (model.Summary.DescribeHeldOutChoice() is { } heldOut) io.Info(heldOut);
        if (FineTuneHint.For(options, model.Summary) is { } hint) io.Info(hint);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The <c>--json</c> list of the whitened starts tried: kind, power, the held-out classes' MAP@R from it (before
    /// training) and its gains over the unwhitened features on each fold of the training classes (empty without folds).
    /// </summary>
    internal static JsonArray WhiteningCandidates(TrainingSummary summary)
    {
        var folds = summary.WhiteningFoldGains.ToDictionary(p => p.Key, p => p.Value);
        return new JsonArray(summary.WhiteningValidation.Select(v => (JsonNode?)new JsonObject
        {
            ["kind"] = WhiteningKindName(v.Key),
            ["power"] = JsonNumbers.Of(v.Key.Power),
            ["heldOutMapAtR"] = JsonNumbers.Of(v.Value),
            ["foldGains"] = new JsonArray((folds.GetValueOrDefault(v.Key) ?? []).Select(g => JsonNumbers.Of(g)).ToArray()),
        }).ToArray());
    }

    /// <summary>The <c>--json</c> name of a whitened start's kind: "pca", "within-class", or null for the identity start.</summary>
    internal static string? WhiteningKindName(WhitenedStart? start)
        => start?.Kind switch { WhiteningKind.Pca => "pca", WhiteningKind.WithinClass => "within-class", _ => null };

    /// <summary>The line after training: iterations, time, loss, which head the model is when the held-out classes kept the untrained one, the threshold.</summary>
    internal static string TrainedSentence(TrainingSummary summary, TimeSpan elapsed, double? finalLoss, double threshold)
    {
        string untrained = !summary.KeptStart ? ""
            : summary.StartWhitening is null ? "; the model is the untrained head (the held-out classes preferred it)"
            : summary.WhiteningFoldGains.Count > 0 ? "; the model is the whitened start, untrained (the held-out classes and the folds of the training classes preferred it)"
            : "; the model is the whitened start, untrained (the held-out classes preferred it)";
        return string.Create(CultureInfo.InvariantCulture,
            $"Trained {summary.Iterations} iterations in {elapsed.TotalSeconds:F1} s; final loss {finalLoss:F4}{untrained}; threshold {threshold:G4} (calibration accuracy {summary.CalibrationAccuracy:P1}).");
    }

    private static SiameseRecipe ParseRecipe(string name)
    {
        try
        {
            return SiameseRecipes.Get(name);
        }
        catch (ArgumentException)
        {
            throw new CliUsageException($"--recipe '{name}' is unknown; choose auto, {string.Join(", ", SiameseRecipes.Names)}.");
        }
    }

    /// <summary>
    /// The checkpoint file <c>--resume</c> names: the file itself, or for a folder the newest checkpoint in it that reads
    /// back intact (partial or corrupt newer files, such as a kill mid-write can leave, are skipped). The checkpoint must
    /// come from a run with the same seed, or the resumed run would be neither the old run nor a new one.
    /// </summary>
    private static string? ResolveResume(string? resume, int seed)
    {
        if (resume is null)
            return null;
        string path;
        if (Directory.Exists(resume))
        {
            path = TrainingCheckpoint.FindLatestValid(resume)
                ?? throw new CliUsageException($"--resume '{resume}' holds no intact checkpoint (checkpoint-NNNNNN.mlnsckpt); "
                    + "leave --resume out to start from the beginning.");
        }
        else if (File.Exists(resume))
        {
            path = resume;
        }
        else
        {
            throw new CliUsageException($"--resume '{resume}' does not exist.");
        }
        // Load verifies the whole file (InvalidDataException naming it: exit code 2).
        int saved = TrainingCheckpoint.Load(path).Header.Seed;
        if (saved != seed)
            throw new CliUsageException($"--resume '{path}' was written by a run with --seed {saved}; pass --seed {saved} to continue it (now {seed}).");
        return Path.GetFullPath(path);
    }

    /// <summary>The name of the newest checkpoint file in <paramref name="folder"/>, or null when it holds none.</summary>
    private static string? ExistingCheckpoints(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "checkpoint-*.mlnsckpt").Select(Path.GetFileName).Max(StringComparer.Ordinal)
            : null;

    internal static SiameseLoss ParseLoss(string name)
    {
        string known = name.ToLowerInvariant() is "binary-cross-entropy" or "binarycrossentropy" ? TrainingObjectives.BinaryCrossEntropyName : name;
        try
        {
            return TrainingObjectives.LossOf(known);
        }
        catch (ArgumentException)
        {
            throw new CliUsageException($"--loss '{name}' is unknown; choose one of {string.Join(", ", TrainingObjectives.Names)}.");
        }
    }

    internal static LearningRateSchedule ParseSchedule(string name) => name.ToLowerInvariant() switch
    {
        "constant" => LearningRateSchedule.Constant,
        "cosine" => LearningRateSchedule.Cosine,
        _ => throw new CliUsageException($"--schedule '{name}' is unknown; choose constant or cosine."),
    };

    internal static IReadOnlyList<EmbeddingView>? ParseViews(string name) => name.ToLowerInvariant() switch
    {
        "standard" => EmbeddingView.Standard,
        "none" => null,
        _ => throw new CliUsageException($"--test-time-views '{name}' is unknown; choose standard or none."),
    };
}
