using MLNet.Siamese.Backbones;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Data;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Runtime;
using MLNet.Siamese.Sampling;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;
using MLNet.Siamese.Classes;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Trains a Siamese (twin) network with TorchSharp and returns a <see cref="SiameseModel"/>: an ordinary ML.NET
/// transformer whose scoring runs on ONNX Runtime. Reach it as <c>mlContext.Siamese().Train(options)</c>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Input and output columns
/// | Mode | Input columns | Output of the model's `Transform` |
/// | -- | -- | -- |
/// | single items (default) | `Features`: vector of Single, C*H*W values in 0..1; `Label`: class (text, key, integer or boolean); optional `Group` | `Embedding`: vector of Single |
/// | explicit pairs (`LeftFeatureColumnName` set) | `LeftFeatures`, `RightFeatures`: vectors of Single; `Label`: Boolean, true for same-class pairs | `Embedding` |
///
/// The pair view, `SiameseModel.PairScorer`, maps `LeftFeatures` and `RightFeatures` to `Score` (0..1, higher is
/// more similar), `Distance` (Euclidean distance of the embeddings), `PredictedLabel` (Score >= threshold) and the two embeddings.
///
/// In single-item mode pairs (contrastive, binary cross-entropy), triplets or episodes are sampled online, fresh for
/// every iteration, as the seeds' getSiameseBatch does. Every image is decoded once into one tensor; batches are
/// gathered by index. The decision threshold is calibrated on the validation data when given, else on pairs drawn
/// from the training data.
/// ]]></format>
/// </remarks>
public sealed partial class SiameseTrainer : IEstimator<SiameseModel>
{
    private readonly MLContext _context;
    private readonly SiameseTrainerOptions _options;

    internal SiameseTrainer(MLContext context, SiameseTrainerOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The options this trainer was created with.</summary>
    public SiameseTrainerOptions Options => _options;

    /// <summary>Trains on <paramref name="input"/> and returns the trained model.</summary>
    /// <param name="input">Training data (see the remarks for columns).</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, of the wrong type, or of the wrong vector size.</exception>
    /// <exception cref="InvalidOperationException">The data cannot train a Siamese network (one class, no class with two items, non-finite values), or training diverged.</exception>
    public SiameseModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return SelectsBackboneFeatures(input) ? TrainOnChosenBackboneFeatures(input) : Train(input, null);
    }

