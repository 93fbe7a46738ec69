namespace MLNet.Siamese.Identification;

/// <summary>The rows a query is compared with: the items, or one prototype per class.</summary>
/// <param name="Ids">Row ids (item ids, or the class label for prototypes).</param>
/// <param name="Labels">Row labels.</param>
/// <param name="Embeddings">Row-major embeddings, Count x dimension.</param>
internal sealed record GalleryRows(string[] Ids, string[] Labels, float[] Embeddings)
{
    /// <summary>Number of rows.</summary>
    public int Count => Ids.Length;

    /// <summary>The items themselves, or the mean of each class's items (classes in order of first appearance).</summary>
    public static GalleryRows Of(IdentificationGallery gallery, GalleryMode mode)
    {
        if (mode == GalleryMode.Items)
            return new GalleryRows(gallery.Ids.ToArray(), gallery.Labels.ToArray(), gallery.EmbeddingsCopy());
        int d = gallery.Dimension;
        var classes = gallery.Labels.Distinct(StringComparer.Ordinal).ToArray();
        var position = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var sums = new double[classes.Length * d];
        var counts = new int[classes.Length];
        for (int i = 0; i < gallery.Count; i++)
        {
            int c = position[gallery.Labels[i]];
            counts[c]++;
            var row = gallery.Embedding(i);
            for (int j = 0; j < d; j++) sums[c * d + j] += row[j];
        }
        var means = new float[sums.Length];
        for (int c = 0; c < classes.Length; c++)
            for (int j = 0; j < d; j++) means[c * d + j] = (float)(sums[c * d + j] / counts[c]);
        return new GalleryRows(classes, classes.ToArray(), means);
    }
}
