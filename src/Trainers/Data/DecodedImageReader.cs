using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Training items from a column of images already decoded by ML.NET's <c>LoadImages</c> (<c>MLImage</c>): the model's
/// own image chain without LoadImages (ResizeImages, ConvertToGrayscale, ExtractPixels, or a backbone's featurizer) is
/// applied to the data view and the resulting feature vectors are read like any feature column.
/// </summary>
internal static class DecodedImageReader
{
    private const string FeatureColumn = "__SiameseImageFeatures";

    /// <summary>Whether <paramref name="column"/> of <paramref name="data"/> holds decoded images rather than paths.</summary>
    public static bool HoldsImages(IDataView data, string column) => data.Schema.GetColumnOrNull(column)?.Type is ImageDataViewType;

    /// <summary>Whether a schema-shape column holds decoded images rather than paths.</summary>
    public static bool HoldsImages(SchemaShape.Column column) => column.ItemType is ImageDataViewType;

    /// <summary>Decodes (or featurizes) every image of the column once and reads the items with their labels.</summary>
    public static TrainingData Read(MLContext context, IDataView data, ImageInput images, int? backbonePixels, string labelColumn, string? groupColumn, int expectedSize, string what)
    {
        var transformed = Features(context, data, images, backbonePixels);
        return Reading(images, what, () => TrainingData.ReadItems(transformed, FeatureColumn, labelColumn, groupColumn, expectedSize, what));
    }

    /// <summary>Runs <paramref name="read"/>, turning a failure to decode an image into an error naming the column.</summary>
    private static T Reading<T>(ImageInput images, string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OutOfMemoryException and not ArgumentOutOfRangeException and not InvalidOperationException { InnerException: null })
        {
            throw new InvalidDataException($"{what}: the images of column '{images.ImageColumnName}' could not be read (ML.NET's LoadImages names no file; decode them one by one to find it): {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>
    /// The mean pixel (0..1, without inversion) of up to <see cref="InkPolarity.SampleSize"/> images spread evenly over
    /// the column, chosen as <see cref="InkPolarity.MeanPixel"/> chooses files, so the decision matches the path route.
    /// </summary>
    public static double MeanPixel(MLContext context, IDataView data, ImageInput images, string what)
    {
        var plain = images with { Preprocessing = images.Preprocessing with { Invert = false } };
        var view = Features(context, data, plain, null);
        var column = view.Schema[FeatureColumn];
        // One mean per image (every image has the same number of values, so the mean of the sampled images' means is
        // the mean of their pixels); the row count is known only at the end, so every row is measured.
        var means = Reading(images, what, () =>
        {
            var rows = new List<double>();
            using var cursor = view.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                rows.Add(buffer.Length == 0 ? 0 : buffer.DenseValues().Average());
            }
            return rows;
        });
        if (means.Count == 0)
            throw new InvalidOperationException($"{what}: the data has no rows.");
        int n = Math.Min(InkPolarity.SampleSize, means.Count);
        return Enumerable.Range(0, n).Average(i => means[(int)((long)i * means.Count / n)]);
    }

    private static IDataView Features(MLContext context, IDataView data, ImageInput images, int? backbonePixels)
        => SiameseModel.ImageFeatures(context, images, backbonePixels, new InputOutputColumnPair(FeatureColumn, images.ImageColumnName)).Fit(data).Transform(data);
}
