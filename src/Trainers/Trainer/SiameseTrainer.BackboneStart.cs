using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// How a run on a pretrained backbone starts: which of the backbone's features the head trains on
/// (<see cref="SiameseTrainerOptions.SelectBackboneFeatures"/>) and whether the head starts as the identity or as a
/// whitening of the features (<see cref="SiameseTrainerOptions.HeadWhiteningPowers"/>, <see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>); both are decided on the training
/// data before the first step.
/// </summary>
public sealed partial class SiameseTrainer
{
    /// <summary>Measures the backbone's candidate features on the training classes, then trains on the chosen ones.</summary>
    private SiameseModel TrainOnChosenBackboneFeatures(IDataView input)
    {
        TrainerChecks.Validate(_options);
        var (paths, labels, _) = TrainingData.ReadLabelledPaths(input, _options.ImageColumnName!, _options.LabelColumnName, null, _options.Preprocessing?.ImageFolder, "Siamese trainer");
        if (!BackboneFeatureSelection.CanMeasure(labels))
            return Train(input, null);   // too few classes to compare features: training refuses the data with its own message
        var selection = BackboneFeatureSelection.Select(_context, _options.Backbone!, paths, labels, _options.Seed ?? 0, measureMirror: _options.SelectMirrorViews && !_options.MirrorViews);
        var chosen = selection.Chosen;
        using (var channel = ((IHostEnvironment)_context).Register("SiameseTrainer").Start("Backbone"))
            channel.Info(MessageSensitivity.None, $"Backbone features: {selection}.");
        var options = _options.Clone();
        options.SelectBackboneFeatures = false;
        options.SelectMirrorViews = false;
        options.MirrorViews |= selection.Mirror;
        if (chosen != selection.Candidates[0])
        {
            options.Backbone = _options.Backbone!.UpToStage(chosen.Stages);
            options.Network = options.Backbone.Head();
            options.Geometry = ImageGeometry.Square(chosen.ImageSize, channels: 3);
        }
        return new SiameseTrainer(_context, options).Train(input, selection);
    }

    /// <summary>
    /// Whether <see cref="SiameseTrainerOptions.SelectBackboneFeatures"/> applies: the whole backbone, frozen, at its own
    /// size, its identity head, single items read from a column of paths. Not before fine-tuning: on Omniglot the chosen
    /// cut trunk fine-tuned measured 2.5 points of MAP@R below the whole trunk fine-tuned at 224 px (docs/photos.md).
    /// </summary>
    private bool SelectsBackboneFeatures(IDataView input)
        => _options is { SelectBackboneFeatures: true, Backbone: { } backbone, FineTuneStages: 0, ImageColumnName: { } image, LeftFeatureColumnName: null, RightFeatureColumnName: null }
            && backbone.IsFeaturizerOutput(_options.ResolveGeometry().Height)
            && (_options.Network is null || SameLayers(_options.Network, backbone.Head()))
            && !DecodedImageReader.HoldsImages(input, image);

    private static bool SameLayers(NetworkSpec a, NetworkSpec b) => a.InputSize == b.InputSize && a.Layers.SequenceEqual(b.Layers);

    /// <summary>
    /// <see cref="SiameseTrainerOptions.HeadWhiteningPowers"/> and <see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>:
    /// scores the head whitened with each on the held-out classes (and, with
    /// <see cref="SiameseTrainerOptions.WhiteningCrossValidationFolds"/>, on folds of the training part's classes) and,
    /// makes the best of those that pass the start (else the identity is put back): with folds, gains positive with 95 %
    /// confidence; without (or under four classes), a held-out gain above the minimum gain.
    /// Null when the network's head is not the backbone's identity head, no power is given, or the run resumes from a
    /// checkpoint.
    /// </summary>
    private (IReadOnlyList<KeyValuePair<WhitenedStart, double>> Tried, IReadOnlyList<KeyValuePair<WhitenedStart, IReadOnlyList<double>>> FoldGains, WhitenedStart? Chosen)? ChooseWhitenedStart(TrainingRun run, NetworkSpec spec, float[] features, int itemCount,
        IReadOnlyList<int> classOfItem, Func<double> validate, ref StartingPoint start)
    {
        int linear = HeadWhitening.LinearLayerOf(spec);
        var candidates = (_options.HeadWhiteningPowers ?? []).Select(p => new WhitenedStart(WhiteningKind.Pca, p))
            .Concat((classOfItem.Count == itemCount ? _options.HeadWithinClassWhiteningPowers ?? [] : []).Select(p => new WhitenedStart(WhiteningKind.WithinClass, p))).ToList();   // within-class needs each item's class
        if (candidates.Count == 0 || linear < 0 || itemCount < 2 || run.Iteration > 0)
            return null;   // a resumed run goes on from its checkpoint's weights
        int dimension = spec.EmbeddingDimension;
        var unit = run.EmbedAll(features, itemCount);   // the identity head gives the L2-normalised features
        var tried = new List<KeyValuePair<WhitenedStart, double>>();
        var fitted = new List<(WhitenedStart Start, Dictionary<string, WeightTensor> Weights, double Score)>();
        foreach (var candidate in candidates)
        {
            var weights = candidate.Kind == WhiteningKind.Pca
                ? HeadWhitening.Fit(unit, itemCount, dimension, candidate.Power, linear)
                : HeadWhitening.FitWithinClass(unit, classOfItem, itemCount, dimension, candidate.Power, linear);
            if (weights is null)
                continue;   // no class with two different items: nothing within a class to whiten
            run.Network.LoadWeights(weights);
            double score = validate();
            tried.Add(new(candidate, score));
            fitted.Add((candidate, weights, score));
        }
        var foldGains = _options.WhiteningCrossValidationFolds > 0 && fitted.Count > 0
            ? WhiteningCrossValidation.FoldGains(unit, classOfItem, itemCount, dimension, fitted.Select(f => f.Start).ToList(), _options.WhiteningCrossValidationFolds, run.Seed + 3)
            : null;
        var folds = foldGains is null ? [] : fitted.Select((f, i) => new KeyValuePair<WhitenedStart, IReadOnlyList<double>>(f.Start, foldGains[i])).ToList();
        // Each start's gains over the identity: on the folds and the held-out classes, or on the held-out classes alone.
        double identity = start.Score;
        var gains = fitted.Select((f, i) => (foldGains?[i].Where(double.IsFinite) ?? []).Append(f.Score - identity).ToList()).ToList();
        var passing = Enumerable.Range(0, gains.Count)
            .Where(i => foldGains is null ? gains[i][0] > _options.ValidationMinimumGain : WhiteningCrossValidation.SurelyPositive(gains[i])).ToList();
        int best = passing.Count == 0 ? -1 : passing.MaxBy(i => gains[i].Average());
        if (best >= 0)
        {
            run.Network.LoadWeights(fitted[best].Weights);
            start.Dispose();
            start = StartingPoint.Capture(run.Network, fitted[best].Score);
            return (tried, folds, fitted[best].Start);
        }
        start.Restore();
        return (tried, folds, null);
    }
}
