// The photos recipe on the embedded Caltech-101 photos (data/caltech101, CC BY 4.0): train on 35 classes, then judge
// only on the 15 classes the model never saw, next to its peer in the same run: the same ImageNet ResNet18 features with
// no training at all, compared by cosine distance. Prints P@1, MAP@R, pair accuracy at a threshold fixed before the
// unseen classes are looked at, AUC and the time each took; writes the model zip, the loss curve, the ROC curves and a
// grid of queries with their nine nearest neighbours to ./photos-output; then identifies the unseen photos against a
// gallery of one photo per class, with "unknown" for the classes never enrolled.
//   dotnet run -c Release --project examples/Photos [-- --seed N] [--fine-tune STAGES] [--output DIR]
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Examples.Photos;
using MLNet.Siamese.Trainers;
using SkiaSharp;

int seed = 1;
int? fineTune = null;
string output = "photos-output";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--output": output = args[++i]; break;
        case "--fine-tune": fineTune = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--seed N] [--fine-tune STAGES] [--output DIR]"); return 2;
    }
}
Directory.CreateDirectory(output);
var total = Stopwatch.StartNew();
var ml = new MLContext(seed: seed);
var (train, unseen) = PhotoData.Split(PhotoData.Find());
var unseenLabels = unseen.Select(e => e.Label).ToList();
var unseenPaths = unseen.Select(e => e.ImagePath).ToList();
Console.WriteLine($"Training classes: {train.Select(e => e.Label).Distinct().Count()} ({train.Count} photos); unseen classes: {unseenLabels.Distinct().Count()} ({unseen.Count} photos): {string.Join(", ", unseenLabels.Distinct())}");
var pairs = PairSet.Draw(unseenLabels, 2000, seed + 100);

// 1. The photos recipe: ResNet18 features computed once, a head that starts at them, held-out training classes decide
//    how far to train; the threshold is calibrated on those held-out training classes.
var ours = Stopwatch.StartNew();
#region photos-recipe
var options = SiameseRecipes.Photos.CreateOptions();
options.Seed = seed;
if (fineTune is { } stages) options.FineTuneStages = stages;   // --fine-tune: train ResNet18's last stages too
using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(train));   // disposed at the end: its ONNX copies leave the temp folder
#endregion
var trainTime = ours.Elapsed;
var s = model.Summary;
if (s.BackboneSelection is { } selection) Console.WriteLine($"Backbone features, chosen before training: {selection}.");
Console.WriteLine($"Trained in {trainTime.TotalSeconds:F0} s (featurizing the training photos once: {s.FeaturizationTime.TotalSeconds:F0} s); "
    + $"held-out validations [{string.Join(", ", s.ValidationHistory.Select(v => $"{v.Key}: {v.Value:F4}"))}].");
Console.WriteLine(s.DescribeHeldOutChoice());
string zip = Path.Combine(output, "photos-embedder.zip");
model.SaveEmbedder(zip);
var scoring = Stopwatch.StartNew();
var deployed = new MLContext(seed: seed).Model.Load(zip, out _);   // what an application loads: ML.NET + ONNX Runtime only
using var releaseDeployed = deployed as IDisposable;               // disposing deletes the ONNX copies ML.NET made to load it
var ourEmbeddings = deployed.Transform(ml.Data.LoadFromEnumerable(unseen.Select(e => new ImageItem { ImagePath = e.ImagePath })))
    .GetColumn<float[]>(SiameseModel.EmbeddingColumnName).ToArray();
var scoringTime = scoring.Elapsed;
ours.Stop();
var ourRetrieval = RetrievalMetrics.Compute(ourEmbeddings, unseenLabels);
var ourDistances = pairs.Distances(ourEmbeddings, (a, b) => TensorPrimitives.Distance(a, b));
var sc = model.Scoring;
var ourScores = ourDistances.Select(d => 1f / (1f + MathF.Exp(-(sc.DistanceScale * d + sc.DistanceOffset)))).ToArray();
var ourPairs = PairMetrics.Compute(ourScores, pairs.Same, ourScores.Select(x => x >= sc.Threshold).ToArray());

// 2. The peer: the same ResNet18 features through ML.NET's own pipeline, no training, cosine distance; its threshold is
//    the best one on pairs of ten photos of each training class (also fixed before the unseen classes are looked at).
var peer = Stopwatch.StartNew();
var featurizer = ml.Transforms.LoadImages("Image", null, "ImagePath")
    .Append(ml.Transforms.ResizeImages("Image", 224, 224))
    .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
    .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"));