    private SiameseModel Train(IDataView input, BackboneSelection? selection)
    {
        TrainerChecks.Validate(_options);
        var objective = TrainingObjectives.Create(_options);
        var spec = WithObjectiveOutput(_options.ResolveNetwork(), objective);
        spec.InferShapes();
        var fineTuning = FineTuning.Create(_options);   // null unless the backbone runs inside the network
        bool pairsMode = _options.LeftFeatureColumnName is not null || _options.RightFeatureColumnName is not null;
        if (pairsMode && (_options.LeftFeatureColumnName is null || _options.RightFeatureColumnName is null))
            throw new ArgumentException("Explicit pairs need both LeftFeatureColumnName and RightFeatureColumnName.", nameof(input));
        if (pairsMode && objective.Batch.Kind != BatchKind.Pairs)
            throw new ArgumentException($"Explicit pairs train with the Contrastive or BinaryCrossEntropy loss, not {_options.Loss}.", nameof(input));

        const string what = "Siamese trainer";
        TorchRuntime.EnsureAvailable();
        var device = TrainingDevice.Resolve(_options.Device, _context.GpuDeviceId, _context.FallbackToCpu);
        // Backbone layers that do not train and see each photo the same way at every step: computed once per image.
        using var prefix = FrozenPrefix.Create(fineTuning, _options.PhotoAugmentation, device);
        bool backboneInNetwork = fineTuning is not null;
        if (prefix is not null) fineTuning = fineTuning!.AfterPrefix(prefix);   // null when the whole trunk is frozen: the head trains alone
        if (fineTuning is not null && prefix is not null)
            NativeMemoryTuning.ApplyFixedThreshold();   // the stages that train, on the prefix's maps: see there
        else
            NativeMemoryTuning.Apply(largeTensors: fineTuning is not null);
        bool decoded = _options.ImageColumnName is not null && !pairsMode && DecodedImageReader.HoldsImages(input, _options.ImageColumnName);
        var preprocessing = _options.ImageColumnName is not null && !pairsMode ? ResolvePreprocessing(input, decoded) : _options.ResolvePreprocessing();
        var imageInput = _options.ImageColumnName is not null && !pairsMode ? new ImageInput(_options.ImageColumnName, preprocessing, _options.Backbone, decoded, BackboneInNetwork: backboneInNetwork) : null;
        TrainerChecks.CheckBackbone(_options, spec, pairsMode);
        var featurizing = TimeSpan.Zero;   // backbone: time spent computing features of the training and validation images
        Func<IReadOnlyList<string>, float[]>? featurize = prefix is not null ? paths => prefix.Featurize(_context, paths)
            : fineTuning is not null ? paths => fineTuning.DecodePixels(_context, paths)
            : _options.Backbone is { } backbone
            ? paths => { var f = BackboneFeaturizer.Featurize(_context, backbone, paths, out var took); featurizing += took; return f; }
            : null;
        if (fineTuning is not null) spec = fineTuning.Network(spec);
        TrainingData? heldOut = null;      // classes held out of training as validation data (ValidationClassFraction)
        ClassSplit? split = null;          // every training class, held out or not (unseen alike by an untrained head), read from its two parts
        float[] features;          // what the training tensor holds: items as the layers see them (normalized, with class copies)
        float[]? pairFeatures = null;  // explicit pairs mode: left rows then right rows at the input size, for calibration
        int itemCount;
        ClassTable? classes = null;
        float[]? pairSimilar = null;
        TrainingData? items = null;    // single-item mode: the items as read, at the input size
        int[] fingerprintLabels = [];  // the class of each training item, for the run's fingerprint
        if (pairsMode)
        {
            var (left, right, similar) = TrainingData.ReadPairs(input, _options.LeftFeatureColumnName!, _options.RightFeatureColumnName!, _options.LabelColumnName, spec.InputSize, what);
            pairFeatures = left.Concat(right).ToArray();
            itemCount = similar.Length * 2;
            pairSimilar = similar;
            if (similar.All(s => s == similar[0]))
                throw new InvalidOperationException($"{what}: every pair in label column '{_options.LabelColumnName}' has the same label ({similar[0] > 0.5f}); training needs both similar and dissimilar pairs.");
            features = spec.InputNormalization is null ? pairFeatures : ItemNormalization.Apply(spec, pairFeatures, itemCount);
        }
        else
        {
            (items, split) = ReadTrainingItems(input, imageInput, spec.InputSize, what, featurize, prefix, ref featurizing);
            heldOut = split?.Validation;
            // Normalize first, then copy: the copies are made at the (smaller) size the layers see.
            var geometry = spec.Geometry;
            var trainingItems = spec.InputNormalization is null ? items
                : items.WithFeatures(ItemNormalization.Apply(spec, items.Features, items.Count), geometry.LayerLength);
            if (_options.MirroredClasses)
                trainingItems = trainingItems.WithMirroredClasses(geometry.Channels, geometry.Height, geometry.Width);
            if (_options.RotatedClasses)
            {
                if (geometry.Height != geometry.Width)
                    throw new ArgumentException($"RotatedClasses needs a square image; the network's layers take {geometry.Height}x{geometry.Width}.", nameof(input));
                trainingItems = trainingItems.WithRotatedClasses(geometry.Channels, geometry.Height);
            }
            classes = ClassTable.FromIds(trainingItems.ClassOfItem, trainingItems.GroupOfClass);
            TrainerChecks.CheckClasses(RunOptions(classes), trainingItems, classes, what);
            features = trainingItems.Features;
            itemCount = trainingItems.Count;
            fingerprintLabels = trainingItems.ClassOfItem;
        }
        TrainingData? validation = heldOut ?? (_options.ValidationData is null ? null
            : _options.ImageColumnName is null
                ? TrainingData.ReadItems(_options.ValidationData, _options.FeatureColumnName, _options.LabelColumnName, null, spec.InputSize, "Siamese trainer validation data")
                : ReadImages(_options.ValidationData, imageInput!, null, spec.InputSize, "Siamese trainer validation data", featurize, prefix, ref featurizing));
        var trainingClassNames = items?.ClassNames ?? [];
        if (validation is not null) items = null;  // not needed for calibration: let the garbage collector have it

        var host = ((IHostEnvironment)_context).Register("SiameseTrainer");
        int seed = _options.Seed ?? host.Rand.Next();
        using var channel = host.Start("Training");
        var runOptions = RunOptions(classes);
        if (!ReferenceEquals(runOptions, _options))
        {
            objective = TrainingObjectives.Create(runOptions);
            channel.Info(MessageSensitivity.None, $"Episodes: {runOptions.Shots} shot(s) and {runOptions.Queries} query(ies) per class (asked {_options.Shots} and {_options.Queries}): too few classes have that many items.");
        }
        using var run = new TrainingRun(runOptions, objective, spec, seed, device, features, itemCount, classes, pairSimilar, fineTuning);
        run.Fingerprint = RunFingerprint.Compute(_options, features, itemCount, fingerprintLabels, pairSimilar);
        ReleaseDecodedItems(itemCount, spec.InputSize);
        var loop = new TrainingLoop(run, new CheckpointWriter(_options), channel);
        if (_options.ResumeFrom is not null)
        {
            var checkpoint = TrainingCheckpoint.Load(_options.ResumeFrom);
            RunFingerprint.CheckResume(checkpoint.Header, run.Fingerprint, _options.ResumeFrom, _options.AcceptChangedRunOnResume);
            run.Restore(checkpoint, _options.ResumeFrom);
            loop.Checkpoints.Last = _options.ResumeFrom;
        }

        // Calibration and validation pairs are drawn with their own generators, so they do not disturb training batches.
        var calibrationPairs = validation is not null
            ? PairCalibration.DrawPairs(validation, _options.ValidationPairs, seed + 1)
            : pairsMode ? null : PairCalibration.DrawPairs(items!, _options.CalibrationPairs, seed + 2);
        Func<double>? validate = validation is null ? null
            : _options.Backbone is not null ? () => MapAtR(run, spec, validation)
            : () => PairCalibration.Calibrate(run, spec, validation, calibrationPairs!).Accuracy;
        // A head on pretrained features is validated before its first step too, and stays untrained unless training beats that.
        var start = _options.Backbone is not null && validate is not null && _options.EarlyStoppingPatience > 0
            ? StartingPoint.Capture(run.Network, validate) : null;
        double? identityScore = start?.Score;
        var whitening = start is not null ? ChooseWhitenedStart(run, spec, features, itemCount, fingerprintLabels, validate!, ref start) : null;
        using var startToDispose = start;
        loop.Train(validate);
        bool keptStart = start?.RestoreIfNotBeaten(run.Validation, keptBest: true, _options.ValidationMinimumGain) ?? false;
        if (start is not null)
            channel.Info(MessageSensitivity.None, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Validation MAP@R before training {start.Score:F4}, best after {(run.Validation.Count == 0 ? double.NaN : run.Validation.Max(v => v.Value)):F4}: {(keptStart ? "keeping the untrained head" : "keeping the trained head")}."));

        PairScoring scoring;
        double calibrationAccuracy;
        ImpostorDistanceProfile? impostors = null;
        if (keptStart && split is not null)
            // The untrained head has seen none of the training classes: calibrate its threshold on all of them, not only
            // on the held-out few.
            (scoring, calibrationAccuracy, _) = PairCalibration.Calibrate(run, spec, split.Item, PairCalibration.DrawPairs(split.All, Math.Max(_options.ValidationPairs, _options.CalibrationPairs), seed + 1), null, false);
        else if (calibrationPairs is not null)
            // Without validation data, the items calibrated on are training items: their impostor distances are measured
            // with them (every pair of different classes among them).
            (scoring, calibrationAccuracy, impostors) = PairCalibration.Calibrate(run, spec, PairCalibration.Reader(spec, validation ?? items!), calibrationPairs,
                validation is null ? items!.ClassOfItem : null, heldOutClasses: false);
        else
            (scoring, calibrationAccuracy, impostors) = PairCalibration.OnExplicitPairs(run, spec, pairFeatures!, pairSimilar!);
        // The impostor distances an identifier calibrates by: on the validation items when there are some (a start
        // fitted to the training classes, or a trained head, separates those better than new ones).
        if (validation is not null)
            impostors = PairCalibration.ImpostorDistances(run, spec, validation, heldOutClasses: split is not null || !validation.ClassNames.Intersect(trainingClassNames).Any());

        var weights = new Dictionary<string, WeightTensor>(run.Network.ExportWeights(), StringComparer.Ordinal);
        if (run.Head is not null)
        {
            weights["head.weight"] = EmbeddingNetwork.ToWeight(run.Head.weight!);
            weights["head.bias"] = EmbeddingNetwork.ToWeight(run.Head.bias!);
        }
        var summary = new TrainingSummary
        {
            Iterations = run.Iteration,
            Seed = seed,
            Loss = _options.Loss,
            LossHistory = run.LossHistory.ToArray(),
            ValidationHistory = run.Validation.ToArray(),
            ValidationMetric = _options.ValidationMetricName(),
            CalibrationAccuracy = calibrationAccuracy,
            CalibratedOnValidation = validation is not null,
            Impostors = impostors,
            LastCheckpoint = loop.Checkpoints.Last,
            StartValidation = start?.Score,
            IdentityValidation = identityScore,
            ValidationMinimumGain = _options.ValidationMinimumGain,
            WhiteningValidation = whitening?.Tried ?? [],
            WhiteningFoldGains = whitening?.FoldGains ?? [],
            StartWhitening = whitening?.Chosen,
            KeptStart = keptStart,
            FeaturizationTime = prefix?.FeaturizingTime ?? fineTuning?.DecodingTime ?? featurizing,
            BackboneSelection = selection,
        };
        string featureColumn = pairsMode ? "Features" : _options.FeatureColumnName;
        if (prefix is not null) (spec, weights) = prefix.Whole(spec, weights);
        return new SiameseModel(_context, spec, weights, scoring, featureColumn, summary, imageInput);
    }

    /// <summary>The output schema of the model: the input plus an <c>Embedding</c> vector column.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The output schema shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string featureColumn = _options.LeftFeatureColumnName ?? _options.FeatureColumnName;
        if (_options.ImageColumnName is not null && _options.LeftFeatureColumnName is null)
        {
            var image = inputSchema.FirstOrDefault(c => c.Name == _options.ImageColumnName);
            if (image.Name is null)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Siamese trainer: image column '{_options.ImageColumnName}' not found.");
            var images = new ImageInput(_options.ImageColumnName, _options.ResolvePreprocessing(), _options.Backbone, DecodedImageReader.HoldsImages(image));
            return SiameseModel.CreateImageEmbedderEstimator(_context, _options.ImageColumnName, _options.FeatureColumnName, images, FineTuning.Create(_options)?.ImageSize)
                .Append(_context.Transforms.Concatenate(SiameseModel.EmbeddingColumnName, _options.FeatureColumnName)).GetOutputSchema(inputSchema);
        }
        var column = inputSchema.FirstOrDefault(c => c.Name == featureColumn);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Siamese trainer: column '{featureColumn}' not found.");
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Siamese trainer: column '{featureColumn}' must be a vector of Single.");
        // SchemaShape.Column has no public constructor; ML.NET's own Concatenate yields the same shape (a vector of Single).
        return _context.Transforms.Concatenate(SiameseModel.EmbeddingColumnName, featureColumn).GetOutputSchema(inputSchema);
    }

