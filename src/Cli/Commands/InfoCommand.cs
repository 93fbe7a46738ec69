using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNet.Siamese.Identification;
using MLNet.Siamese.ModelFiles;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary><c>siamese info</c>: what a model zip is (network, loss, threshold, input columns, gallery), from its metadata.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model();
        var json = CommonOptions.Json();
        var command = new Command("info", "Describe a model zip: network, loss, threshold, input columns and, for an identifier, its gallery.")
            .With(model, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: TrainDefaults.Seed) { TempFilePath = temp.Path };
            string path = parse.GetValue(model)!;
            if (!File.Exists(path))
                throw new CliUsageException($"--model '{path}' does not exist.");
            var info = SiameseModelInfo.Read(ml, path);
            var impostors = ImpostorDistanceProfile.FromMetadata(info.Metadata);
            if (io.Json)
            {
                var metadata = new JsonObject();
                foreach (var (key, value) in info.Metadata.Where(p => p.Key != "mlnet_siamese.network").OrderBy(p => p.Key, StringComparer.Ordinal))
                    metadata[key] = value;
                io.WriteJson(new JsonObject
                {
                    ["model"] = info.Path,
                    ["network"] = info.NetworkName,
                    ["loss"] = info.Loss,
                    ["threshold"] = JsonNumbers.Of(info.Threshold),
                    ["inputColumns"] = new JsonArray(info.InputColumns.Select(c => (JsonNode?)c).ToArray()),
                    ["galleryItems"] = info.GalleryItems,
                    ["heldOutChoice"] = info.HeldOutChoice,
                    ["impostorDistances"] = impostors is null ? null : new JsonObject
                    {
                        ["pairs"] = impostors.Pairs,
                        ["classes"] = impostors.Classes,
                        ["heldOutClasses"] = impostors.HeldOutClasses,
                        ["median"] = JsonNumbers.Of(impostors.Quantile(0.5)),
                    },
                    ["metadata"] = metadata,
                });
                return ExitCodes.Success;
            }
            var table = new Table().AddColumn("Property").AddColumn("Value");
            table.AddRow("Network", Markup.Escape(info.NetworkName ?? "(not an MLNet.Siamese model)"));
            table.AddRow("Loss", Markup.Escape(info.Loss ?? "-"));
            table.AddRow(info.GalleryItems is null ? "Threshold" : "Pair threshold", info.Threshold?.ToString("G4", CultureInfo.InvariantCulture) ?? "-");
            table.AddRow("Input columns", Markup.Escape(string.Join(", ", info.InputColumns)));
            if (info.GalleryItems is { } items)
            {
                table.AddRow("Gallery items", items.ToString(CultureInfo.InvariantCulture));
                // The threshold above scores pairs; an identifier answers "unknown" beyond its own distance.
                if (info.Metadata.TryGetValue("mlnet_siamese.gallery.threshold", out var unknown) && double.TryParse(unknown, NumberStyles.Float, CultureInfo.InvariantCulture, out var distance))
                    table.AddRow("Unknown beyond distance", distance.ToString("G4", CultureInfo.InvariantCulture));
            }
            if (info.HeldOutChoice is { } heldOut)
                table.AddRow("Held-out choice", Markup.Escape(heldOut));
            if (impostors is not null)
            {
                string source = impostors.Classes == 0 ? "dissimilar training pairs"
                    : string.Create(CultureInfo.InvariantCulture, $"{impostors.Classes} {(impostors.HeldOutClasses ? "classes held out of training" : "training classes")}");
                string use = impostors.HeldOutClasses
                    ? "identifiers with too few classes to measure their rate read their unknown threshold from them"
                    : "identifiers read their unknown threshold from them only with --calibration model";
                table.AddRow("Impostor distances", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{impostors.Pairs} pairs of {source}, median {impostors.Quantile(0.5):G4}; {use}")));
            }
            io.Out.WriteLine(info.Path);
            io.WriteTable(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
