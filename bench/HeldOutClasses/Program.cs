// How a recipe does on classes it never trained on: trains on some classes of a labelled set and reports, on the held-out
// classes, retrieval (P@1, MAP@R) and pair metrics (accuracy at the threshold calibrated on the training classes, AUC).
//   dotnet run -c Release --project bench/HeldOutClasses -- --recipe general --data FOLDER|ZIP|IDX-IMAGES [--test-data FOLDER|ZIP|IDX-IMAGES]
//       [--label-depth N] [--held-out-fraction 0.3] [--iterations N] [--seed 1]
//       [--fine-tune N] [--fine-tune-size S] [--backbone-lr-scale X] [--loss NAME] [--learning-rate X] [--temperature X] [--minimum-gain X] [--patience N]
//       [--validation-fraction X] [--no-photo-augmentation] [--whitening auto|pca|within-class|none] [--mirror-views on|off|auto] [--help]
// Held-out classes: the last fraction of the class names in ordinal order (IDX: of the label numbers). With --test-data
// (an IDX test file), training reads the training classes of --data and evaluation the held-out classes of --test-data.
// With --test-data a folder or .zip of images, every class of --data trains and the classes of --test-data that --data
// lacks are evaluated (Omniglot: --data images_background_small1.zip --test-data images_background_small2.zip
// --label-depth 2 evaluates Japanese_(katakana), Sanskrit and Tagalog).
using System.Diagnostics;
using System.Globalization;
using MLNet.Siamese;
using MLNet.Siamese.Bench.HeldOutClasses;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(Arguments.Usage);
    return 0;
}
Arguments arguments;
try
{
    arguments = Arguments.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"{e.Message}\n{Arguments.Usage}");
    return 2;
}
var ml = new MLContext(seed: arguments.Seed);
var clock = Stopwatch.StartNew();

HeldOutSplit split = HeldOutSplit.Load(ml, arguments);
Console.WriteLine($"Training classes ({split.TrainClasses.Count}): {string.Join(", ", split.TrainClasses)}");
Console.WriteLine($"Held-out classes ({split.TestClasses.Count}): {string.Join(", ", split.TestClasses)}; {split.TestCount} items");

var recipe = SiameseRecipes.Get(arguments.Recipe);
SiameseTrainerOptions options = split.Side is { } side ? recipe.CreateOptions(side, inputSizeFixed: true) : recipe.CreateOptions();
if (split.Side is not null) { options.ImageColumnName = null; options.FeatureColumnName = "Features"; options.GroupColumnName = null; options.WithinGroup = false; }
if (arguments.Iterations is { } iterations) options.Iterations = iterations;
if (arguments.FineTune is { } stages) options.FineTuneStages = stages;
if (arguments.NoPhotoAugmentation) options.PhotoAugmentation = null;
if (arguments.MirrorViews is { } mirror) (options.MirrorViews, options.SelectMirrorViews) = (mirror == "on", mirror == "auto");
if (arguments.Whitening is { } whitening) PhotosRecipe.ChooseWhitening(options, whitening);
if (arguments.FineTuneSize is { } fineTuneSize) options.Geometry = ImageGeometry.Square(fineTuneSize, channels: 3);
if (arguments.BackboneLearningRateScale is { } scale) options.BackboneLearningRateScale = scale;
if (arguments.Loss is { } loss) options.Loss = TrainingObjectives.LossOf(loss);
if (arguments.LearningRate is { } rate) options.LearningRate = rate;
if (arguments.Temperature is { } temperature) options.Temperature = temperature;
if (arguments.MinimumGain is { } gain) options.ValidationMinimumGain = gain;
if (arguments.Patience is { } patience) options.EarlyStoppingPatience = patience;
if (arguments.ValidationFraction is { } validationFraction) options.ValidationClassFraction = validationFraction;
options.Seed = arguments.Seed;
options.ProgressInterval = Math.Max(1, options.Iterations / 10);
options.Progress = new Progress(p => Console.WriteLine($"  iteration {p.Iteration}/{p.TotalIterations} loss {p.Loss:F4}"));
Console.WriteLine($"Recipe {recipe.Name}: {options.Loss}, {options.Iterations} iterations, network {options.ResolveNetwork().Name} at {options.ResolveGeometry()}, fine-tuned stages {options.FineTuneStages}");
var model = ml.Siamese().Train(options).Fit(split.Train);
double trainSeconds = clock.Elapsed.TotalSeconds;

// Each held-out item is embedded once; cosine ranks as Euclidean distance between the unit-length vectors.
var embedded = model.Embedder.Transform(split.Test);
var vectors = embedded.GetColumn<float[]>(SiameseModel.EmbeddingColumnName).ToList();
var labels = embedded.GetColumn<string>("Label").ToList();
var euclidean = RetrievalMetrics.Compute(vectors, labels);
var cosine = RetrievalMetrics.Compute(vectors.Select(v => { float n = System.Numerics.Tensors.TensorPrimitives.Norm(v); return v.Select(x => x / Math.Max(n, 1e-12f)).ToArray(); }).ToList(), labels);
var metrics = EmbeddedPairs.Evaluate(vectors, labels, model.Scoring, 2000, arguments.Seed + 100);
Console.WriteLine();
Console.WriteLine($"RESULT recipe={recipe.Name} data={Path.GetFileName(arguments.Data)} iterations={model.Summary.Iterations} train_s={trainSeconds:F0} "
    + $"P@1={euclidean.PrecisionAt1:F4} MAP@R={euclidean.MapAtR:F4} (cosine P@1={cosine.PrecisionAt1:F4} MAP@R={cosine.MapAtR:F4}) "
    + $"pair_accuracy={metrics.Accuracy:F4} AUC={metrics.AreaUnderRocCurve:F4} EER={metrics.EqualErrorRate:F4} total_s={clock.Elapsed.TotalSeconds:F0} "
    + $"start_validation={model.Summary.StartValidation:F4} best_validation={(model.Summary.ValidationHistory.Count == 0 ? double.NaN : model.Summary.ValidationHistory.Max(v => v.Value)):F4} kept_start={model.Summary.KeptStart}");
if (model.Summary.BackboneSelection is { } selection) Console.WriteLine($"Backbone features: {selection}");
if (model.Summary.WhiteningValidation.Count > 0)
    Console.WriteLine($"Whitened starts (held-out MAP@R): {string.Join("; ", model.Summary.WhiteningValidation.Select(w => $"{w.Key}: {w.Value:F4}"))}; start {(model.Summary.StartWhitening is { } w ? $"whitened ({w})" : "identity")}");
foreach (var (start, gains) in model.Summary.WhiteningFoldGains)
    Console.WriteLine($"  {start}: gains over the identity on folds of the training classes {string.Join(", ", gains.Select(g => g.ToString("+0.0000;-0.0000")))}");
if (model.Summary.DescribeHeldOutChoice() is { } choice) Console.WriteLine(choice);
Console.WriteLine("Validation: " + string.Join(", ", model.Summary.ValidationHistory.Select(v => $"{v.Key}:{v.Value:F4}")));
return 0;

internal sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
