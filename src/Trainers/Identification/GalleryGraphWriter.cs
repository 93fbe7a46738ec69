using System.Globalization;
using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Identification;

/// <summary>
/// Writes the gallery head as an ONNX model: embeddings (N, D) in, the k nearest gallery rows out. The gallery rows
/// (items, or per-class prototypes), their ids and labels are constants of the graph. Squared distances are
/// |q|^2 - 2 q.g + |g|^2 (one MatMul against the transposed gallery), clamped at 0; <c>TopK</c> (smallest) picks the
/// neighbours; the answer is the first neighbour's label when its distance is at most the threshold, else the unknown
/// label. Confidence is 1 - the fraction of calibration impostor distances at or below the query's distance.
/// </summary>
/// <remarks>
/// The item-level gallery (ids, labels, embeddings) is stored in the model too, so a saved identifier can be read back
/// and updated: in <see cref="GalleryMode.Items"/> the rows are the items; in <see cref="GalleryMode.Prototypes"/> the
/// items are extra initializers (<c>gallery/item_*</c>) that ONNX Runtime drops when it loads the graph.
/// </remarks>
internal static class GalleryGraphWriter
{
    public const string RowsTransposed = "gallery/rows_t";
    public const string RowIds = "gallery/row_ids";
    public const string RowLabels = "gallery/row_labels";
    public const string ItemEmbeddings = "gallery/item_embeddings";
    public const string ItemIds = "gallery/item_ids";
    public const string ItemLabels = "gallery/item_labels";
    public const string ImpostorDistances = "gallery/impostor_distances";

    public const string MetaCount = "mlnet_siamese.gallery.items";
    public const string MetaRows = "mlnet_siamese.gallery.rows";
    public const string MetaEmbedder = "mlnet_siamese.gallery.embedder_sha256";
    public const string MetaMode = "mlnet_siamese.gallery.mode";
    public const string MetaThreshold = "mlnet_siamese.gallery.threshold";
    public const string MetaK = "mlnet_siamese.gallery.k";
    public const string MetaUnknown = "mlnet_siamese.gallery.unknown_label";
    public const string MetaCalibration = "mlnet_siamese.gallery.calibration";
    public const string MetaRule = "mlnet_siamese.gallery.rule";
    public const string MetaEmbeddingColumn = "mlnet_siamese.gallery.embedding_column";

    /// <summary>Writes the gallery model.</summary>
    /// <param name="gallery">The enrolled items.</param>
    /// <param name="rows">The rows searched: the items, or one prototype per class.</param>
    /// <param name="settings">k, threshold, unknown label, mode, calibration.</param>
    /// <param name="embeddingColumn">The input tensor (and ML.NET column) of embeddings.</param>
    /// <returns>ONNX model bytes.</returns>
    public static byte[] Write(IdentificationGallery gallery, GalleryRows rows, IdentifierSettings settings, string embeddingColumn)
    {
        int d = gallery.Dimension, r = rows.Count;
        if (settings.K < 1 || settings.K > r)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.K, $"k = {settings.K} but the gallery has {r} {(settings.Mode == GalleryMode.Prototypes ? "classes" : "items")}; k must be between 1 and {r}.");
        var graph = new OnnxGraphBuilder();
        graph.Input(OnnxProto.TensorValueInfo(embeddingColumn, OnnxProto.DataType.Float, null, d));

        var transposed = new float[d * r];
        var norms = new float[r];
        for (int i = 0; i < r; i++)
        {
            var row = rows.Embeddings.AsSpan(i * d, d);
            for (int j = 0; j < d; j++) transposed[j * r + i] = row[j];
            norms[i] = System.Numerics.Tensors.TensorPrimitives.Dot(row, row);
        }
        string galleryT = graph.FloatInitializer(RowsTransposed, new long[] { d, r }, transposed);
        string galleryNorms = graph.FloatInitializer("gallery/row_norms", new long[] { r }, norms);
        string ids = graph.StringInitializer(RowIds, new long[] { r }, rows.Ids);
        string labels = graph.StringInitializer(RowLabels, new long[] { r }, rows.Labels);
        string answers = graph.StringInitializer("gallery/answers", new long[] { r + 1 }, rows.Labels.Append(settings.UnknownLabel).ToArray());
        if (settings.Mode == GalleryMode.Prototypes)
        {
            graph.FloatInitializer(ItemEmbeddings, new long[] { gallery.Count, d }, gallery.EmbeddingsCopy());
            graph.StringInitializer(ItemIds, new long[] { gallery.Count }, gallery.Ids);
            graph.StringInitializer(ItemLabels, new long[] { gallery.Count }, gallery.Labels);
        }

