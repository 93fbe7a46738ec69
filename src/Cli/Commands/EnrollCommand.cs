using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// <c>siamese enroll</c>: embeds a gallery with a trained model and writes an identifier zip (embedder + gallery, the
/// unknown threshold calibrated for <c>--far</c>). Given an identifier zip as <c>--model</c>, it updates it instead:
/// <c>--gallery</c> adds items, <c>--remove</c> removes ids; the new zip is written atomically.
/// </summary>
internal static class EnrollCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'siamese train', or an identifier zip to update.", Required = true };
        var gallery = CommonOptions.Data(required: false, "--gallery", "Gallery: image folder, .zip of one, or IDX images file; repeatable. With an identifier as --model: items to add.");
        var remove = new Option<string[]>("--remove") { Description = "Ids to remove from an identifier given as --model; repeatable.", Arity = ArgumentArity.OneOrMore };
        var impostors = CommonOptions.Data(required: false, "--impostors", "Images of classes the gallery does not enrol (image folder, .zip of one, or IDX images file; repeatable): more impostor queries for calibrating the unknown threshold.");
        var labelDepth = CommonOptions.LabelDepth();
        var output = new Option<string>("--out") { Description = "Identifier zip to write.", Required = true };
        var far = new Option<double>("--far") { Description = $"Target false-accept rate of the unknown threshold (default {EnrollmentOptions.Defaults.TargetFalseAcceptRate.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => EnrollmentOptions.Defaults.TargetFalseAcceptRate };
        var prototypes = new Option<bool>("--prototypes") { Description = "Compare queries with one prototype (mean embedding) per class instead of every item." };
        var calibration = CommonOptions.Calibration();
        var k = new Option<int>("--k") { Description = $"Neighbours the identifier returns (default {EnrollmentOptions.Defaults.K}, at most the gallery size).", DefaultValueFactory = _ => EnrollmentOptions.Defaults.K };
        var json = CommonOptions.Json();
        var command = new Command("enroll", "Enrol a gallery into an identifier zip (or update one).")
            .With(model, gallery, remove, impostors, labelDepth, output, far, calibration, prototypes, k, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            double rate = parse.GetValue(far);
            if (!(rate >= 0 && rate <= 1))
                throw new CliUsageException($"--far must be between 0 and 1 (got {rate.ToString(CultureInfo.InvariantCulture)}).");
            CommonOptions.Positive("--k", parse.GetValue(k));
            string modelPath = parse.GetValue(model)!;
            if (!File.Exists(modelPath))
                throw new CliUsageException($"--model '{modelPath}' does not exist.");
            string outPath = Path.GetFullPath(parse.GetValue(output)!);
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: TrainDefaults.Seed) { TempFilePath = temp.Path };
            var sources = parse.GetValue(gallery) ?? [];
            var removed = parse.GetValue(remove) ?? [];
            var impostorSources = parse.GetValue(impostors) ?? [];

            bool update = IdentificationModel.IsIdentifierFile(modelPath);
            IdentificationModel identifier;
            if (update)
            {
                identifier = IdentificationModel.Load(ml, modelPath);
                if (impostorSources.Length > 0)
                    throw new CliUsageException("--impostors calibrates a new identifier: give a model written by 'siamese train' as --model.");
                if (parse.GetResult(calibration) is { Implicit: false })
                    throw new CliUsageException("--calibration chooses how a new identifier is calibrated; an updated one keeps its own: give a model written by 'siamese train' as --model.");
                if (sources.Length == 0 && removed.Length == 0)
                    throw new CliUsageException($"--model '{modelPath}' is an identifier: give --gallery to add items or --remove to remove ids.");
                if (removed.Length > 0)
                    identifier = identifier.WithoutItems(removed);
                if (sources.Length > 0)
                    identifier = identifier.WithItems(IdentificationInputs.ToDataView(ml, DataSources.Load(sources, parse.GetValue(labelDepth), io), identifier.Embedder, "--gallery"));
            }
            else
            {
                if (sources.Length == 0)
                    throw new CliUsageException("--gallery is required: give an image folder, a .zip of one, or an IDX images file.");
                if (removed.Length > 0)
                    throw new CliUsageException("--remove needs an identifier zip as --model.");
                var embedder = GalleryEmbedder.FromFile(ml, modelPath);
                var items = DataSources.Load(sources, parse.GetValue(labelDepth), io);
                var unknown = impostorSources.Length == 0 ? null : DataSources.Load(impostorSources, parse.GetValue(labelDepth), io);
                if (unknown?.Labels.Intersect(items.Labels, StringComparer.Ordinal).FirstOrDefault() is { } enrolled)
                    throw new CliUsageException($"--impostors holds class '{enrolled}', which --gallery enrols: impostors must be classes the identifier does not know.");
                io.Info($"Embedding {items.Count} gallery items ({items.ClassCount} classes){(unknown is null ? "" : $" and {unknown.Count} impostors")}...");
                identifier = ml.Siamese().Enroll(embedder, IdentificationInputs.ToDataView(ml, items, embedder, "--gallery"), new EnrollmentOptions
                {
                    Mode = parse.GetValue(prototypes) ? GalleryMode.Prototypes : GalleryMode.Items,
                    K = parse.GetValue(k),
                    TargetFalseAcceptRate = rate,
                    Calibration = CommonOptions.CalibrationOf(parse.GetValue(calibration)!),
                    Impostors = unknown is null ? null : IdentificationInputs.ToDataView(ml, unknown, embedder, "--impostors"),
                });
            }
            string? folder = Path.GetDirectoryName(outPath);
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
            identifier.Save(outPath);

            var inv = CultureInfo.InvariantCulture;
            if (io.Json)
            {
                io.WriteJson(new JsonObject
                {
                    ["output"] = outPath,
                    ["items"] = identifier.Gallery.Count,
                    ["classes"] = identifier.Gallery.ClassCount,
                    ["rows"] = identifier.RowCount,
                    ["mode"] = identifier.Mode.ToString(),
                    ["k"] = identifier.K,
                    ["threshold"] = JsonNumbers.Of(identifier.Threshold),
                    ["calibration"] = identifier.Calibration,
                    ["embedder"] = identifier.Gallery.EmbedderFingerprint,
                    ["updated"] = update,
                });
                return ExitCodes.Success;
            }
            io.Out.WriteLine(string.Create(inv, $"{(update ? "Updated" : "Enrolled")} {identifier.Gallery.Count} items ({identifier.Gallery.ClassCount} classes, mode {identifier.Mode}, k {identifier.K})."));
            io.Out.WriteLine(string.Create(inv, $"Unknown threshold {identifier.Threshold:F4} ({identifier.Calibration})."));
            io.Out.WriteLine($"Embedder {identifier.Gallery.EmbedderFingerprint[..12]}; identifier written to {outPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
