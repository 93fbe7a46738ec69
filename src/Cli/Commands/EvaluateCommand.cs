using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Siamese.Evaluation;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary><c>siamese evaluate</c>: pair metrics of a model on balanced random pairs drawn from labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data(required: true);
        var labelDepth = CommonOptions.LabelDepth();
        var pairs = new Option<int>("--pairs") { Description = "Number of pairs, half same-class and half different (default 1000).", DefaultValueFactory = _ => 1000 };
        var seed = CommonOptions.Seed();
        var withinGroup = CommonOptions.WithinGroup("Different-class pairs come from one group (e.g. the same alphabet with --label-depth 2).");
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Pair metrics (accuracy, best-threshold accuracy, AUC, EER, precision, recall, F1) on balanced random pairs.")
            .With(model, data, labelDepth, pairs, seed, withinGroup, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            return Execute(io, parse.GetValue(model)!, parse.GetValue(data) ?? [], parse.GetValue(labelDepth), parse.GetValue(pairs), parse.GetValue(seed), parse.GetValue(withinGroup));
        });
        return command;
    }

    private static int Execute(CliIO io, string modelPath, string[] dataPaths, int labelDepth, int pairCount, int seed, bool withinGroup)
    {
        CommonOptions.Positive("--pairs", pairCount);
        using var temp = CliTempFolder.Create();
        var ml = new MLContext(seed: seed) { TempFilePath = temp.Path };
        using var model = ModelFile.Load(ml, modelPath);
        var items = DataSources.Load(dataPaths, labelDepth);
        model.CheckCompatible(items, "--data");
        ModelFile.CheckImages(items);

        IDataView view = items.ToDataView(ml);
        string column = items.Kind == InputKind.Images ? ItemSet.ImagePathColumn : ItemSet.FeaturesColumn;
        IDataView pairs = ml.Siamese().GeneratePairs(ItemSet.LabelColumn, [column], pairCount, 0.5, seed,
                withinGroup ? ItemSet.GroupColumn : null, withinGroup)
            .Fit(view).Transform(view);
        PairMetrics metrics = ml.Siamese().Evaluate(model.Scorer.Transform(pairs));

        if (io.Json)
        {
            io.WriteJson(new JsonObject
            {
                ["model"] = model.Path,
                ["pairs"] = metrics.Count,
                ["samePairs"] = metrics.PositiveCount,
                ["differentPairs"] = metrics.NegativeCount,
                ["withinGroup"] = withinGroup,
                ["seed"] = seed,
                ["accuracy"] = JsonNumbers.Of(metrics.Accuracy),
                ["bestThreshold"] = JsonNumbers.Of(metrics.BestThreshold),
                ["bestThresholdAccuracy"] = JsonNumbers.Of(metrics.BestThresholdAccuracy),
                ["auc"] = JsonNumbers.Of(metrics.AreaUnderRocCurve),
                ["eer"] = JsonNumbers.Of(metrics.EqualErrorRate),
                ["precision"] = JsonNumbers.Of(metrics.Precision),
                ["recall"] = JsonNumbers.Of(metrics.Recall),
                ["f1"] = JsonNumbers.Of(metrics.F1Score),
            });
            return ExitCodes.Success;
        }
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        var table = new Table().AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("Pairs (same / different)", $"{metrics.Count} ({metrics.PositiveCount} / {metrics.NegativeCount})");
        table.AddRow("Accuracy at the model threshold", F(metrics.Accuracy));
        table.AddRow("Best threshold", metrics.BestThreshold.ToString("G4", CultureInfo.InvariantCulture));
        table.AddRow("Best-threshold accuracy", F(metrics.BestThresholdAccuracy));
        table.AddRow("AUC", F(metrics.AreaUnderRocCurve));
        table.AddRow("EER", F(metrics.EqualErrorRate));
        table.AddRow("Precision", F(metrics.Precision));
        table.AddRow("Recall", F(metrics.Recall));
        table.AddRow("F1", F(metrics.F1Score));
        io.Out.WriteLine($"{Path.GetFileName(model.Path)} on {pairCount} {(withinGroup ? "within-group " : "")}pairs (seed {seed}):");
        io.WriteTable(table);
        return ExitCodes.Success;
    }
}
