using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MLNet.Siamese.Files;

namespace MLNet.Siamese.Cli.Commands;

/// <summary><c>siamese embed</c>: writes one embedding per item as CSV (path,label,e0..eD-1; invariant culture).</summary>
internal static class EmbedCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model(CommonOptions.AnyEmbeddingModel);
        var data = CommonOptions.Data(required: true);
        var labelDepth = CommonOptions.LabelDepth();
        var output = new Option<string>("--out") { Description = "CSV file to write: path,label,e0..eD-1.", Required = true };
        var json = CommonOptions.Json();
        var plot = new Option<string?>("--plot") { Description = "PNG to draw the embeddings on: a 2-D map (principal components above 2-D), coloured by class, thumbnails up to 200 items." };
        var command = new Command("embed", "Embed every item of the data and write the embeddings as CSV.")
            .With(model, data, labelDepth, output, json, plot);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: TrainDefaults.Seed) { TempFilePath = temp.Path };
            string outPath = Path.GetFullPath(parse.GetValue(output)!);
            if (Directory.Exists(outPath))
                throw new CliUsageException($"--out '{outPath}' is a folder; give a file name such as embeddings.csv.");
            SafeFileOutput.CheckNotAnInput(outPath, "--out", (parse.GetValue(data) ?? []).Select(d => (d, "--data")).Append((parse.GetValue(model)!, "--model")));
            using var embedder = ItemEmbedder.Open(ml, parse.GetValue(model)!);
            var items = DataSources.Load(parse.GetValue(data) ?? [], parse.GetValue(labelDepth), io);
            float[][] embeddings = embedder.Embed(items, "--data");
            int dimension = embeddings.Length == 0 ? 0 : embeddings[0].Length;
            Write(outPath, items, embeddings, dimension);
            string? map = parse.GetValue(plot) is { } mapPath ? Plots.EmbeddingMap.Write(mapPath, ml, items, embeddings) : null;
            if (io.Json)
                io.WriteJson(new JsonObject { ["count"] = items.Count, ["dimension"] = dimension, ["output"] = outPath, ["plot"] = map });
            else
                io.Out.WriteLine($"Wrote {items.Count} embeddings of dimension {dimension} to {outPath}" + (map is null ? "" : $"; map drawn to {map}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(string path, ItemSet items, float[][] embeddings, int dimension)
    {
        SafeFileOutput.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            var line = new StringBuilder("path,label");
            for (int d = 0; d < dimension; d++)
                line.Append(",e").Append(d.ToString(CultureInfo.InvariantCulture));
            writer.WriteLine(line.ToString());
            for (int i = 0; i < items.Count; i++)
            {
                line.Clear().Append(Csv.Field(items.Ids[i])).Append(',').Append(Csv.Field(items.Labels[i]));
                foreach (float v in embeddings[i])
                    line.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
                writer.WriteLine(line.ToString());
            }
        });
    }
}

/// <summary>RFC 4180 quoting of one CSV field.</summary>
internal static class Csv
{
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
