using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLNet.Siamese.Augmentation;
using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Sampling;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Photos: ResNet18 images/s through ML.NET's <c>DnnFeaturizeImage</c> against a raw ONNX Runtime session on the same
/// files, and fine-tuning examples/s of the trainer (<see cref="SiameseTrainerOptions.FineTuneStages"/>) against a minimal
/// TorchSharp loop doing the same forward, backward and step, interval by interval in this process.
/// </summary>
internal static class FineTuneBench
{
    private const int Side = 224;

    public static void Run(MLContext ml, Results results, string photoFolder, IReadOnlyList<(int Size, int Stages)> configurations, int stepsPerInterval, int intervals)
    {
        var entries = ImageFolder.Scan(photoFolder).GroupBy(e => e.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Take(10).SelectMany(g => g.Take(8)).ToList();
        Featurizer(ml, results, entries.Take(40).Select(e => e.ImagePath).ToList());
        foreach (var (size, stages) in configurations)
            Training(ml, results, entries, size, stages, stepsPerInterval, intervals);
    }

    /// <summary>The same decoded 224 px pixels through ML.NET's featurizer and through two raw ONNX Runtime sessions.</summary>
    private static void Featurizer(MLContext ml, Results results, List<string> paths)
    {
        var pixels = DecodePixels(ml, Side, paths);
        int length = 3 * Side * Side;
        var rows = Enumerable.Range(0, paths.Count).Select(i => new PixelRow { Pixels = pixels.AsSpan(i * length, length).ToArray() }).ToList();
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        var view = ml.Data.LoadFromEnumerable(rows, schema);
        string models = PretrainedBackbone.ResNet18.ResolveModelDirectory();
        var featurizer = ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn, models), nameof(PixelRow.Pixels)).Fit(view);
        void ThroughMlNet()
        {
            var column = featurizer.Transform(view).GetColumn<VBuffer<float>>("Features");
            foreach (var _ in column) { }
        }
        using var prep = new InferenceSession(Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        using var main = new InferenceSession(Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx"));
        void ThroughOrt()
        {
            foreach (var row in rows)
            {
                using var input = OrtValue.CreateTensorValueFromMemory(row.Pixels, new long[] { 1, 3, Side, Side });
                using var prepared = prep.Run(new RunOptions(), ["OriginalInput"], [input], ["PreprocessedInput"]);
                using var output = main.Run(new RunOptions(), ["Input247"], [prepared[0]], [main.OutputMetadata.Keys.First()]);
            }
        }
        double mlnet = paths.Count / Stats.MedianSeconds(ThroughMlNet, warmup: 1, repeats: 3);
        double ort = paths.Count / Stats.MedianSeconds(ThroughOrt, warmup: 1, repeats: 3);
        results.Add(new Figure("photos", "ResNet18 224 px: images/s, ML.NET DnnFeaturizeImage", mlnet, "images/s", ort, "raw ONNX Runtime sessions", null,
            $"{paths.Count} decoded Caltech photos (pixels in memory, decoding excluded on both sides); the preprocessing and ResNet18 ONNX files of the package, one image per call on both sides; medians of 3"));
    }

    /// <summary>The trainer fine-tuning the last stages against the minimal loop, alternated interval by interval.</summary>
    private static void Training(MLContext ml, Results results, List<ImageFolderEntry> entries, int size, int stages, int k, int intervals)
    {
        var pixels = DecodePixels(ml, size, entries.Select(e => e.ImagePath).ToList());
        var labels = entries.Select(e => e.Label).ToArray();
        var options = SiameseRecipes.Photos.CreateOptions();
        options.FineTuneStages = stages;
        options.Geometry = ImageGeometry.Square(size, channels: 3);
        options.ValidationClassFraction = 0;
        options.EarlyStoppingPatience = 0;
        options.Iterations = k * (intervals + 1);
        options.ProgressInterval = k;
        options.Seed = 1;
        options.CalibrationPairs = 50;
        int batch = options.Ways * (options.Shots + options.Queries);
        var loopRates = new List<double>();
        using var loop = new Loop(size, stages, pixels, labels, options);
        loop.Rates(k, 0);
        var stamps = new List<(long At, long Resume)>();
        options.Progress = new Sink(() =>
        {
            long now = Stopwatch.GetTimestamp();
            loopRates.AddRange(loop.Rates(k, 1));
            stamps.Add((now, Stopwatch.GetTimestamp()));
        });
        ml.Siamese().Train(options).Fit(ml.Data.LoadFromEnumerable(entries)).Dispose();
        var trainerRates = new List<double>();
        for (int i = 1; i < stamps.Count; i++) trainerRates.Add(k / Stats.Seconds(stamps[i - 1].Resume, stamps[i].At));
        double trainer = Stats.Median(trainerRates) * batch, reference = Stats.Median(loopRates) * batch;
        results.Add(new Figure("photos", $"fine-tune ResNet18 last {stages} stage(s) at {size} px: trainer examples/s", trainer, "examples/s", reference, "minimal loop", 0.95,
            $"{batch} photos per step (prototypical 10 ways x 6), photo augmentation, frozen batch norm; {1000 * batch / trainer:F0} ms/step vs {1000 * batch / reference:F0}; intervals of {k} steps alternated ({trainerRates.Count}/{loopRates.Count}), medians"));
    }

    /// <summary>Photos as the fine-tuned pipeline decodes them: centre crop to the side, RGB 0..255 planes.</summary>
    private static float[] DecodePixels(MLContext ml, int side, List<string> paths)
    {
        var view = ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));
        var chain = ml.Transforms.LoadImages("Pixels", null, nameof(PathRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("Pixels", side, side, "Pixels", Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.IsoCrop, Microsoft.ML.Transforms.Image.ImageResizingEstimator.Anchor.Center))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Pixels", Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Rgb, interleavePixelColors: false));
        return chain.Fit(view).Transform(view).GetColumn<VBuffer<float>>("Pixels").SelectMany(v => v.DenseValues()).ToArray();
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }

