// The first seed reproduced on the embedded data: train a Siamese network on the Omniglot background alphabets of
// images_background_small1, then judge it only on alphabets it never saw (the images_background_small2 alphabets that
// small1 lacks): pair accuracy at a threshold fixed before seeing them, and 20-way within-alphabet one-shot accuracy.
// Writes the model zip, the loss curve and a grid of ten held-out pairs (the seed's final figure) to ./omniglot-output.
using System.Diagnostics;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Examples.Omniglot;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Transforms;
using Microsoft.ML;
using MLNet.Siamese.Examples.Shared;

var settings = ExampleSettings.Parse(args);
Directory.CreateDirectory(settings.OutputDirectory);
var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: settings.Seed);

// 1. Data: small1 for training; the small2 alphabets small1 lacks for the final test.
var folderOptions = new ImageFolderOptions { LabelDepth = 2 };
var background = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), folderOptions);
var evaluation = ImageFolder.Scan(EmbeddedOmniglot.FindSmall2(), folderOptions);
var trainingAlphabets = background.Select(e => e.Group).ToHashSet();
var unseen = evaluation.Where(e => !trainingAlphabets.Contains(e.Group)).ToList();
// One character in six of every training alphabet is held out to calibrate the threshold on classes the network
// did not train on, so the threshold is fixed before the unseen alphabets are looked at.
var characters = background.Select(e => e.Label).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
var calibrationCharacters = characters.Where((_, i) => i % 6 == 5).ToHashSet();
var train = background.Where(e => !calibrationCharacters.Contains(e.Label)).ToList();
var calibration = background.Where(e => calibrationCharacters.Contains(e.Label)).ToList();
Console.WriteLine($"Training: {train.Count} images, {train.Select(e => e.Label).Distinct().Count()} characters of {string.Join(", ", trainingAlphabets.Order())}");
Console.WriteLine($"Calibration: {calibration.Count} images of {calibrationCharacters.Count} held-out characters of the same alphabets");
Console.WriteLine($"Unseen test alphabets: {string.Join(", ", unseen.Select(e => e.Group).Distinct().Order())} ({unseen.Count} images, {unseen.Select(e => e.Label).Distinct().Count()} characters)");

// 2. Train with the library's handwriting recipe (what it does, and why: HandwritingRecipe, docs/experiments.md).
// The held-out characters are the validation data: the threshold is calibrated on them, and their pair accuracy is
// recorded during training.
var options = settings.CreateOptions();
options.ValidationData = ml.Data.LoadFromEnumerable(calibration);
options.ValidationPairs = 2000;
options.ValidationInterval = Math.Max(1, options.Iterations / 5);
options.ProgressInterval = Math.Max(1, options.Iterations / 20);
options.Progress = new ConsoleProgress();
var network = options.Network!;
Console.WriteLine($"Training {network.Name} ({network.EmbeddingDimension}-d embedding) with {options.Loss} loss for {options.Iterations} iterations; "
    + (network.InputNormalization is { } n ? $"every drawing centred on its centre of mass and scaled to a spread of {n.Spread:P0} of the side ({network.Geometry.DecodedHeight} px to {network.Geometry.Height} px); " : "")
    + (network.TestTimeViews is { } views ? $"each image embedded as the mean over {views.Count} fixed views of it when scoring." : "each image embedded once when scoring."));
using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(train));   // disposed at the end: its ONNX copies leave the temp folder
Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F0} s; threshold {model.Threshold:F3} calibrated on held-out characters (accuracy there {model.Summary.CalibrationAccuracy:P2}).");

// 3. Save the pair scorer: one zip, ONNX inside, from two image paths to a score.
string zip = Path.Combine(settings.OutputDirectory, "siamese-omniglot.zip");
model.SavePairScorer(zip);
var loaded = ml.Model.Load(zip, out _);
using var releaseLoaded = loaded as IDisposable;   // disposing deletes the ONNX copies ML.NET made to load it
Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length / 1024} KiB) and loaded it back.");

