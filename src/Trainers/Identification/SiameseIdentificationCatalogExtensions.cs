using Microsoft.ML;
using MLNet.Siamese.Identification;
#if !SIAMESE_SCORING_ONLY
using MLNet.Siamese.Trainers;
#endif

namespace MLNet.Siamese;

/// <summary>Adds identification to <see cref="SiameseCatalog"/>: enrol a gallery through a trained model's embedder.</summary>
public static class SiameseIdentificationCatalogExtensions
{
#if !SIAMESE_SCORING_ONLY
    /// <summary>
    /// Embeds the gallery with <paramref name="model"/>'s embedder, calibrates the unknown threshold, and returns the
    /// identifier (embedder + gallery head) as an ML.NET transformer.
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The trained model.</param>
    /// <param name="gallery">Rows with the model's input column (image path or features), a text label column and optionally a text id column (see <paramref name="options"/>).</param>
    /// <param name="options">Mode, k, threshold rule, column names; null for the defaults.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentException">The gallery is empty, lacks a column, has a duplicate id, or an image does not decode (named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">k is larger than the gallery.</exception>
    public static IdentificationModel Enroll(this SiameseCatalog catalog, SiameseModel model, IDataView gallery, EnrollmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Identifiers.Enroll(GalleryEmbedder.FromModel(catalog.Context, model), gallery, options ?? new EnrollmentOptions());
    }
#endif

    /// <summary>Enrols a gallery through an embedder (for example one read from a saved zip with <see cref="GalleryEmbedder.FromFile"/>).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="embedder">The embedder.</param>
    /// <param name="gallery">The gallery rows.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The identifier.</returns>
    public static IdentificationModel Enroll(this SiameseCatalog catalog, GalleryEmbedder embedder, IDataView gallery, EnrollmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(embedder);
        return Identifiers.Enroll(embedder, gallery, options ?? new EnrollmentOptions());
    }

    /// <summary>Builds an identifier from an already embedded gallery; refuses a gallery from another embedder.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="embedder">The embedder.</param>
    /// <param name="gallery">The gallery (its fingerprint must equal the embedder's).</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="InvalidOperationException">The gallery was enrolled with another embedder.</exception>
    public static IdentificationModel Enroll(this SiameseCatalog catalog, GalleryEmbedder embedder, IdentificationGallery gallery, EnrollmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(gallery);
        if (!string.Equals(embedder.Fingerprint, gallery.EmbedderFingerprint, StringComparison.Ordinal))
            throw new InvalidOperationException($"The gallery was enrolled with a different embedder (fingerprint {IdentificationModel.Short(gallery.EmbedderFingerprint)}) than this model's ({IdentificationModel.Short(embedder.Fingerprint)}): its embeddings are not comparable. Enrol the items again with this model.");
        return Identifiers.Create(embedder, gallery, options ?? new EnrollmentOptions(), null);
    }

    /// <summary>Loads an identifier zip (to score, or to update with <see cref="IdentificationModel.WithItems"/> / <see cref="IdentificationModel.WithoutItems"/>).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="path">The zip.</param>
    /// <returns>The identifier.</returns>
    public static IdentificationModel LoadIdentifier(this SiameseCatalog catalog, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return IdentificationModel.Load(catalog.Context, path);
    }
}