        string queryNorms = graph.Node("ReduceSumSquare", "gallery/query_norms", new[] { embeddingColumn },
            OnnxProto.IntsAttribute("axes", 1), OnnxProto.IntAttribute("keepdims", 1));
        string dot = graph.Node("MatMul", "gallery/dot", new[] { embeddingColumn, galleryT });
        string minusTwoDot = graph.Node("Mul", "gallery/minus_two_dot", new[] { dot, graph.FloatScalar("gallery/minus_two", -2f) });
        string partial = graph.Node("Add", "gallery/partial", new[] { minusTwoDot, queryNorms });
        string squared = graph.Node("Add", "gallery/squared_raw", new[] { partial, galleryNorms });
        string clamped = graph.Node("Max", "gallery/squared", new[] { squared, graph.FloatScalar("gallery/zero", 0f) });
        var topk = graph.MultiOutputNode("TopK", new[] { "gallery/top_squared", "gallery/top_rows" },
            new[] { clamped, graph.Int64Initializer("gallery/k", new long[] { 1 }, new long[] { settings.K }) },
            OnnxProto.IntAttribute("axis", 1), OnnxProto.IntAttribute("largest", 0), OnnxProto.IntAttribute("sorted", 1));
        string distances = graph.Node("Sqrt", IdentificationColumns.NeighborDistances, new[] { topk[0] });
        graph.Node("Gather", IdentificationColumns.NeighborIds, new[] { ids, topk[1] }, OnnxProto.IntAttribute("axis", 0));
        graph.Node("Gather", IdentificationColumns.NeighborLabels, new[] { labels, topk[1] }, OnnxProto.IntAttribute("axis", 0));

        string first = graph.Int64Initializer("gallery/first", Array.Empty<long>(), new long[] { 0 });
        string nearestRow = graph.Node("Gather", "gallery/nearest_row", new[] { topk[1], first }, OnnxProto.IntAttribute("axis", 1));
        string nearest = graph.Node("Gather", IdentificationColumns.Distance, new[] { distances, first }, OnnxProto.IntAttribute("axis", 1));
        float threshold = float.IsFinite(settings.Threshold) ? settings.Threshold : float.MaxValue;
        string known = graph.Node("LessOrEqual", IdentificationColumns.IsKnown, new[] { nearest, graph.FloatScalar("gallery/threshold", threshold) });
        string answer = graph.Node("Where", "gallery/answer", new[] { known, nearestRow, graph.Int64Initializer("gallery/unknown_row", Array.Empty<long>(), new long[] { r }) });
        graph.Node("Gather", IdentificationColumns.PredictedLabel, new[] { answers, answer }, OnnxProto.IntAttribute("axis", 0));

        string impostors = graph.FloatInitializer(ImpostorDistances, new long[] { 1, settings.ImpostorDistances.Length }, settings.ImpostorDistances);
        string column = graph.Node("Unsqueeze", "gallery/nearest_column", new[] { nearest, graph.Int64Initializer("gallery/axis1", new long[] { 1 }, new long[] { 1 }) });
        string closer = graph.Node("LessOrEqual", "gallery/impostors_as_close", new[] { impostors, column });
        string asFloat = graph.Node("Cast", "gallery/impostors_as_close_float", new[] { closer }, OnnxProto.IntAttribute("to", (long)OnnxProto.DataType.Float));
        string falseAccept = graph.Node("ReduceMean", "gallery/false_accept_rate", new[] { asFloat },
            OnnxProto.IntsAttribute("axes", 1), OnnxProto.IntAttribute("keepdims", 0));
        graph.Node("Sub", IdentificationColumns.Confidence, new[] { graph.FloatScalar("gallery/one", 1f), falseAccept });

        var perQuery = new long?[] { null };
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.NeighborIds, OnnxProto.DataType.String, null, settings.K));
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.NeighborLabels, OnnxProto.DataType.String, null, settings.K));
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.NeighborDistances, OnnxProto.DataType.Float, null, settings.K));
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.Distance, OnnxProto.DataType.Float, perQuery));
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.IsKnown, OnnxProto.DataType.Bool, perQuery));
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.PredictedLabel, OnnxProto.DataType.String, perQuery));
        graph.Output(OnnxProto.TensorValueInfo(IdentificationColumns.Confidence, OnnxProto.DataType.Float, perQuery));

        var inv = CultureInfo.InvariantCulture;
        var metadata = new Dictionary<string, string>
        {
            [MetaCount] = gallery.Count.ToString(inv),
            [MetaRows] = r.ToString(inv),
            [MetaEmbedder] = gallery.EmbedderFingerprint,
            [MetaMode] = settings.Mode.ToString(),
            [MetaThreshold] = settings.Threshold.ToString("R", inv),
            [MetaK] = settings.K.ToString(inv),
            [MetaUnknown] = settings.UnknownLabel,
            [MetaCalibration] = settings.Calibration,
            [MetaEmbeddingColumn] = embeddingColumn,
            [MetaRule] = settings.Rule,
        };
        return graph.ToModelBytes("gallery", $"Identification gallery of {gallery.Count} items ({r} rows) exported by MLNet.Siamese.", metadata);
    }
}
