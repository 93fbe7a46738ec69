using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNet.Siamese.Identification;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// <c>siamese identify</c>: answers "who is this?" for each query with an identifier zip: the label (or unknown), the
/// nearest distance and the k nearest gallery items. <c>--json</c> prints
/// <c>{"results": [{"query", "label" (null when unknown), "distance", "neighbors": [{"id", "label", "distance"}]}]}</c>.
/// </summary>
internal static class IdentifyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "Identifier zip written by 'siamese enroll'.", Required = true };
        var query = new Option<string[]>("--query") { Description = "Query: an image, a folder or .zip of images, an IDX images file, or IDXFILE#index; repeatable.", Required = true, Arity = ArgumentArity.OneOrMore };
        var k = new Option<int?>("--k") { Description = "Neighbours to list (default: the identifier's k)." };
        var output = new Option<string?>("--out") { Description = "PNG to write: one row per query (up to 24), its answer and neighbours; unknown answers framed red." };
        var json = CommonOptions.Json();
        var command = new Command("identify", "Identify queries against an enrolled gallery (or say unknown).")
            .With(model, query, k, output, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            string modelPath = parse.GetValue(model)!;
            if (!File.Exists(modelPath))
                throw new CliUsageException($"--model '{modelPath}' does not exist.");
            if (!IdentificationModel.IsIdentifierFile(modelPath))
                throw new CliUsageException($"--model '{modelPath}' is not an identifier zip; make one with 'siamese enroll'.");
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: TrainDefaults.Seed) { TempFilePath = temp.Path };
            var identifier = IdentificationModel.Load(ml, modelPath);
            if (parse.GetValue(k) is int count)
            {
                CommonOptions.Positive("--k", count);
                if (count > identifier.RowCount)
                    throw new CliUsageException($"--k {count} is larger than the gallery ({identifier.RowCount} {(identifier.Mode == GalleryMode.Prototypes ? "classes" : "items")}).");
                identifier = identifier.WithK(count);
            }
            var queries = IdentificationInputs.LoadQueries(parse.GetValue(query) ?? [], identifier.Embedder.TakesImages);
            var results = identifier.Identify(IdentificationInputs.ToDataView(ml, queries, identifier.Embedder, "--query"));

            string? tilesPath = parse.GetValue(output);
            if (tilesPath is not null)
            {
                tilesPath = Path.GetFullPath(tilesPath);
                IdentificationTiles.Write(tilesPath, queries, results);
            }
            if (io.Json)
            {
                var array = new JsonArray();
                for (int q = 0; q < results.Count; q++)
                {
                    var r = results[q];
                    var neighbors = new JsonArray();
                    for (int n = 0; n < r.NeighborIds.Length; n++)
                        neighbors.Add(new JsonObject { ["id"] = r.NeighborIds[n], ["label"] = r.NeighborLabels[n], ["distance"] = JsonNumbers.Of(r.NeighborDistances[n]) });
                    array.Add(new JsonObject { ["query"] = queries.Ids[q], ["label"] = r.IsKnown ? r.PredictedLabel : null, ["distance"] = JsonNumbers.Of(r.Distance), ["neighbors"] = neighbors });
                }
                io.WriteJson(new JsonObject { ["results"] = array });
                return ExitCodes.Success;
            }
            var inv = CultureInfo.InvariantCulture;
            var table = new Table().AddColumn("Query").AddColumn("Answer").AddColumn(new TableColumn("Distance").RightAligned())
                .AddColumn(new TableColumn("Confidence").RightAligned()).AddColumn("Nearest");
            for (int q = 0; q < results.Count; q++)
            {
                var r = results[q];
                table.AddRow(Markup.Escape(queries.Ids[q]), Markup.Escape(r.IsKnown ? r.PredictedLabel : "unknown"), r.Distance.ToString("F4", inv),
                    r.Confidence.ToString("F3", inv), Markup.Escape(string.Join(", ", r.NeighborLabels.Zip(r.NeighborDistances, (l, d) => string.Create(inv, $"{l} {d:F3}")))));
            }
            io.Out.WriteLine(string.Create(inv, $"{results.Count} queries against {identifier.Gallery.Count} gallery items (threshold {identifier.Threshold:F4}):"));
            io.WriteTable(table);
            if (tilesPath is not null)
                io.Out.WriteLine($"Tiles written to {tilesPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
