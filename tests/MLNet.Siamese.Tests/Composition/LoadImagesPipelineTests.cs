using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Composition;

/// <summary>
/// The pipeline the mission names: <c>ml.Transforms.LoadImages(...)</c> appended with <c>ml.Siamese().Train(...)</c>
/// (the trainer takes the <c>MLImage</c> column LoadImages makes), fitted, saved with <c>ml.Model.Save</c>, loaded in a
/// fresh context and scored with a <c>PredictionEngine</c>; and the embedder followed by an ML.NET trainer in one
/// <c>Append</c> chain.
/// </summary>
[TestClass]
public sealed class LoadImagesPipelineTests
{
    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class ClassPrediction
    {
        [ColumnName("PredictedLabel")]
        public string Predicted { get; set; } = "";
    }

    private static List<Row> WriteRows(TempFolder folder)
    {
        var (_, characters) = CliData.WriteImageFolder(folder.Combine("images"));
        return [.. characters.SelectMany((paths, c) => paths.Select(p => new Row { ImagePath = p, Label = $"c{c}" }))];
    }

    private static SiameseTrainerOptions Options(string imageColumn) => new()
    {
        ImageColumnName = imageColumn,
        AutoInvert = true,   // decided from sampled decoded images on the MLImage route, from sampled files on the path route
        Network = NetworkPresets.Compact(28, 16),
        Iterations = 10,
        Seed = 1,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 100,
    };

    private static float[][] Embeddings(IDataView scored) => scored.GetColumn<float[]>(SiameseModel.EmbeddingColumnName).ToArray();

    [TestMethod]
    public void LoadImagesThenTrainSavesLoadsAndScoresLikeTheModelTrainedOnPaths()
    {
        using var folder = new TempFolder();
        var rows = WriteRows(folder);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);

        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(Row.ImagePath))
            .Append(ml.Siamese().Train(Options("Image")));
        var model = pipeline.Fit(data);
        string zip = folder.Combine("pipeline.zip");
        ml.Model.Save(model, data.Schema, zip);

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(zip, out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull(nameof(Row.ImagePath)), "the saved input schema is the path column LoadImages reads");
        var engine = fresh.Model.CreatePredictionEngine<Row, EmbeddingPrediction>(loaded);
        var inMemory = Embeddings(model.Transform(data));

        // The same options on the path column decode the same pixels, so they train the same weights.
        using var onPaths = ml.Siamese().Train(Options(nameof(Row.ImagePath))).Fit(data);
        var fromPaths = Embeddings(onPaths.Transform(data));
        for (int i = 0; i < rows.Count; i += 7)
        {
            float[] predicted = engine.Predict(rows[i]).Embedding;
            Assert.HasCount(16, predicted);
            for (int d = 0; d < predicted.Length; d++)
            {
                Assert.AreEqual(inMemory[i][d], predicted[d], 1e-5f, $"row {i}, dimension {d}: loaded pipeline vs fitted pipeline");
                Assert.AreEqual(fromPaths[i][d], predicted[d], 1e-5f, $"row {i}, dimension {d}: MLImage input vs path input");
            }
        }
    }

    [TestMethod]
    public void TheEmbedderFeedsAnMLNetTrainerInOneAppendChain()
    {
        using var folder = new TempFolder();
        var rows = WriteRows(folder);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);

        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(Row.ImagePath))
            .Append(ml.Siamese().Train(Options("Image")))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(Row.Label)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", SiameseModel.EmbeddingColumnName))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data), "LabelKey");
        Assert.IsGreaterThan(0.6, metrics.MicroAccuracy, $"six classes (chance 0.17); got {metrics.MicroAccuracy:F3}");

        string zip = folder.Combine("classifier.zip");
        ml.Model.Save(model, data.Schema, zip);
        var fresh = new MLContext(seed: 2);
        var engine = fresh.Model.CreatePredictionEngine<Row, ClassPrediction>(fresh.Model.Load(zip, out _));
        var expected = model.Transform(data).GetColumn<string>("PredictedLabel").ToArray();
        for (int i = 0; i < rows.Count; i += 5)
            Assert.AreEqual(expected[i], engine.Predict(rows[i]).Predicted, $"row {i}");
    }

    [TestMethod]
    public void AnImageColumnThatDoesNotDecodeIsRefusedNamingTheColumn()
    {
        using var folder = new TempFolder();
        var rows = WriteRows(folder);
        File.WriteAllText(rows[3].ImagePath, "not a png");
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(Row.ImagePath))
            .Append(ml.Siamese().Train(Options("Image")));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "'Image'");
    }
}
