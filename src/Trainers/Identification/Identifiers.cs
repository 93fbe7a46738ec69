using Microsoft.ML;

namespace MLNet.Siamese.Identification;

/// <summary>Enrolment steps shared by the catalog and the update methods: read items, embed, calibrate, build.</summary>
internal static class Identifiers
{
    public static IdentificationModel Enroll(GalleryEmbedder embedder, IDataView data, EnrollmentOptions options)
    {
        options.Validate();
        var items = ReadItems(embedder, data, options, "gallery");
        if (items.Count == 0)
            throw new ArgumentException("The gallery is empty: enrol at least one item.", nameof(data));
        var gallery = new IdentificationGallery(embedder.Fingerprint, embedder.Dimension, items);
        IReadOnlyList<float[]>? impostors = options.Impostors is null ? null : embedder.Embed(options.Impostors, "impostor set");
        return Create(embedder, gallery, options, impostors);
    }

    public static IdentificationModel Create(GalleryEmbedder embedder, IdentificationGallery gallery, EnrollmentOptions options, IReadOnlyList<float[]>? impostors)
    {
        options.Validate();
        var rows = GalleryRows.Of(gallery, options.Mode);
        if (options.K > rows.Count)
            throw new ArgumentOutOfRangeException(nameof(options), options.K,
                $"k = {options.K} is larger than the gallery ({rows.Count} {(options.Mode == GalleryMode.Prototypes ? "classes" : "items")}); use k between 1 and {rows.Count}.");
        if (gallery.Labels.Contains(options.UnknownLabel, StringComparer.Ordinal))
            throw new ArgumentException($"A gallery label equals the unknown label '{options.UnknownLabel}'; choose another {nameof(EnrollmentOptions.UnknownLabel)}.", nameof(options));
        var settings = OpenSetCalibration.Calibrate(gallery, rows, options, impostors, embedder.Impostors);
        return new IdentificationModel(embedder, gallery, settings);
    }

    public static List<(string Id, string Label, float[] Embedding)> ReadItems(GalleryEmbedder embedder, IDataView data, EnrollmentOptions options, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Schema.GetColumnOrNull(options.LabelColumnName) is null)
            throw new ArgumentException($"The {what} has no label column '{options.LabelColumnName}' (it has: {string.Join(", ", data.Schema.Select(c => c.Name))}).", nameof(data));
        var labels = DataColumns.ReadText(data, options.LabelColumnName);
        List<string> ids;
        if (data.Schema.GetColumnOrNull(options.IdColumnName) is not null)
            ids = DataColumns.ReadText(data, options.IdColumnName);
        else if (embedder.TakesImages)
            ids = DataColumns.ReadText(data, embedder.InputColumnName);
        else
            ids = Enumerable.Range(0, labels.Count).Select(i => "row " + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var duplicate = ids.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The {what} has the id '{duplicate.Key}' {duplicate.Count()} times; ids must be unique.", nameof(data));
        var embeddings = embedder.Embed(data, what);
        return Enumerable.Range(0, ids.Count).Select(i => (ids[i], labels[i], embeddings[i])).ToList();
    }
}
