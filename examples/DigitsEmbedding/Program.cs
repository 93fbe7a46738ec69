using System.Diagnostics;
using System.Globalization;
using DigitsEmbedding;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Index;
using MLNet.Siamese.Trainers;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

DigitsOptions o;
try
{
    o = DigitsOptions.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(DigitsOptions.Usage);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(DigitsOptions.Usage);
    return 1;
}

if (o.Bench)
{
    IndexBenchmark.Run();
    return 0;
}

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: o.Seed);
var data = DigitsData.Load(ml, o);
if (data is null) return 2;
Directory.CreateDirectory(o.OutputDirectory);
Console.WriteLine($"Data: {data.Source}");

// Everything below works on in-memory copies: a few seconds to read once, then every pass is cheap.
var trainRows = Embeddings.ReadRows(ml, data.Train);
var testRows = Embeddings.ReadRows(ml, data.Test);
var train = ml.Data.LoadFromEnumerable(trainRows);
var test = ml.Data.LoadFromEnumerable(testRows);
string[] testLabels = testRows.Select(r => r.Label).ToArray();
var plotView = ml.Data.LoadFromEnumerable(testRows.Take(o.PlotPoints));
var plotLabels = testLabels.Take(o.PlotPoints).ToArray();
Console.WriteLine($"{trainRows.Count} training and {testRows.Count} test images; {trainRows.Select(r => r.Label).Distinct().Count()} classes.");

// 1. The second seed: MLP 784-1024-1024-2, contrastive loss (margin 0.3), Adam 1e-4 / 0.9 / 0.99, 180 pairs a batch.
Console.WriteLine($"== Seed MLP, {o.Iterations} iterations in {o.Stages} stages of batches of {o.BatchSize} pairs ==");
var model = StagedTraining.Run(ml, train, o, (stageModel, stage, iteration) =>
{
    string png = Path.Combine(o.OutputDirectory, $"embedding-stage{stage}-iter{iteration:D5}.png");
    var loss = stageModel.Summary.LossHistory;
    double recent = loss.Skip(Math.Max(0, loss.Count - 100)).Average();
    EmbeddingPlot.Save(png, $"2-D embedding of {plotLabels.Length} test images after {iteration} iterations (loss {recent:F4})",
        Embeddings.Embed(stageModel, plotView), plotLabels, data.ClassName);
    Console.WriteLine($"  stage {stage}: iteration {iteration}, mean loss of the last 100 iterations {recent:F4}, plot {png}  [{clock.Elapsed:mm\\:ss}]");
});

// 2. Retrieval metrics and pair accuracy on the test split (classes seen in training, images not).
var embeddedTest = model.Transform(test);
var retrieval = ml.Siamese().EvaluateRetrieval(embeddedTest, "Embedding", "Label");
Console.WriteLine($"Retrieval on {testRows.Count} test images: precision@1 {retrieval.PrecisionAt1:P1}, MAP@R {retrieval.MapAtR:P1}, R-precision {retrieval.RPrecision:P1}");
var pairs = ml.Siamese().GeneratePairs("Label", ["Features"], pairCount: 4000, similarFraction: 0.5, seed: o.Seed + 1).Fit(test).Transform(test);
// The pair scorer's PredictedLabel is a length-1 Boolean vector (ONNX output), which Evaluate does not read as a decision;
// deciding by Score >= the model's threshold is the same decision.
var pairMetrics = ml.Siamese().Evaluate(model.PairScorer.Transform(pairs), "Label", "Score", predictedLabelColumnName: null, threshold: model.Threshold);
Console.WriteLine($"Held-out pairs ({pairMetrics.Count} test pairs, half similar): accuracy {pairMetrics.Accuracy:P1} at the calibrated threshold {model.Threshold:F3}, ROC AUC {pairMetrics.AreaUnderRocCurve:F3}");

// 3. Similarity search: the nine test images nearest to one query, with SimilarityIndex, saved and reloaded.
float[][] testEmbeddings = embeddedTest.GetColumn<float[]>("Embedding").ToArray();
var index = new SimilarityIndex(model.EmbeddingDimension);
index.AddRange(testEmbeddings.Select((e, i) => ($"test-{i}", testLabels[i], e)));
string indexPath = Path.Combine(o.OutputDirectory, "test-gallery.mlnsidx");
index.Save(indexPath);
index = SimilarityIndex.Load(indexPath);
if (o.QueryIndex >= testRows.Count)
{
    Console.Error.WriteLine($"--query {o.QueryIndex} is past the {testRows.Count} test images.");
    return 1;
}
var matches = index.Search(testEmbeddings[o.QueryIndex], 10).Where(m => m.Id != $"test-{o.QueryIndex}").Take(9).ToList();
var tiles = new List<(float[], string, string, string)> { (testRows[o.QueryIndex].Features, "QUERY", $"test-{o.QueryIndex}", data.ClassName(testLabels[o.QueryIndex])) };
tiles.AddRange(matches.Select((m, rank) => (testRows[int.Parse(m.Id.AsSpan(5), CultureInfo.InvariantCulture)].Features,
    $"#{rank + 1} d={m.Distance:F4}", m.Id, data.ClassName(m.Label))));
string tilePng = Path.Combine(o.OutputDirectory, $"nearest-to-test-{o.QueryIndex}.png");
ImageTiles.Save(tilePng, tiles, 28, 28);
Console.WriteLine($"Nine nearest to test-{o.QueryIndex} ({data.ClassName(testLabels[o.QueryIndex])}): " +
                  string.Join(", ", matches.Select(m => $"{m.Id} {data.ClassName(m.Label)} {m.Distance:F4}")) + $"; tiles {tilePng}");

// The same search as an ML.NET stage after the embedder, in a PredictionEngine.
var nearest = ml.Siamese().NearestNeighbors(index, 10).Fit(embeddedTest);
var engine = ml.Model.CreatePredictionEngine<ImageRow, NearestNeighborsPrediction>(model.Embedder.Append(nearest));
var predicted = engine.Predict(testRows[o.QueryIndex]);
Console.WriteLine($"PredictionEngine (embedder + NearestNeighbors stage) for test-{o.QueryIndex}: {string.Join(", ", predicted.NeighborIds.Take(4))}, ... " +
                  $"{(predicted.NeighborIds.Where(id => id != $"test-{o.QueryIndex}").Take(9).SequenceEqual(matches.Select(m => m.Id)) ? "(same as the index search)" : "(DIFFERS from the index search)")}");

// 4. Composition: the embedder feeding a standard ML.NET trainer on held-out classes, few-shot.
if (o.Composition)
    FewShotComposition.Run(ml, trainRows, testRows, o, data.ClassName);

Console.WriteLine($"Done in {clock.Elapsed:mm\\:ss}. Output: {Path.GetFullPath(o.OutputDirectory)}");
return 0;
