// Identify, not only compare, on the embedded Omniglot data. A network is trained with the handwriting recipe on the
// background alphabets of images_background_small1 (fewer iterations than the recipe's, to stay within minutes); the
// alphabets of images_background_small2 it never saw are split by character: 70 % are enrolled with ONE drawing each,
// 30 % are never enrolled. The identifier (embedder + gallery in one ML.NET zip) is calibrated on the gallery alone for
// a 1 % false-accept rate, then asked about every other drawing: the enrolled characters' 19 others (known queries) and
// all 20 drawings of the never-enrolled characters (impostors). Prints DIR@FAR 1 %, rank-1, rank-5 and the false-accept
// rate the calibrated threshold really has on the fresh impostors; writes the zip and a picture of answers.
// Usage: dotnet run -c Release --project examples/Identification [-- --iterations N --seed S --out DIR]
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Examples.Identification;
using MLNet.Siamese.Identification;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Examples.Shared;

int iterations = Argument(args, "--iterations", 500);
int seed = Argument(args, "--seed", 1);
string output = Path.GetFullPath(args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "identification-output");
Directory.CreateDirectory(output);
var inv = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: seed);

// 1. Data: train on small1; the small2 alphabets small1 lacks are never seen in training.
var folders = new ImageFolderOptions { LabelDepth = 2 };
var background = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), folders);
var trainingAlphabets = background.Select(e => e.Group).ToHashSet();
var unseen = ImageFolder.Scan(EmbeddedOmniglot.FindSmall2(), folders).Where(e => !trainingAlphabets.Contains(e.Group)).ToList();
var characters = unseen.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
new Random(seed).Shuffle(characters);
var neverEnrolled = characters.Take((int)Math.Round(0.3 * characters.Length)).ToHashSet();
var gallery = unseen.Where(e => !neverEnrolled.Contains(e.Label)).GroupBy(e => e.Label).Select(g => g.First()).ToList();
var galleryPaths = gallery.Select(e => e.ImagePath).ToHashSet();
var queries = unseen.Where(e => !galleryPaths.Contains(e.ImagePath)).ToList();
Console.WriteLine($"Training on {background.Count} drawings of {background.Select(e => e.Label).Distinct().Count()} characters; "
    + $"unseen alphabets: {characters.Length} characters, {characters.Length - neverEnrolled.Count} enrolled with one drawing, {neverEnrolled.Count} never enrolled.");

// 2. Train (the handwriting recipe with fewer iterations).
var options = SiameseRecipes.Handwriting.CreateOptions();
options.Iterations = iterations;
options.Seed = seed;
options.ProgressInterval = Math.Max(1, iterations / 10);
options.Progress = new Progress<TrainingProgress>(p => Console.WriteLine($"  iteration {p.Iteration}/{p.TotalIterations}: loss {p.Loss:F4}"));
using var model = ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(background));   // disposed at the end: its ONNX copies leave the temp folder
Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F0} s.");

// 3. Enrol: one drawing per enrolled character; the reject threshold is calibrated on the gallery alone.
#region enroll
var identifier = ml.Siamese().Enroll(model, ml.Data.LoadFromEnumerable(gallery), new EnrollmentOptions { K = 5, TargetFalseAcceptRate = 0.01 });
string zip = Path.Combine(output, "identifier.zip");
identifier.Save(zip);
#endregion
Console.WriteLine($"Enrolled {identifier.Gallery.Count} drawings; threshold {identifier.Threshold:F4} ({identifier.Calibration}); saved {zip}");

// 4. Identify every other drawing with the saved zip, loaded by ML.NET alone.
#region identify
var loaded = ml.Model.Load(zip, out _);
using var releaseLoaded = loaded as IDisposable;   // disposing deletes the ONNX copies ML.NET made to load it
var engine = ml.Model.CreatePredictionEngine<ImageFolderEntryRow, IdentificationPrediction>(loaded);
var first = engine.Predict(new ImageFolderEntryRow { ImagePath = queries[0].ImagePath });
Console.WriteLine($"One query through a PredictionEngine: {queries[0].Label} -> {first.PredictedLabel[0]} at {first.Distance[0]:F4} (confidence {first.Confidence[0]:F3})");
var results = identifier.Identify(ml.Data.LoadFromEnumerable(queries));
#endregion

// 5. Open-set metrics.
var enrolled = gallery.Select(e => e.Label).ToHashSet();
var outcomes = results.Select((r, i) => new IdentificationOutcome(queries[i].Label, enrolled.Contains(queries[i].Label), r.NeighborLabels, r.Distance)).ToList();
var calibrated = OpenSetIdentificationMetrics.AtThreshold(outcomes, identifier.Threshold);
var atFar = OpenSetIdentificationMetrics.Compute(outcomes, 0.01);
Console.WriteLine();
Console.WriteLine($"Known queries {calibrated.EnrolledQueryCount}, impostor queries {calibrated.ImpostorQueryCount} ({neverEnrolled.Count} never-enrolled characters)");
Console.WriteLine(string.Create(inv, $"Closed-set rank-1:                               {calibrated.Rank1:P2}"));
Console.WriteLine(string.Create(inv, $"Closed-set rank-5:                               {calibrated.Rank5:P2}"));
Console.WriteLine(string.Create(inv, $"DIR@FAR 1 % (threshold set on these impostors): {atFar.DetectionAndIdentificationRate:P2}"));
Console.WriteLine(string.Create(inv, $"At the calibrated threshold {identifier.Threshold:F4}: FAR on fresh impostors {calibrated.FalseAcceptRate:P2} (target 1 %), DIR {calibrated.DetectionAndIdentificationRate:P2}"));

// 6. A picture: six known queries and six impostors, each with its answer and nearest drawings.
string picture = Path.Combine(output, "answers.png");
var known = Enumerable.Range(0, queries.Count).Where(i => outcomes[i].IsEnrolled).Take(6);
var impostors = Enumerable.Range(0, queries.Count).Where(i => !outcomes[i].IsEnrolled).Where((_, n) => n % 40 == 0).Take(6);
AnswerPicture.Write(picture, known.Concat(impostors).Select(i => (queries[i].ImagePath, outcomes[i].IsEnrolled, queries[i].Label, results[i])).ToList());
Console.WriteLine($"Picture of answers: {picture}");
Console.WriteLine($"Total {clock.Elapsed.TotalSeconds:F0} s.");
return 0;

static int Argument(string[] args, string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