    private sealed class Sink(Action report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report();
    }

    /// <summary>
    /// The minimal loop: ResNet18 + head from public types, ImageNet weights, the frozen layers' parameters without
    /// gradients, every batch norm in evaluation mode, Adam with the two learning rates, the photo augmentation, a
    /// prototypical episode of the same shape drawn at random, one dispose scope per step.
    /// </summary>
    private sealed class Loop : IDisposable
    {
        private readonly EmbeddingNetwork _network;
        private readonly optim.Optimizer _adam;
        private readonly Tensor _items;
        private readonly Dictionary<string, int[]> _byClass;
        private readonly SiameseTrainerOptions _options;
        private readonly SiameseRandom _random = new(7);
        private readonly Random _draw = new(7);

        public Loop(int size, int stages, float[] pixels, string[] labels, SiameseTrainerOptions options)
        {
            _options = options;
            var spec = ResNet18Network.Create(size, PretrainedBackbone.ResNet18.Head());
            _network = new EmbeddingNetwork(spec);
            _network.LoadWeights(ResNet18Weights.Import(PretrainedBackbone.ResNet18.ResolveModelDirectory(), size));
            int frozen = ResNet18Network.FrozenLayerCount(stages);
            var trunk = new List<TorchSharp.Modules.Parameter>();
            var head = new List<TorchSharp.Modules.Parameter>();
            foreach (var (name, p) in _network.named_parameters())
            {
                int layer = int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
                if (layer < frozen || name.Contains("bn", StringComparison.Ordinal)) p.requires_grad = false;
                else (layer < ResNet18Network.PoolingLayer ? trunk : head).Add(p);
            }
            _network.train();
            foreach (var (_, module) in _network.named_modules())
                if (module is TorchSharp.Modules.BatchNorm2d) module.eval();
            _adam = optim.Adam(new[] { new TorchSharp.Modules.Adam.ParamGroup(trunk, options.LearningRate * options.BackboneLearningRateScale), new TorchSharp.Modules.Adam.ParamGroup(head, options.LearningRate) }, options.LearningRate);
            _items = tensor(pixels, new long[] { labels.Length, 3, size, size });
            _byClass = labels.Select((l, i) => (l, i)).GroupBy(x => x.l).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());
        }

        private void Step()
        {
            using var scope = NewDisposeScope();
            _adam.zero_grad();
            int ways = _options.Ways, shots = _options.Shots, queries = _options.Queries, per = shots + queries;
            var classes = _byClass.Keys.OrderBy(_ => _draw.Next()).Take(ways).ToList();
            var index = classes.SelectMany(c => _byClass[c].OrderBy(_ => _draw.Next()).Take(per)).Select(i => (long)i).ToArray();
            var x = _options.PhotoAugmentation!.Apply(_items.index_select(0, tensor(index)), _random);
            var e = _network.forward(x).view(ways, per, -1);
            var prototypes = e.narrow(1, 0, shots).mean(new long[] { 1 });
            var q = e.narrow(1, shots, queries).reshape(ways * queries, -1);
            var logits = -cdist(q, prototypes).pow(2);
            var target = arange(ways).repeat_interleave(queries);
            var loss = nn.functional.cross_entropy(logits, target);
            loss.backward();
            _adam.step();
        }

        public List<double> Rates(int steps, int intervals)
        {
            if (intervals == 0) { for (int i = 0; i < steps; i++) Step(); return []; }
            var rates = new List<double>();
            for (int k = 0; k < intervals; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < steps; i++) Step();
                rates.Add(steps / Stats.Seconds(t0, Stopwatch.GetTimestamp()));
            }
            return rates;
        }

        public void Dispose()
        {
            _items.Dispose();
            _adam.Dispose();
            _network.Dispose();
        }
    }
}