    /// <summary>
    /// The preprocessing of this run: <see cref="SiameseTrainerOptions.ResolvePreprocessing"/>, inverted when
    /// <see cref="SiameseTrainerOptions.AutoInvert"/> finds dark ink on a light background in a sample of the images.
    /// </summary>
    private ImagePreprocessingOptions ResolvePreprocessing(IDataView input, bool decoded)
    {
        var preprocessing = _options.ResolvePreprocessing();
        if (!_options.AutoInvert || _options.Backbone is not null)
            return preprocessing;
        double mean = decoded
            ? DecodedImageReader.MeanPixel(_context, input, new ImageInput(_options.ImageColumnName!, preprocessing, null, Decoded: true), "Siamese trainer")
            : InkPolarity.MeanPixel(_context, TrainingData.ReadPaths(input, _options.ImageColumnName!, preprocessing.ImageFolder, "Siamese trainer"), preprocessing);
        bool invert = InkPolarity.IsLightBackground(mean);
        using var channel = ((IHostEnvironment)_context).Register("SiameseTrainer").Start("Preprocessing");
        channel.Info(MessageSensitivity.None, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Mean pixel of up to {InkPolarity.SampleSize} sampled images {mean:F3}: {(invert ? "light background, inverting" : "dark background, not inverting")}.").Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
        return preprocessing with { Invert = invert };
    }

    /// <summary>The network of an objective that compares by cosine ends in an L2 normalization (added unless it already does).</summary>
    private static NetworkSpec WithObjectiveOutput(NetworkSpec spec, ITrainingObjective objective)
        => objective.NeedsUnitEmbeddings && spec.Layers is not [.., L2NormalizeLayer] ? spec with { Layers = [.. spec.Layers, new L2NormalizeLayer()] } : spec;

    /// <summary>MAP@R of the validation items (each a query against all others), embedded by the run's current network.</summary>
    private static double MapAtR(TrainingRun run, NetworkSpec spec, TrainingData validation)
        => Evaluation.RetrievalMetrics.Compute(run.EmbedAll(validation.Features, validation.Count), spec.EmbeddingDimension, validation.ClassOfItem).MapAtR;

    /// <summary>
    /// The options the training run uses: the given ones, except that episodes (and the P x K batches drawn as episodes are)
    /// draw fewer shots, then fewer queries per class (down to 1 each) when fewer than two classes have enough items, so
    /// that data with small classes (two photos per person) still trains.
    /// </summary>
    private SiameseTrainerOptions RunOptions(ClassTable? classes)
    {
        if (classes is null || _options.Loss is not (SiameseLoss.Prototypical or SiameseLoss.MultiSimilarity or SiameseLoss.SupervisedContrastive))
            return _options;
        // Two photos of each person (faces) still train: fewer shots, then fewer queries, down to one of each.
        int shots = _options.Shots;
        while (shots > 1 && TrainerChecks.EpisodeClasses(_options, classes, shots + 1) < 2)
            shots--;
        int queries = _options.Queries;
        while (queries > 1 && TrainerChecks.EpisodeClasses(_options, classes, shots + queries) < 2)
            queries--;
        if (shots == _options.Shots && queries == _options.Queries)
            return _options;
        var adapted = _options.Clone();
        adapted.Shots = shots;
        adapted.Queries = queries;
        return adapted;
    }
}
