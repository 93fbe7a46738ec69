using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.ModelFiles;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// <c>siamese evaluate</c>: pair metrics of a model on balanced random pairs drawn from labelled data, and retrieval
/// metrics (P@1, R-precision, MAP@R) of its embeddings. A pair scorer scores the pairs; an embedder or an identifier,
/// which have no pair head, by the Euclidean distance of the pair's embeddings, at the best threshold.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data(required: false, description: "Image folder, .zip of one, or IDX images file (labels file beside it); repeat to concatenate sources. Pairs are drawn from it (or give --pairs-file).");
        var pairsFile = new Option<string?>("--pairs-file") { Description = "Score a fixed list of labelled pairs instead of drawing them from --data: one pair a line, 'left,right,label' or tab-separated, paths relative to the file's folder, label 1/0, true/false or same/different (verification lists such as LFW's pairs)." };
        var labelDepth = CommonOptions.LabelDepth();
        var pairs = new Option<int>("--pairs") { Description = "Number of pairs, half same-class and half different (default 1000).", DefaultValueFactory = _ => 1000 };
        var seed = CommonOptions.Seed();
        var withinGroup = CommonOptions.WithinGroup("Different-class pairs come from one group (e.g. the same alphabet with --label-depth 2).");
        var json = CommonOptions.Json();
        var plots = new Option<string?>("--plots") { Description = "Folder to write roc.png (ROC with the model's operating point) and scores.png (same- vs different-class score histograms with the threshold)." };
        var command = new Command("evaluate", "Pair metrics (accuracy, best-threshold accuracy, AUC, EER, precision, recall, F1) on balanced random pairs, and retrieval metrics (P@1, R-precision, MAP@R); also for embedder zips and identifiers.")
            .With(model, data, pairsFile, labelDepth, pairs, seed, withinGroup, json, plots);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            string[] dataPaths = parse.GetValue(data) ?? [];
            if (parse.GetValue(pairsFile) is { } listed)
            {
                if (dataPaths.Length > 0)
                    throw new CliUsageException("Give --data (pairs drawn from it) or --pairs-file (the pairs it lists), not both.");
                if (parse.GetValue(withinGroup))
                    throw new CliUsageException("--within-group draws pairs from --data; --pairs-file lists its own.");
                return ListedPairsEvaluation.Execute(io, parse.GetValue(model)!, listed, parse.GetValue(plots));
            }
            if (dataPaths.Length == 0)
                throw new CliUsageException("Give --data (pairs are drawn from it) or --pairs-file.");
            return Execute(io, parse.GetValue(model)!, dataPaths, parse.GetValue(labelDepth), parse.GetValue(pairs), parse.GetValue(seed), parse.GetValue(withinGroup), parse.GetValue(plots));
        });
        return command;
    }

    private static int Execute(CliIO io, string modelPath, string[] dataPaths, int labelDepth, int pairCount, int seed, bool withinGroup, string? plotFolder)
    {
        CommonOptions.Positive("--pairs", pairCount);
        string? plotsAt = plotFolder is null ? null : Plots.PlotFiles.Folder(plotFolder, "--plots");
        using var temp = CliTempFolder.Create();
        var ml = new MLContext(seed: seed) { TempFilePath = temp.Path };
        using var model = ItemEmbedder.Open(ml, modelPath);
        var items = DataSources.Load(dataPaths, labelDepth, io);
        model.CheckCompatible(items, "--data");
        ModelFile.CheckImages(items);
        if (withinGroup && !items.HasGroupWithTwoClasses())
            throw new CliUsageException("--within-group needs a group with two classes in --data (use --label-depth 2 for alphabet/character folders).");

        PairMetrics metrics;
        string[]? pictures = null;
        RetrievalMetrics retrieval;
        var rows = EmbeddingEvaluation.RetrievalRows(items, seed);
        if (model.PairScorer is { } scorer)
        {
            (metrics, pictures) = ScorePairs(ml, scorer, items, pairCount, seed, withinGroup, plotsAt, modelPath);
            retrieval = EmbeddingEvaluation.Retrieval(model.Embed(items.Select(rows), "--data"), items, rows);
        }
        else
        {
            if (plotsAt is not null)
                throw new CliUsageException($"--plots draws a pair scorer's scores and threshold; '{modelPath}' is an embedder or an identifier, which has neither.");
            var embeddings = model.Embed(items, "--data");   // every item: the pairs draw from all of them
            metrics = EmbeddingEvaluation.Pairs(embeddings, items, pairCount, seed, withinGroup);
            retrieval = EmbeddingEvaluation.Retrieval(rows.Select(r => embeddings[r]).ToArray(), items, rows);
        }
        bool hasThreshold = model.PairScorer is not null;
        string title = $"{Path.GetFileName(model.Path)} on {pairCount} {(withinGroup ? "within-group " : "")}pairs (seed {seed}){(hasThreshold ? "" : ", scored by the Euclidean distance of their embeddings")}:";
        return Report(io, model.Path, metrics, hasThreshold, retrieval, pictures, title, [("withinGroup", withinGroup), ("seed", seed)]);
    }

    /// <summary>
    /// Prints the pair metrics (and the retrieval metrics, when the items had classes) as a table, or as one JSON object
    /// carrying the properties of <paramref name="source"/> (where the pairs came from) after the pair counts.
    /// </summary>
    internal static int Report(CliIO io, string modelPath, PairMetrics metrics, bool hasThreshold, RetrievalMetrics? retrieval, string[]? pictures, string title,
        IReadOnlyList<(string Key, JsonNode? Value)> source)
    {
        if (io.Json)
        {
            var json = new JsonObject
            {
                ["model"] = modelPath,
                ["pairs"] = metrics.Count,
                ["samePairs"] = metrics.PositiveCount,
                ["differentPairs"] = metrics.NegativeCount,
            };
            foreach (var (key, value) in source)
                json[key] = value;
            json["accuracy"] = hasThreshold ? JsonNumbers.Of(metrics.Accuracy) : null;
            json["bestThreshold"] = JsonNumbers.Of(metrics.BestThreshold);
            json["bestThresholdAccuracy"] = JsonNumbers.Of(metrics.BestThresholdAccuracy);
            json["auc"] = JsonNumbers.Of(metrics.AreaUnderRocCurve);
            json["eer"] = JsonNumbers.Of(metrics.EqualErrorRate);
            json["precision"] = hasThreshold ? JsonNumbers.Of(metrics.Precision) : null;
            json["recall"] = hasThreshold ? JsonNumbers.Of(metrics.Recall) : null;
            json["f1"] = hasThreshold ? JsonNumbers.Of(metrics.F1Score) : null;
            json["retrieval"] = retrieval is null ? null : new JsonObject
            {
                ["queries"] = retrieval.QueryCount,
                ["precisionAt1"] = JsonNumbers.Of(retrieval.PrecisionAt1),
                ["rPrecision"] = JsonNumbers.Of(retrieval.RPrecision),
                ["mapAtR"] = JsonNumbers.Of(retrieval.MapAtR),
            };
            json["plots"] = pictures is null ? null : new JsonObject { ["roc"] = pictures[0], ["scores"] = pictures[1] };
            io.WriteJson(json);
            return ExitCodes.Success;
        }
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        var table = new Table().AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("Pairs (same / different)", $"{metrics.Count} ({metrics.PositiveCount} / {metrics.NegativeCount})");
        table.AddRow("Accuracy at the model threshold", hasThreshold ? F(metrics.Accuracy) : "none (an embedder or identifier scores no pairs)");
        table.AddRow(hasThreshold ? "Best threshold" : "Best distance threshold", metrics.BestThreshold.ToString("G4", CultureInfo.InvariantCulture));
        table.AddRow("Best-threshold accuracy", F(metrics.BestThresholdAccuracy));
        table.AddRow("AUC", F(metrics.AreaUnderRocCurve));
        table.AddRow("EER", F(metrics.EqualErrorRate));
        if (hasThreshold)
        {
            table.AddRow("Precision", F(metrics.Precision));
            table.AddRow("Recall", F(metrics.Recall));
            table.AddRow("F1", F(metrics.F1Score));
        }
        if (retrieval is not null)
        {
            table.AddRow($"Retrieval P@1 ({retrieval.QueryCount} queries, Euclidean)", F(retrieval.PrecisionAt1));
            table.AddRow("Retrieval R-precision", F(retrieval.RPrecision));
            table.AddRow("Retrieval MAP@R", F(retrieval.MapAtR));
        }
        io.Out.WriteLine(title);
        io.WriteTable(table);
        if (pictures is not null)
            io.Out.WriteLine($"Plots written: {string.Join(", ", pictures)}");
        return ExitCodes.Success;
    }

    /// <summary>Pair metrics through the zip's pair scorer, and its pictures when asked.</summary>
    private static (PairMetrics Metrics, string[]? Pictures) ScorePairs(MLContext ml, ModelFile model, ItemSet items, int pairCount, int seed, bool withinGroup, string? plotsAt, string modelPath)
    {
        IDataView view = items.ToDataView(ml);
        string column = items.Kind == InputKind.Images ? ItemSet.ImagePathColumn : ItemSet.FeaturesColumn;
        IDataView pairs = ml.Siamese().GeneratePairs(ItemSet.LabelColumn, [column], pairCount, 0.5, seed,
                withinGroup ? ItemSet.GroupColumn : null, withinGroup)
            .Fit(view).Transform(view);
        return ScoreView(ml, model, pairs, plotsAt, modelPath);
    }

    /// <summary>
    /// Pair metrics of a view of pairs (<c>Label</c>, and the pair scorer's two input columns) through the zip's pair
    /// scorer, and its pictures when asked.
    /// </summary>
    internal static (PairMetrics Metrics, string[]? Pictures) ScoreView(MLContext ml, ModelFile model, IDataView pairs, string? plotsAt, string modelPath)
    {
        IDataView scored = model.Scorer.Transform(pairs);
        PairMetrics metrics = ml.Siamese().Evaluate(scored);
        if (plotsAt is null)
            return (metrics, null);
        // The pictures need every pair's score and decision; the pair scorer's ONNX outputs are length-1 vectors.
        var rows = ml.Data.CreateEnumerable<ScoredPair>(scored, reuseRowObject: false).ToList();
        var pictures = Plots.EvaluationPlots.Write(plotsAt, rows.Select(r => r.Score.Length > 0 ? r.Score[0] : float.NaN).ToArray(),
            rows.Select(r => r.Label).ToArray(), rows.Select(r => r.PredictedLabel.Length > 0 && r.PredictedLabel[0]).ToArray(), metrics,
            RecordedThreshold(modelPath)).ToArray();
        return (metrics, pictures);
    }

    private sealed class ScoredPair
    {
        public bool Label { get; set; }
        public float[] Score { get; set; } = [];
        public bool[] PredictedLabel { get; set; } = [];
    }

    /// <summary>The threshold the zip records (its exact value, for the picture), or null for a zip without it.</summary>
    private static double? RecordedThreshold(string modelPath) => SiameseModelInfo.ThresholdIn(SiameseModelInfo.ReadMetadata(modelPath));
}
