using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Trainers;

namespace DigitsEmbedding;

/// <summary>One image in memory: 784 pixels in 0..1 and its label, as a row ML.NET can load.</summary>
internal sealed class ImageRow
{
    [VectorType(28 * 28)]
    public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

/// <summary>Reading columns out of data views.</summary>
internal static class Embeddings
{
    public static List<ImageRow> ReadRows(MLContext ml, IDataView data) =>
        ml.Data.CreateEnumerable<ImageRow>(data, reuseRowObject: false).ToList();

    public static float[][] Embed(SiameseModel model, IDataView data) =>
        model.Transform(data).GetColumn<float[]>(SiameseModel.EmbeddingColumnName).ToArray();
}
