using System.Globalization;
using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Identification;

/// <summary>Reads a gallery and its settings back from a gallery model written by <see cref="GalleryGraphWriter"/>.</summary>
internal static class GalleryGraphReader
{
    /// <summary>The gallery in <paramref name="onnx"/>, or null when it is not a gallery model.</summary>
    public static (IdentificationGallery Gallery, IdentifierSettings Settings, string EmbeddingColumn)? TryRead(byte[] onnx)
    {
        var contents = OnnxModelReader.Read(onnx);
        var meta = contents.Metadata;
        if (!meta.TryGetValue(GalleryGraphWriter.MetaEmbedder, out var fingerprint))
            return null;
        var inv = CultureInfo.InvariantCulture;
        var mode = Enum.Parse<GalleryMode>(meta[GalleryGraphWriter.MetaMode]);
        var init = contents.Initializers;
        string[] ids, labels;
        float[] embeddings;
        int d;
        if (mode == GalleryMode.Prototypes)
        {
            ids = init[GalleryGraphWriter.ItemIds].Strings!;
            labels = init[GalleryGraphWriter.ItemLabels].Strings!;
            var items = init[GalleryGraphWriter.ItemEmbeddings];
            d = (int)items.Dims[1];
            embeddings = items.Floats!;
        }
        else
        {
            ids = init[GalleryGraphWriter.RowIds].Strings!;
            labels = init[GalleryGraphWriter.RowLabels].Strings!;
            var transposed = init[GalleryGraphWriter.RowsTransposed];
            d = (int)transposed.Dims[0];
            int r = (int)transposed.Dims[1];
            embeddings = new float[r * d];
            for (int j = 0; j < d; j++)
                for (int i = 0; i < r; i++) embeddings[i * d + j] = transposed.Floats![j * r + i];
        }
        int count = int.Parse(meta[GalleryGraphWriter.MetaCount], inv);
        if (ids.Length != count)
            throw new InvalidDataException($"The gallery model records {count} items but holds {ids.Length}.");
        var gallery = new IdentificationGallery(fingerprint, d, Enumerable.Range(0, ids.Length).Select(i => (ids[i], labels[i], embeddings.AsSpan(i * d, d).ToArray())));
        var settings = new IdentifierSettings(mode, int.Parse(meta[GalleryGraphWriter.MetaK], inv), float.Parse(meta[GalleryGraphWriter.MetaThreshold], inv),
            meta[GalleryGraphWriter.MetaUnknown], init[GalleryGraphWriter.ImpostorDistances].Floats!, meta[GalleryGraphWriter.MetaCalibration], meta[GalleryGraphWriter.MetaRule]);
        return (gallery, settings, meta[GalleryGraphWriter.MetaEmbeddingColumn]);
    }
}
