using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Index;
using Microsoft.ML;
using Spectre.Console;

namespace MLNet.Siamese.Cli.Commands;

/// <summary><c>siamese search</c>: the k gallery items nearest a query (Euclidean distance between embeddings).</summary>
internal static class SearchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CommonOptions.Model(CommonOptions.AnyEmbeddingModel);
        var gallery = CommonOptions.Data(required: true, "--gallery", "Gallery: image folder, .zip of one, or IDX images file; repeatable.");
        var labelDepth = CommonOptions.LabelDepth();
        var query = new Option<string>("--query") { Description = "Query image file (for IDX models: IDXFILE#index).", Required = true };
        var k = new Option<int>("--k") { Description = "Number of results (default 5).", DefaultValueFactory = _ => 5 };
        var output = new Option<string?>("--out") { Description = "PNG to write: the query then the k results, captioned with their distances." };
        var json = CommonOptions.Json();
        var command = new Command("search", "Find the k gallery items nearest a query image.")
            .With(model, gallery, labelDepth, query, k, output, json);
        command.SetGuardedAction(stderr, (parse, _) =>
        {
            var io = new CliIO(stdout, stderr, parse.GetValue(json));
            int count = parse.GetValue(k);
            CommonOptions.Positive("--k", count);
            using var temp = CliTempFolder.Create();
            var ml = new MLContext(seed: TrainDefaults.Seed) { TempFilePath = temp.Path };
            using var embedder = ItemEmbedder.Open(ml, parse.GetValue(model)!);
            var items = DataSources.Load(parse.GetValue(gallery) ?? [], parse.GetValue(labelDepth), io);
            embedder.CheckCompatible(items, "--gallery");
            ItemSet queryItem = LoadQuery(parse.GetValue(query)!, embedder.Kind);
            embedder.CheckCompatible(queryItem, "--query");

            float[][] galleryEmbeddings = embedder.Embed(items, "--gallery");
            float[] queryEmbedding = embedder.Embed(queryItem, "--query")[0];
            var hits = Nearest(items, galleryEmbeddings, queryEmbedding, count);

            string? tilesPath = parse.GetValue(output);
            if (tilesPath is not null)
            {
                tilesPath = Path.GetFullPath(tilesPath);
                MLNet.Siamese.Files.SafeFileOutput.CheckNotAnInput(tilesPath, "--out", items.Kind == InputKind.Images
                    ? items.Ids.Append(queryItem.Ids[0]).Select(p => (p, "an input image")).Append((parse.GetValue(model)!, "--model"))
                    : [(parse.GetValue(model)!, "--model")]);
                TileImage.Write(tilesPath, queryItem, 0, items, hits);
            }
            if (io.Json)
            {
                var results = new JsonArray();
                foreach (var h in hits)
                    results.Add(new JsonObject { ["path"] = items.Ids[h.Index], ["label"] = items.Labels[h.Index], ["distance"] = JsonNumbers.Of(h.Distance) });
                io.WriteJson(new JsonObject { ["query"] = queryItem.Ids[0], ["results"] = results, ["tiles"] = tilesPath });
                return ExitCodes.Success;
            }
            var table = new Table().AddColumn("#").AddColumn("Path").AddColumn("Label").AddColumn(new TableColumn("Distance").RightAligned());
            for (int r = 0; r < hits.Count; r++)
            {
                var h = hits[r];
                table.AddRow((r + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(items.Ids[h.Index]), Markup.Escape(items.Labels[h.Index]),
                    h.Distance.ToString("F4", CultureInfo.InvariantCulture));
            }
            io.Out.WriteLine($"Nearest {hits.Count} of {items.Count} gallery items to {queryItem.Ids[0]}:");
            io.WriteTable(table);
            if (tilesPath is not null)
                io.Out.WriteLine($"Tiles written to {tilesPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ItemSet LoadQuery(string query, InputKind kind)
    {
        string full = Path.GetFullPath(query);
        if (kind == InputKind.Images)
        {
            if (!File.Exists(full))
                throw new CliUsageException($"--query '{query}' does not exist.");
            return ItemSet.FromImages([NetpbmConversion.DecodablePath(full)], [""], [""], ids: [full]);
        }
        int hash = query.LastIndexOf('#');
        if (hash < 0 || !int.TryParse(query.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new CliUsageException($"--query '{query}': this model takes IDX feature vectors; give IDXFILE#index.");
        var source = DataSources.LoadOne(query[..hash], 1);
        if (source.Kind != InputKind.Features)
            throw new CliUsageException($"--query '{query}': '{query[..hash]}' is not an IDX images file.");
        if (index >= source.Count)
            throw new CliUsageException($"--query '{query}': the file has {source.Count} images (index 0 to {source.Count - 1}).");
        return source.Select([index]);
    }

    /// <summary>The <paramref name="count"/> gallery items nearest the query, by the library's <see cref="SimilarityIndex"/>.</summary>
    private static List<(int Index, float Distance)> Nearest(ItemSet items, float[][] galleryEmbeddings, float[] query, int count)
    {
        var index = new SimilarityIndex(query.Length);
        var position = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            if (!position.TryAdd(items.Ids[i], i))
                throw new CliUsageException($"--gallery holds '{items.Ids[i]}' twice; give each source once.");
            index.Add(items.Ids[i], items.Labels[i], galleryEmbeddings[i]);
        }
        return index.Search(query, count).Select(m => (position[m.Id], m.Distance)).ToList();
    }
}
