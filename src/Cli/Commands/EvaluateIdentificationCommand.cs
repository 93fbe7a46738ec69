using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Identification;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// <c>siamese evaluate-identification</c>: the open-set protocol on a labelled folder. Classes are split (seeded) into
/// enrolled and never-enrolled ones; each enrolled class contributes <c>--shots</c> items to the gallery and its other
/// items are known queries; every item of a never-enrolled class is an impostor query. The identifier is calibrated
/// without them (<c>--calibration</c>: the model's impostor distances, or the gallery left out class by class), then reports the false-accept rate it really has on the fresh impostors, DIR at
/// its threshold, DIR@FAR (threshold chosen on these impostors) and closed-set rank-1 / rank-5.
/// </summary>
internal static class EvaluateIdentificationCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data(required: true);
        var labelDepth = CommonOptions.LabelDepth();
        var unknown = new Option<double>("--unknown-fraction") { Description = "Fraction of the classes never enrolled (impostors; default 0.3).", DefaultValueFactory = _ => 0.3 };
        var shots = new Option<int>("--shots") { Description = "Items enrolled per known class (default 1).", DefaultValueFactory = _ => 1 };
        var far = new Option<double>("--far") { Description = "Target false-accept rate (default 0.01).", DefaultValueFactory = _ => EnrollmentOptions.Defaults.TargetFalseAcceptRate };
        var prototypes = new Option<bool>("--prototypes") { Description = "Compare with per-class prototypes instead of every item." };
        var calibration = CommonOptions.Calibration();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("evaluate-identification", "Open-set identification on a labelled folder: DIR@FAR, rank-1, rank-5, FAR on never-enrolled classes.")
            .With(model, data, labelDepth, unknown, shots, far, calibration, prototypes, seed, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            double fraction = parse.GetValue(unknown), rate = parse.GetValue(far);
            if (!(fraction > 0 && fraction < 1))
                throw new CliUsageException($"--unknown-fraction must be between 0 and 1, exclusive (got {fraction.ToString(CultureInfo.InvariantCulture)}).");
            if (!(rate >= 0 && rate <= 1))
                throw new CliUsageException($"--far must be between 0 and 1 (got {rate.ToString(CultureInfo.InvariantCulture)}).");
            CommonOptions.Positive("--shots", parse.GetValue(shots));
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: parse.GetValue(seed)) { TempFilePath = temp.Path };
            string modelPath = parse.GetValue(model)!;
            if (!File.Exists(modelPath))
                throw new CliUsageException($"--model '{modelPath}' does not exist.");
            var embedder = GalleryEmbedder.FromFile(ml, modelPath);
            var items = DataSources.Load(parse.GetValue(data) ?? [], parse.GetValue(labelDepth), io);
            var split = OpenSetSplit.Make(items.Labels, fraction, parse.GetValue(shots), parse.GetValue(seed));
            if (split.Gallery.Count == 0 || split.Impostors.Count == 0)
                throw new CliUsageException($"--data has {items.ClassCount} classes: too few to keep both enrolled and never-enrolled ones.");
            var gallery = items.Select(split.Gallery);
            int rows = parse.GetValue(prototypes) ? gallery.ClassCount : gallery.Count;
            io.Info($"Enrolling {gallery.Count} items of {gallery.ClassCount} classes; {split.Known.Count} known and {split.Impostors.Count} impostor queries...");
            var identifier = ml.Siamese().Enroll(embedder, IdentificationInputs.ToDataView(ml, gallery, embedder, "--data"), new EnrollmentOptions
            {
                Mode = parse.GetValue(prototypes) ? GalleryMode.Prototypes : GalleryMode.Items,
                K = Math.Min(5, rows),
                TargetFalseAcceptRate = rate,
                Calibration = CommonOptions.CalibrationOf(parse.GetValue(calibration)!),
            });
            var queryIndices = split.Known.Concat(split.Impostors).ToList();
            var queries = items.Select(queryIndices);
            var results = identifier.Identify(IdentificationInputs.ToDataView(ml, queries, embedder, "--data"));
            var enrolled = new HashSet<string>(gallery.Labels, StringComparer.Ordinal);
            var outcomes = results.Select((r, i) => new IdentificationOutcome(queries.Labels[i], enrolled.Contains(queries.Labels[i]), r.NeighborLabels, r.Distance)).ToList();
            var calibrated = OpenSetIdentificationMetrics.AtThreshold(outcomes, identifier.Threshold);
            var atFar = OpenSetIdentificationMetrics.Compute(outcomes, rate);

            var inv = CultureInfo.InvariantCulture;
            if (io.Json)
            {
                io.WriteJson(new JsonObject
                {
                    ["galleryItems"] = gallery.Count,
                    ["enrolledClasses"] = gallery.ClassCount,
                    ["knownQueries"] = calibrated.EnrolledQueryCount,
                    ["impostorQueries"] = calibrated.ImpostorQueryCount,
                    ["targetFar"] = rate,
                    ["threshold"] = JsonNumbers.Of(identifier.Threshold),
                    ["far"] = JsonNumbers.Of(calibrated.FalseAcceptRate),
                    ["dir"] = JsonNumbers.Of(calibrated.DetectionAndIdentificationRate),
                    ["dirAtFar"] = JsonNumbers.Of(atFar.DetectionAndIdentificationRate),
                    ["rank1"] = JsonNumbers.Of(calibrated.Rank1),
                    ["rank5"] = JsonNumbers.Of(calibrated.Rank5),
                    ["mode"] = identifier.Mode.ToString(),
                    ["calibration"] = identifier.Calibration,
                });
                return ExitCodes.Success;
            }
            var table = new Table().AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
            table.AddRow("Gallery items / enrolled classes", string.Create(inv, $"{gallery.Count} / {gallery.ClassCount}"));
            table.AddRow("Known / impostor queries", string.Create(inv, $"{calibrated.EnrolledQueryCount} / {calibrated.ImpostorQueryCount}"));
            table.AddRow("Calibrated threshold", identifier.Threshold.ToString("F4", inv));
            table.AddRow(Markup.Escape($"FAR on never-enrolled classes (target {rate.ToString(inv)})"), calibrated.FalseAcceptRate.ToString("P2", inv));
            table.AddRow("DIR at the calibrated threshold", calibrated.DetectionAndIdentificationRate.ToString("P2", inv));
            table.AddRow(Markup.Escape($"DIR@FAR {rate.ToString(inv)} (threshold on these impostors)"), atFar.DetectionAndIdentificationRate.ToString("P2", inv));
            table.AddRow("Closed-set rank-1", calibrated.Rank1.ToString("P2", inv));
            table.AddRow("Closed-set rank-5", calibrated.Rank5.ToString("P2", inv));
            io.WriteTable(table);
            io.Out.WriteLine($"Threshold: {identifier.Calibration}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
