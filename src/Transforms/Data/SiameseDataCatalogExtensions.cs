using MLNet.Siamese.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese;

/// <summary>Data loaders and image preprocessing on <see cref="SiameseCatalog"/>: <c>mlContext.Siamese().LoadImageFolder(...)</c>.</summary>
public static class SiameseDataCatalogExtensions
{
    /// <summary>Loads the labelled images of a folder tree or .zip archive (columns <c>ImagePath</c>, <c>Label</c>, <c>Group</c>).</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="path">A folder (<c>root/&lt;class&gt;/*.png</c> or deeper) or a .zip archive of one.</param>
    /// <param name="labelDepth">How many folder names above each file form its label (1 = parent folder; 2 = e.g. <c>alphabet/character</c>).</param>
    /// <returns>The data view, sorted by path.</returns>
    public static IDataView LoadImageFolder(this SiameseCatalog catalog, string path, int labelDepth = 1) =>
        catalog.LoadImageFolder(path, new ImageFolderOptions { LabelDepth = labelDepth });

    /// <summary>Loads the labelled images of a folder tree or .zip archive (columns <c>ImagePath</c>, <c>Label</c>, <c>Group</c>).</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="path">A folder or a .zip archive.</param>
    /// <param name="options">Label depth, extensions, archive cache and limits.</param>
    /// <returns>The data view, sorted by path.</returns>
    public static IDataView LoadImageFolder(this SiameseCatalog catalog, string path, ImageFolderOptions options) =>
        ImageFolder.Load(Context(catalog), path, options);

    /// <summary>Loads an IDX image file and its label file (MNIST format; columns <c>Features</c> in 0..1 and text <c>Label</c>).</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="imagesPath">IDX image file, raw or .gz.</param>
    /// <param name="labelsPath">IDX label file, raw or .gz.</param>
    /// <returns>The data view.</returns>
    public static IDataView LoadIdx(this SiameseCatalog catalog, string imagesPath, string labelsPath) =>
        IdxReader.Load(Context(catalog), imagesPath, labelsPath);

    /// <summary>Image path column(s) to grayscale float vectors in 0..1 of Width*Height values, with ML.NET ImageAnalytics only.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="options">Size, inversion and image folder.</param>
    /// <param name="columns">Pairs of output feature column and input image-path column.</param>
    /// <returns>The estimator chain.</returns>
    public static EstimatorChain<ITransformer> PreprocessImages(this SiameseCatalog catalog, ImagePreprocessingOptions options,
        params InputOutputColumnPair[] columns) =>
        ImagePreprocessing.CreateEstimator(Context(catalog), options, columns);

    /// <summary>Image path column to a grayscale float vector in 0..1 of Width*Height values, with ML.NET ImageAnalytics only.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="outputColumnName">The feature column to create.</param>
    /// <param name="inputColumnName">The image path column.</param>
    /// <param name="options">Size, inversion and image folder; <see langword="null"/> for 28x28, not inverted.</param>
    /// <returns>The estimator chain.</returns>
    public static EstimatorChain<ITransformer> PreprocessImages(this SiameseCatalog catalog, string outputColumnName = "Features",
        string inputColumnName = ImageFolder.ImagePathColumnName, ImagePreprocessingOptions? options = null) =>
        ImagePreprocessing.CreateEstimator(Context(catalog), options ?? new ImagePreprocessingOptions(),
            new InputOutputColumnPair(outputColumnName, inputColumnName));

    /// <summary>Decodes image files once into one contiguous array of <c>count * Width * Height</c> values.</summary>
    /// <param name="catalog">The Siamese catalog.</param>
    /// <param name="paths">Image files.</param>
    /// <param name="options">Size, inversion and image folder.</param>
    /// <returns>The values, image after image, in the order of <paramref name="paths"/>.</returns>
    public static float[] DecodeImages(this SiameseCatalog catalog, IReadOnlyList<string> paths, ImagePreprocessingOptions options) =>
        ImagePreprocessing.DecodeToArray(Context(catalog), paths, options);

    private static MLContext Context(SiameseCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Context;
    }
}
