using MLNet.Siamese.Evaluation;
using Microsoft.ML;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// <c>siamese evaluate --pairs-file</c>: pair metrics on a fixed list of labelled pairs (<see cref="PairsFile"/>). A pair
/// scorer scores each listed pair through the zip, with its own threshold; an embedder or an identifier embeds each
/// listed image once and scores a pair by the Euclidean distance of its two embeddings. The items have no classes, so
/// there are no retrieval metrics.
/// </summary>
internal static class ListedPairsEvaluation
{
    /// <summary>Evaluates the model of <paramref name="modelPath"/> on the pairs <paramref name="pairsPath"/> lists.</summary>
    public static int Execute(CliIO io, string modelPath, string pairsPath, string? plotFolder)
    {
        const string option = "--pairs-file";
        string? plotsAt = plotFolder is null ? null : Plots.PlotFiles.Folder(plotFolder, "--plots");
        var listed = PairsFile.Read(pairsPath, option);
        using var temp = CliTempFolder.Create();
        var ml = new MLContext(seed: 1) { TempFilePath = temp.Path };
        using var model = ItemEmbedder.Open(ml, modelPath);
        if (model.Kind != InputKind.Images)
            throw new CliUsageException($"{option} lists image files; '{modelPath}' takes IDX feature vectors.");
        var (items, rows) = PairsFile.Items(listed);
        model.CheckCompatible(items, option);
        ModelFile.CheckImages(items);

        PairMetrics metrics;
        string[]? pictures = null;
        if (model.PairScorer is { } scorer)
        {
            var view = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new ListedPairRow
            {
                LeftImagePath = items.Paths[r.Left],
                RightImagePath = items.Paths[r.Right],
                Label = listed[i].Same,
            }));
            (metrics, pictures) = EvaluateCommand.ScoreView(ml, scorer, view, plotsAt, modelPath);
        }
        else
        {
            if (plotsAt is not null)
                throw new CliUsageException($"--plots draws a pair scorer's scores and threshold; '{modelPath}' is an embedder or an identifier, which has neither.");
            var embeddings = model.Embed(items, option);
            var distances = rows.Select(r => System.Numerics.Tensors.TensorPrimitives.Distance(embeddings[r.Left], embeddings[r.Right])).ToArray();
            metrics = PairMetrics.Compute(distances, listed.Select(p => p.Same).ToArray(), higherScoreIsSimilar: false);
        }
        bool hasThreshold = model.PairScorer is not null;
        string title = $"{Path.GetFileName(model.Path)} on the {PairsFile.Describe(listed)} of {Path.GetFileName(pairsPath)} ({items.Count} images){(hasThreshold ? "" : ", scored by the Euclidean distance of their embeddings")}:";
        return EvaluateCommand.Report(io, model.Path, metrics, hasThreshold, retrieval: null, pictures, title,
            [("pairsFile", Path.GetFullPath(pairsPath)), ("images", items.Count)]);
    }

    private sealed class ListedPairRow
    {
        public string LeftImagePath { get; set; } = "";
        public string RightImagePath { get; set; } = "";
        public bool Label { get; set; }
    }
}