float[][] Featurize(IEnumerable<string> paths)
{
    var view = ml.Data.LoadFromEnumerable(paths.Select(p => new ImageItem { ImagePath = p }));
    return featurizer.Fit(view).Transform(view).GetColumn<float[]>("Features").ToArray();
}
float Cosine(float[] a, float[] b) => 1f - TensorPrimitives.CosineSimilarity(a, b);
var calibration = train.GroupBy(e => e.Label).SelectMany(g => g.Take(10)).ToList();
var trainPairs = PairSet.Draw(calibration.Select(e => e.Label).ToList(), 2000, seed + 200);
var peerTrainFeatures = Featurize(calibration.Select(e => e.ImagePath));
var peerThreshold = (float)PairMetrics.Compute(trainPairs.Distances(peerTrainFeatures, Cosine), trainPairs.Same, higherScoreIsSimilar: false).BestThreshold;
var peerFeatures = Featurize(unseenPaths);
peer.Stop();
var peerRetrieval = RetrievalMetrics.Compute(peerFeatures, unseenLabels, VectorDistance.Cosine);
var peerDistances = pairs.Distances(peerFeatures, Cosine);
var peerPairs = PairMetrics.Compute(peerDistances, pairs.Same, threshold: peerThreshold, higherScoreIsSimilar: false);

// 3. Both rows, and the difference.
Console.WriteLine();
Console.WriteLine($"On the {unseenLabels.Distinct().Count()} unseen classes ({unseen.Count} photos as queries; {pairs.Same.Length} balanced pairs):");
Console.WriteLine($"{"",-44}{"P@1",8}{"MAP@R",8}{"pair acc",10}{"AUC",8}{"time",9}");
void Row(string name, RetrievalMetrics r, PairMetrics p, TimeSpan t)
    => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44}{r.PrecisionAt1,8:F4}{r.MapAtR,8:F4}{p.Accuracy,10:F4}{p.AreaUnderRocCurve,8:F4}{t.TotalSeconds,8:F0}s"));
Row(!s.KeptStart ? "photos recipe (trained head, Euclidean)" : s.StartWhitening is null ? "photos recipe (head kept untrained, Euclidean)" : "photos recipe (whitened head, Euclidean)", ourRetrieval, ourPairs, ours.Elapsed);
Row("peer: ResNet18 features, no training, cosine", peerRetrieval, peerPairs, peer.Elapsed);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"difference (recipe - peer)",-44}{ourRetrieval.PrecisionAt1 - peerRetrieval.PrecisionAt1,8:+0.0000;-0.0000}{ourRetrieval.MapAtR - peerRetrieval.MapAtR,8:+0.0000;-0.0000}{ourPairs.Accuracy - peerPairs.Accuracy,10:+0.0000;-0.0000}{ourPairs.AreaUnderRocCurve - peerPairs.AreaUnderRocCurve,8:+0.0000;-0.0000}"));
Console.WriteLine($"Recipe time: training {trainTime.TotalSeconds:F0} s (of which featurizing {s.FeaturizationTime.TotalSeconds:F0} s) + embedding the unseen photos through the saved zip {scoringTime.TotalSeconds:F0} s. "
    + $"Peer time: featurizing ten photos of each training class (for its threshold) and the unseen photos.");

// 4. Pictures.
Figures.LossCurve(s.LossHistory, $"photos recipe: training loss ({s.Loss}), {s.LossHistory.Count} iterations", Path.Combine(output, "loss.png"));
Figures.Roc([("photos recipe", ourDistances, new SKColor(20, 60, 160)), ("peer (untrained, cosine)", peerDistances, new SKColor(220, 120, 0))], pairs.Same, Path.Combine(output, "roc.png"));
var queries = unseenLabels.Distinct().Take(6).Select(label => unseenLabels.IndexOf(label)).ToList();
var rows = queries.Select(q => (q, Enumerable.Range(0, unseen.Count).Where(i => i != q)
    .OrderBy(i => TensorPrimitives.Distance(ourEmbeddings[q], ourEmbeddings[i])).Take(9).ToArray())).ToList();
Figures.Neighbours(unseenPaths, unseenLabels, rows, Path.Combine(output, "neighbours.png"));
Console.WriteLine($"Wrote {zip}, loss.png, roc.png and neighbours.png to {Path.GetFullPath(output)}.");

// 5. Identify: a gallery of one photo per enrolled unseen class, "unknown" for the classes never enrolled.
Console.WriteLine(OpenSetDemo.Run(ml, zip, unseen, ourEmbeddings, seed));
Console.WriteLine($"Total {total.Elapsed.TotalMinutes:F1} min.");
return 0;