// 4. Pair accuracy on balanced pairs of unseen alphabets, at the calibrated threshold.
// Balanced random pairs (half of one character, half of two different characters), drawn by the library's own pair generator.
var unseenView = ml.Data.LoadFromEnumerable(unseen);
var pairsView = ml.Siamese().GeneratePairs(new PairGeneratorOptions { ColumnsToPair = [ImageFolder.ImagePathColumnName], PairCount = settings.EvaluationPairs, Seed = settings.Seed + 100 })
    .Fit(unseenView).Transform(unseenView);
var pairs = ml.Data.CreateEnumerable<LabelledImagePair>(pairsView, reuseRowObject: false).ToList();
var scored = loaded.Transform(pairsView);
var metrics = ml.Siamese().Evaluate(scored, "Label", "Score", "PredictedLabel");
Console.WriteLine();
Console.WriteLine($"Unseen alphabets, {pairs.Count} balanced pairs: pair accuracy {metrics.Accuracy:P2} at the fixed threshold; AUC {metrics.AreaUnderRocCurve:F4}; EER {metrics.EqualErrorRate:P2}; best-threshold accuracy {metrics.BestThresholdAccuracy:P2}");

// 5. 20-way within-alphabet one-shot accuracy by embedding distance. First on the held-out characters of the training
// alphabets (validation: 20-way across their alphabets, too few per alphabet for within), the figure settings are chosen on.
var embedder = ml.Model.CreatePredictionEngine<ImageItem, EmbeddingPrediction>(model.Embedder);
var calibrationOneShot = OneShotEvaluator.Evaluate(
    new EmbeddingMatcher(calibration.Select(e => embedder.Predict(new ImageItem { ImagePath = e.ImagePath }).Embedding).ToList()),
    calibration.Select(e => e.Label).ToList(),
    new OneShotEpisodeOptions { Ways = 20, Shots = 1, Episodes = settings.Episodes, Seed = settings.Seed });
Console.WriteLine($"Held-out characters of the training alphabets (validation), 20-way 1-shot: accuracy {calibrationOneShot.Accuracy:P2}");
var embeddings = unseen.Select(e => embedder.Predict(new ImageItem { ImagePath = e.ImagePath }).Embedding).ToList();
var labels = unseen.Select(e => e.Label).ToList();
var alphabets = unseen.Select(e => e.Group).ToList();
var episodes = new OneShotEpisodeOptions { Ways = 20, Shots = 1, Episodes = settings.Episodes, Seed = settings.Seed, SameGroup = true };
var oneShot = OneShotEvaluator.Evaluate(new EmbeddingMatcher(embeddings), labels, episodes, alphabets);
Console.WriteLine($"Unseen alphabets, 20-way 1-shot within-alphabet: accuracy {oneShot.Accuracy:P2} over {oneShot.Episodes} episodes (±{oneShot.ConfidenceInterval95:P2}), Euclidean distance as in training");
var oneShotCosine = OneShotEvaluator.Evaluate(new EmbeddingMatcher(embeddings, VectorDistance.Cosine), labels, episodes, alphabets);
Console.WriteLine($"  the same episodes by cosine distance: {oneShotCosine.Accuracy:P2}");
var retrieval = RetrievalMetrics.Compute(embeddings, labels);
Console.WriteLine($"Unseen alphabets, retrieval (each drawing a query against the other {embeddings.Count - 1}): P@1 {retrieval.PrecisionAt1:F4}, MAP@R {retrieval.MapAtR:F4}");

// 6. Pictures.
string lossPng = Path.Combine(settings.OutputDirectory, "loss.png");
Figures.LossCurve(model.Summary.LossHistory, lossPng);
string gridPng = Path.Combine(settings.OutputDirectory, "pairs.png");
var engine = ml.Model.CreatePredictionEngine<ImagePair, PairPrediction>(loaded);
Figures.PairGrid(pairs.Take(10).Select(p => (p, engine.Predict(new ImagePair { LeftImagePath = p.LeftImagePath, RightImagePath = p.RightImagePath }))).ToList(), gridPng);
Console.WriteLine($"Wrote {lossPng} and {gridPng}. Total time {clock.Elapsed.TotalSeconds:F0} s.");
(loaded as IDisposable)?.Dispose();   // the loaded zip's ONNX copy leaves the temp folder too
