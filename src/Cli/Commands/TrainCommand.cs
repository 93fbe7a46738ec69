using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary><c>siamese train</c>: trains a Siamese network and saves its whole pair scorer as one ML.NET model zip.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = CommonOptions.Data(required: true);
        var labelDepth = CommonOptions.LabelDepth();
        var network = new Option<string>("--network") { Description = $"Network preset: {string.Join(", ", NetworkPresets.Names)} (default {TrainDefaults.Network}).", DefaultValueFactory = _ => TrainDefaults.Network };
        var loss = new Option<string>("--loss") { Description = $"Loss: {string.Join(", ", TrainDefaults.LossNames)} (default {TrainDefaults.Loss}).", DefaultValueFactory = _ => TrainDefaults.Loss };
        var embeddingDim = new Option<int>("--embedding-dim") { Description = $"Embedding size for compact and mlp (default {TrainDefaults.EmbeddingDimension}).", DefaultValueFactory = _ => TrainDefaults.EmbeddingDimension };
        var margin = new Option<float>("--margin") { Description = $"Contrastive/triplet margin (default {TrainDefaults.Margin.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => TrainDefaults.Margin };
        var learningRate = new Option<float>("--learning-rate") { Description = $"Adam learning rate (default {TrainDefaults.LearningRate.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => TrainDefaults.LearningRate };
        var schedule = new Option<string>("--schedule") { Description = $"Learning-rate schedule: constant, or cosine (half a cosine down to zero at the last iteration) (default {TrainDefaults.Schedule}).", DefaultValueFactory = _ => TrainDefaults.Schedule };
        var averaging = new Option<double>("--weight-averaging") { Description = $"Decay of a moving average of the weights that the model gets, 0 for none (default {TrainDefaults.WeightAveraging.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => TrainDefaults.WeightAveraging };
        var views = new Option<string>("--test-time-views") { Description = $"Embed each image as the mean over fixed affine views of it when scoring: standard (9 views) or none (default {TrainDefaults.TestTimeViews}).", DefaultValueFactory = _ => TrainDefaults.TestTimeViews };
        var spread = new Option<double>("--spread") { Description = $"Moment normalization: centre every image on its ink's centre of mass and scale it to this radius of gyration, as a fraction of the side; 0 for none (default {TrainDefaults.Spread.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => TrainDefaults.Spread };
        var augment = new Option<bool>("--augment") { Description = "Random affine distortions of the training images." };
        var imageSize = new Option<int?>("--image-size") { Description = $"Image height and width after resizing (default {TrainDefaults.ImageSize}; IDX data keeps its own size)." };
        var iterations = new Option<int>("--iterations") { Description = $"Optimizer steps (default {TrainDefaults.Iterations}).", DefaultValueFactory = _ => TrainDefaults.Iterations };
        var batch = new Option<int>("--batch") { Description = $"Pairs per step (default {TrainDefaults.BatchSize}).", DefaultValueFactory = _ => TrainDefaults.BatchSize };
        var ways = new Option<int?>("--ways") { Description = "Prototypical loss: classes per episode (default 20, or the class count when smaller)." };
        var seed = CommonOptions.Seed();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Folder to write checkpoints to (every --checkpoint-interval steps and at the end); the two newest are kept." };
        var checkpointInterval = new Option<int?>("--checkpoint-interval") { Description = $"Steps between checkpoints (default {TrainDefaults.CheckpointInterval}); needs --checkpoint." };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint file to resume from, or a checkpoint folder: resume from the newest checkpoint in it that reads back intact." };
        var output = new Option<string>("--out") { Description = "Model zip to write.", Required = true };
        var json = CommonOptions.Json();
        var pictures = new Plots.TrainPictures();

        var command = new Command("train", "Train a Siamese network; the zip holds the whole pipeline from image path (or IDX features) to pair score.")
            .With(data, labelDepth, network, loss, embeddingDim, margin, learningRate, schedule, averaging, views, spread, augment, imageSize, iterations, batch, ways, seed, checkpoint, checkpointInterval, resume, output, json);
        pictures.AddTo(command);

        command.SetGuardedAction(stderr, (parse, token) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            var settings = new TrainSettings
            {
                Data = parse.GetValue(data) ?? [],
                LabelDepth = parse.GetValue(labelDepth),
                Network = parse.GetValue(network) ?? TrainDefaults.Network,
                Loss = parse.GetValue(loss) ?? TrainDefaults.Loss,
                EmbeddingDimension = parse.GetValue(embeddingDim),
                Margin = parse.GetValue(margin),
                LearningRate = parse.GetValue(learningRate),
                Schedule = parse.GetValue(schedule) ?? TrainDefaults.Schedule,
                WeightAveraging = parse.GetValue(averaging),
                TestTimeViews = parse.GetValue(views) ?? TrainDefaults.TestTimeViews,
                Spread = parse.GetValue(spread),
                Augment = parse.GetValue(augment),
                ImageSize = parse.GetValue(imageSize),
                Iterations = parse.GetValue(iterations),
                BatchSize = parse.GetValue(batch),
                Ways = parse.GetValue(ways),
                Seed = parse.GetValue(seed),
                Checkpoint = parse.GetValue(checkpoint),
                CheckpointInterval = parse.GetValue(checkpointInterval),
                Resume = parse.GetValue(resume),
                Output = parse.GetValue(output)!,
            };
            return Execute(io, settings, pictures.Read(parse), token);
        });
        return command;
    }

    private static int Execute(CliIO io, TrainSettings s, Plots.TrainPictures.Request pictures, CancellationToken token)
    {
        // Validate everything cheap before touching the data.
        if (!NetworkPresets.Names.Contains(s.Network.ToLowerInvariant()))
            throw new CliUsageException($"--network '{s.Network}' is unknown; choose one of {string.Join(", ", NetworkPresets.Names)}.");
        var testTimeViews = ParseViews(s.TestTimeViews);
        var schedule = ParseSchedule(s.Schedule);
        if (!(s.Spread is >= 0 and <= 1))
            throw new CliUsageException($"--spread {s.Spread.ToString(CultureInfo.InvariantCulture)} is out of range; use a fraction of the image side in (0, 1], e.g. 0.25, or 0 for none.");
        var normalization = s.Spread > 0 ? new MomentNormalization(s.Spread) : null;
        if (!(s.WeightAveraging is >= 0 and < 1))
            throw new CliUsageException($"--weight-averaging {s.WeightAveraging.ToString(CultureInfo.InvariantCulture)} is out of range; use a decay in [0, 1), e.g. 0.998, or 0 for none.");
        SiameseLoss lossKind = ParseLoss(s.Loss);
        CommonOptions.Positive("--iterations", s.Iterations);
        CommonOptions.Positive("--batch", s.BatchSize);
        CommonOptions.Positive("--embedding-dim", s.EmbeddingDimension);
        CommonOptions.PositiveFinite("--margin", s.Margin);
        CommonOptions.PositiveFinite("--learning-rate", s.LearningRate);
        if (s.ImageSize is { } size && size < 1)
            throw new CliUsageException($"--image-size must be a positive integer (got {size}).");
        if (s.Ways is { } w && w < 2)
            throw new CliUsageException($"--ways must be at least 2 (got {w}).");
        if (s.CheckpointInterval is { } interval)
        {
            CommonOptions.Positive("--checkpoint-interval", interval);
            if (s.Checkpoint is null)
                throw new CliUsageException("--checkpoint-interval needs --checkpoint FOLDER to write the checkpoints to.");
        }
        string? resumeFrom = ResolveResume(s.Resume, s.Seed);
        if (resumeFrom is null && s.Checkpoint is not null && ExistingCheckpoints(s.Checkpoint) is { } earlier)
            throw new CliUsageException($"--checkpoint '{s.Checkpoint}' already holds checkpoints of an earlier run ({earlier}); "
                + $"continue that run with --resume '{s.Checkpoint}', or give an empty folder.");
        string outPath = Path.GetFullPath(s.Output);
        if (Directory.Exists(outPath))
            throw new CliUsageException($"--out '{s.Output}' is a folder; give a file name such as model.zip.");

        var ml = new MLContext(seed: s.Seed);
        ItemSet items = DataSources.Load(s.Data, s.LabelDepth);
        if (items.ClassCount < 2)
            throw new CliUsageException($"--data holds {items.ClassCount} class(es); training needs at least 2 (check --label-depth).");

        var options = new SiameseTrainerOptions
        {
            LabelColumnName = ItemSet.LabelColumn,
            GroupColumnName = ItemSet.GroupColumn,
            Loss = lossKind,
            Margin = s.Margin,
            LearningRate = s.LearningRate,
            LearningRateSchedule = schedule,
            WeightAveragingDecay = s.WeightAveraging,
            Iterations = s.Iterations,
            BatchSize = s.BatchSize,
            Seed = s.Seed,
            Augmentation = s.Augment ? new AffineAugmentation() : null,
            CheckpointDirectory = s.Checkpoint,
            CheckpointInterval = s.CheckpointInterval ?? TrainDefaults.CheckpointInterval,
            ResumeFrom = resumeFrom,
            CancellationToken = token,
            ProgressInterval = Math.Max(1, s.Iterations / TrainDefaults.ProgressReports),
        };
        if (lossKind == SiameseLoss.Prototypical)
        {
            options.Ways = s.Ways ?? Math.Min(options.Ways, items.ClassCount);
            // Deeper labels (alphabet/character) have meaningful groups: draw each episode from one group, the harder
            // within-alphabet task the one-shot test poses, when some group has enough classes with enough items.
            int need = options.Shots + options.Queries;
            var eligible = items.Labels.Select((label, i) => (label, group: items.Groups[i]))
                .GroupBy(x => x.label).Where(g => g.Count() >= need).GroupBy(g => g.First().group)
                .Select(g => g.Count()).DefaultIfEmpty(0).Max();
            options.WithinGroup = s.LabelDepth >= 2 && eligible >= 2;
        }

        bool invert = false;
        double meanPixel = double.NaN;
        int side, decoded;  // the network's image size, and the size the images are decoded at (larger when normalizing)
        if (items.Kind == InputKind.Images)
        {
            side = s.ImageSize ?? TrainDefaults.ImageSize;
            meanPixel = InvertDetection.MeanPixel(ml, items.Ids, side);
            invert = meanPixel > TrainDefaults.InvertMeanThreshold;
            io.Info(string.Create(CultureInfo.InvariantCulture,
                $"Images: {items.Count} in {items.ClassCount} classes; mean pixel {meanPixel:F3} -> {(invert ? "light background, inverting" : "dark background, not inverting")}."));
            options.ImageColumnName = ItemSet.ImagePathColumn;
            decoded = normalization is null ? side : side * TrainDefaults.NormalizationDecodeScale;
            options.Preprocessing = new ImagePreprocessingOptions { Width = decoded, Height = decoded, Invert = invert };
        }
        else
        {
            side = decoded = items.Side;
            if (s.ImageSize is { } given && given != side)
                throw new CliUsageException($"--image-size {given} does not match the IDX images ({side}x{side}); leave it out for IDX data.");
            io.Info($"IDX items: {items.Count} in {items.ClassCount} classes, {side}x{side}.");
            options.FeatureColumnName = ItemSet.FeaturesColumn;
        }
        try
        {
            options.Network = NetworkPresets.Create(s.Network, side, s.EmbeddingDimension) with
            {
                Height = decoded,
                Width = decoded,
                InputNormalization = normalization is null ? null : normalization with { OutputHeight = side, OutputWidth = side },
                TestTimeViews = testTimeViews,
            };
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--network '{s.Network}' cannot be built for {side}x{side} images: {e.Message}");
        }

        pictures.Prepare(ml, options, items, s.LabelDepth);
        if (resumeFrom is not null)
            io.Info($"Resuming from {resumeFrom}.");
        var watch = Stopwatch.StartNew();
        SiameseModel model = TrainWithProgress(io, ml, options, items.ToDataView(ml));
        watch.Stop();

        string? folder = Path.GetDirectoryName(outPath);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        string temp = outPath + ".tmp";
        ml.Model.Save(model.PairScorer, ModelFile.EmptyInput(ml, items.Kind, items.FeatureLength).Schema, temp);
        File.Move(temp, outPath, overwrite: true);
        var plots = pictures.WritePlots(io, model.Summary);
        string? tensorBoard = pictures.WriteTensorBoard(io, model.Summary);

        var history = model.Summary.LossHistory;
        int tail = Math.Min(history.Count, Math.Max(1, options.ProgressInterval));
        double? finalLoss = history.Count == 0 ? null : history.Skip(history.Count - tail).Average(v => (double)v);
        if (io.Json)
        {
            io.WriteJson(new JsonObject
            {
                ["iterations"] = model.Summary.Iterations,
                ["finalLoss"] = JsonNumbers.Of(finalLoss),
                ["seconds"] = JsonNumbers.Of(Math.Round(watch.Elapsed.TotalSeconds, 3)),
                ["threshold"] = JsonNumbers.Of(model.Threshold),
                ["calibrationAccuracy"] = JsonNumbers.Of(model.Summary.CalibrationAccuracy),
                ["output"] = outPath,
                ["plots"] = plots,
                ["tensorboard"] = tensorBoard,
                ["input"] = items.Kind == InputKind.Images ? "images" : "features",
                ["items"] = items.Count,
                ["classes"] = items.ClassCount,
                ["network"] = s.Network.ToLowerInvariant(),
                ["loss"] = lossKind.ToString(),
                ["embeddingDimension"] = model.EmbeddingDimension,
                ["testTimeViews"] = testTimeViews?.Count ?? 1,
                ["spread"] = s.Spread,
                ["schedule"] = schedule.ToString().ToLowerInvariant(),
                ["weightAveraging"] = s.WeightAveraging,
                ["imageSize"] = side,
                ["invert"] = invert,
                ["resumedFrom"] = resumeFrom,
                ["lastCheckpoint"] = model.Summary.LastCheckpoint,
            });
        }
        else
        {
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trained {model.Summary.Iterations} iterations in {watch.Elapsed.TotalSeconds:F1} s; final loss {finalLoss:F4}; threshold {model.Threshold:G4} (calibration accuracy {model.Summary.CalibrationAccuracy:P1})."));
            io.Out.WriteLine($"Model written to {outPath}");
        }
        return ExitCodes.Success;
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

    private static SiameseModel TrainWithProgress(CliIO io, MLContext ml, SiameseTrainerOptions options, IDataView data)
    {
        int batch = options.BatchSize;
        if (!io.Live)
        {
            TextWriter lines = io.Json ? io.Error : io.Out;
            options.Progress = new SyncProgress(p => lines.WriteLine(ProgressLine(p, batch)));
            return ml.Siamese().Train(options).Fit(data);
        }
        SiameseModel? model = null;
        io.Console.Progress()
            .AutoClear(false)
            .Columns(new Spectre.Console.TaskDescriptionColumn(), new Spectre.Console.ProgressBarColumn(), new Spectre.Console.PercentageColumn(),
                new Spectre.Console.ElapsedTimeColumn(), new Spectre.Console.RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: options.Iterations);
                options.Progress = new SyncProgress(p =>
                {
                    task.Value = p.Iteration;
                    task.Description = Spectre.Console.Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"it {p.Iteration}/{p.TotalIterations} loss {p.Loss:F4} {p.PairsPerSecond:F0} pairs/s ETA {Eta(p, batch):hh\\:mm\\:ss}"));
                });
                model = ml.Siamese().Train(options).Fit(data);
                task.Value = options.Iterations;
            });
        return model!;
    }

    internal static string ProgressLine(TrainingProgress p, int batch)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"iteration {p.Iteration}/{p.TotalIterations}  loss {p.Loss:F4}  {p.PairsPerSecond:F0} pairs/s  elapsed {p.Elapsed:hh\\:mm\\:ss}  ETA {Eta(p, batch):hh\\:mm\\:ss}");
        return p.ValidationAccuracy is { } v ? line + string.Create(CultureInfo.InvariantCulture, $"  validation {v:P1}") : line;
    }

    private static TimeSpan Eta(TrainingProgress p, int batch)
    {
        int remaining = Math.Max(0, p.TotalIterations - p.Iteration);
        if (remaining == 0 || p.PairsPerSecond <= 0 || !double.IsFinite(p.PairsPerSecond))
            return TimeSpan.Zero;
        return TimeSpan.FromSeconds(Math.Min(remaining * (double)batch / p.PairsPerSecond, TimeSpan.FromDays(9).TotalSeconds));
    }

    internal static SiameseLoss ParseLoss(string name) => name.ToLowerInvariant() switch
    {
        "contrastive" => SiameseLoss.Contrastive,
        "bce" or "binary-cross-entropy" or "binarycrossentropy" => SiameseLoss.BinaryCrossEntropy,
        "triplet" => SiameseLoss.Triplet,
        "prototypical" => SiameseLoss.Prototypical,
        _ => throw new CliUsageException($"--loss '{name}' is unknown; choose one of {string.Join(", ", TrainDefaults.LossNames)}."),
    };

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

    private sealed class TrainSettings
    {
        public required string[] Data { get; init; }
        public int LabelDepth { get; init; }
        public required string Network { get; init; }
        public required string Loss { get; init; }
        public int EmbeddingDimension { get; init; }
        public float Margin { get; init; }
        public float LearningRate { get; init; }
        public required string Schedule { get; init; }
        public double WeightAveraging { get; init; }
        public required string TestTimeViews { get; init; }
        public double Spread { get; init; }
        public bool Augment { get; init; }
        public int? ImageSize { get; init; }
        public int Iterations { get; init; }
        public int BatchSize { get; init; }
        public int? Ways { get; init; }
        public int Seed { get; init; }
        public string? Checkpoint { get; init; }
        public int? CheckpointInterval { get; init; }
        public string? Resume { get; init; }
        public required string Output { get; init; }
    }

    /// <summary>Reports on the training thread (System.Progress would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
