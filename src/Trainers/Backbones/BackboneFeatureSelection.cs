using System.Diagnostics;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Networks;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// Chooses which features of the untrained backbone a head trains on (<see cref="Trainers.SiameseTrainerOptions.SelectBackboneFeatures"/>):
/// the depth (ResNet18's whole trunk, or cut after stage 3) and the image size (224, 112 or 64 px). Each candidate's
/// features of a sample of the training images are compared by cosine distance, and their MAP@R over the training
/// classes decides: the backbone has been trained on none of them, so every training class is as unseen to it as a test
/// class. The featurizer's own features (whole trunk, 224 px) are kept unless another candidate beats them by
/// <see cref="MinimumGain"/>.
/// </summary>
/// <remarks>
/// Measured (docs/photos.md, "Narrow domains"): on Caltech-101 photos the whole trunk at 224 px is best by far on the
/// training classes and on unseen ones; on 28 px clothing (Fashion-MNIST) and 105 px pen strokes (Omniglot) stage 3 at
/// 112 or 64 px is, on the training classes and on the unseen ones alike.
/// </remarks>
internal static class BackboneFeatureSelection
{
    /// <summary>The candidates (stages kept, image side), the featurizer's own first.</summary>
    public static IReadOnlyList<(int Stages, int ImageSize)> Candidates { get; } = [(4, 224), (4, 112), (3, 112), (4, 64), (3, 64)];

    /// <summary>Most training images featurized per candidate (drawn evenly from the classes).</summary>
    public const int SampleSize = 1500;

    /// <summary>How much a candidate's MAP@R must exceed the featurizer's own features' to replace them: 0.03, the photos recipe's margin.</summary>
    public const double MinimumGain = 0.03;

    /// <summary>
    /// How much the chosen features averaged over each photo and its mirror image must gain in MAP@R on the training
    /// classes to turn <see cref="Trainers.SiameseTrainerOptions.MirrorViews"/> on (with
    /// <see cref="Trainers.SiameseTrainerOptions.SelectMirrorViews"/>): 0.005. Measured (docs/photos.md, "Mirrored views").
    /// </summary>
    public const double MinimumMirrorGain = 0.005;

    /// <summary>Images embedded at once by the TorchSharp trunk.</summary>
    private const int Chunk = 32;

    /// <summary>Measures every candidate on the training images and returns them, the chosen one marked.</summary>
    /// <param name="context">The ML.NET context (decoding, and the featurizer for the 224 px trunk).</param>
    /// <param name="backbone">The whole backbone (<see cref="PretrainedBackbone.ResNet18"/>).</param>
    /// <param name="paths">Training image files.</param>
    /// <param name="labels">The class of each file.</param>
    /// <param name="seed">Seed of the sample.</param>
    /// <param name="measureMirror">Also measure the chosen features averaged over each photo and its mirror image.</param>
    /// <returns>The measurement.</returns>
    /// <exception cref="InvalidDataException">An image does not decode; the message names the file.</exception>
    public static BackboneSelection Select(MLContext context, PretrainedBackbone backbone, IReadOnlyList<string> paths, IReadOnlyList<string> labels, int seed, bool measureMirror = false)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        if (paths.Count != labels.Count)
            throw new ArgumentException($"{paths.Count} paths but {labels.Count} labels.", nameof(labels));
        var clock = Stopwatch.StartNew();
        var sample = Sample(labels, seed);
        var samplePaths = sample.Select(i => paths[i]).ToList();
        var sampleLabels = sample.Select(i => labels[i]).ToList();
        var features = new Dictionary<(int, int), float[]>();
        var whole = backbone with { Stages = ResNet18Network.Stages, FeatureDimension = ResNet18Network.StageChannels[^1] };
        features[Candidates[0]] = BackboneFeaturizer.Featurize(context, whole, samplePaths, out _);
        foreach (int size in Candidates.Skip(1).Select(c => c.ImageSize).Distinct())
            (features[(3, size)], features[(4, size)]) = EmbedStages3And4(BackboneFeaturizer.DecodePixels(context, size, samplePaths), samplePaths.Count, size, Weights(backbone, size));
        var scores = features.ToDictionary(f => f.Key, f => MapAtR(f.Value, Dimension(f.Key.Item1), sampleLabels));
        double baseline = scores[Candidates[0]];
        var best = Candidates.Skip(1).MaxBy(c => scores[c]);
        var chosen = scores[best] >= baseline + MinimumGain ? best : Candidates[0];
        var measured = Candidates.Select(c => new BackboneCandidate(c.Stages, c.ImageSize, scores[c], c == chosen)).ToList();
        if (!measureMirror)
            return new BackboneSelection(measured, sample.Count, clock.Elapsed);
        // The chosen features of the mirror images, averaged with the photos' own: what MirrorViews would train on. The
        // photos are decoded a chunk at a time (1,387 photos at 224 px are 835 MB of pixels).
        int dimension = Dimension(chosen.Stages), perChunk = Math.Max(1, FrozenPrefix.DecodeChunkValues / (3 * chosen.ImageSize * chosen.ImageSize));
        var averaged = features[chosen].ToArray();
        var weights = Weights(backbone, chosen.ImageSize);   // read once, not once per chunk
        for (int start = 0; start < samplePaths.Count; start += perChunk)
        {
            var chunk = samplePaths.Skip(start).Take(perChunk).ToList();
            var mirrored = MirrorImages(BackboneFeaturizer.DecodePixels(context, chosen.ImageSize, chunk), chosen.ImageSize);
            var (mirror3, mirror4) = EmbedStages3And4(mirrored, chunk.Count, chosen.ImageSize, weights);
            var mirror = chosen.Stages == 3 ? mirror3 : mirror4;
            for (int i = 0; i < mirror.Length; i++)
                averaged[start * dimension + i] = (averaged[start * dimension + i] + mirror[i]) / 2;
        }
        double mirroredScore = MapAtR(averaged, dimension, sampleLabels);
        return new BackboneSelection(measured, sample.Count, clock.Elapsed)
        {
            MirroredMapAtR = mirroredScore,
            Mirror = mirroredScore >= scores[chosen] + MinimumMirrorGain,
        };
    }

    private static int Dimension(int stages) => ResNet18Network.StageChannels[stages - 1];

    private static IReadOnlyDictionary<string, WeightTensor> Weights(PretrainedBackbone backbone, int size) => ResNet18Weights.Import(backbone.ResolveModelDirectory(), size);

    /// <summary>Decoded photos (rows of 3 x side x side) mirrored left to right.</summary>
    internal static float[] MirrorImages(float[] pixels, int side)
    {
        var result = new float[pixels.Length];
        for (long row = 0; row < pixels.Length / side; row++)
        {
            var from = pixels.AsSpan((int)(row * side), side);
            var to = result.AsSpan((int)(row * side), side);
            from.CopyTo(to);
            to.Reverse();
        }
        return result;
    }

    /// <summary>True when the labels hold two classes of two items at least: the fewest that give a MAP@R.</summary>
    public static bool CanMeasure(IReadOnlyList<string> labels)
        => labels.GroupBy(l => l, StringComparer.Ordinal).Count(g => g.Count() >= 2) >= 2;

    /// <summary>
    /// Rows of a balanced sample: at most <see cref="SampleSize"/> / classes per class, classes of one item left out; with
    /// more than <see cref="SampleSize"/> / 2 such classes (faces: thousands of people), two items of each of
    /// <see cref="SampleSize"/> / 2 of them drawn at random, so the sample stays at <see cref="SampleSize"/> images.
    /// </summary>
    internal static List<int> Sample(IReadOnlyList<string> labels, int seed)
    {
        var byClass = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i], StringComparer.Ordinal).Where(g => g.Count() >= 2).ToList();
        if (byClass.Count < 2)
            throw new InvalidOperationException("Choosing the backbone's features needs two classes with two images each.");
        var random = new Random(seed);
        if (byClass.Count > SampleSize / 2)
            byClass = byClass.OrderBy(_ => random.Next()).Take(SampleSize / 2).ToList();
        int perClass = Math.Max(2, SampleSize / byClass.Count);
        return byClass.SelectMany(g => g.OrderBy(_ => random.Next()).Take(perClass)).Order().ToList();
    }

    /// <summary>
    /// The average-pooled features of ResNet18 after stage 3 and after stage 4, for decoded pixels, in one pass: the trunk
    /// up to stage 3 gives its maps, which are pooled for the stage-3 features and go on through stage 4.
    /// </summary>
    private static (float[] Stage3, float[] Stage4) EmbedStages3And4(float[] pixels, int count, int size, IReadOnlyDictionary<string, WeightTensor> weights)
    {
        var whole = ResNet18Network.Create(size);
        int cut = ResNet18Network.PoolingLayerOf(3);
        var toStage3 = new NetworkSpec($"resnet18-s3-maps-{size}", 3, size, size, [.. whole.Layers.Take(cut), new FlattenLayer()]);
        var maps = toStage3.InferShapes()[cut].Dimensions;   // (256, size / 16, size / 16)
        var stage4 = new NetworkSpec($"resnet18-stage4-{size}", maps[0], maps[1], maps[2], [.. whole.Layers.Skip(cut).Take(ResNet18Network.PoolingLayer - cut), new GlobalAvgPoolLayer()]);
        using var first = new EmbeddingNetwork(toStage3);
        using var second = new EmbeddingNetwork(stage4);
        first.LoadWeights(ResNet18Weights.ForStages(weights, 3));
        second.LoadWeights(weights.Where(w => ResNet18Weights.LayerOf(w.Key) >= cut)
            .ToDictionary(w => ResNet18Weights.Renumbered(w.Key, -cut), w => w.Value, StringComparer.Ordinal));
        first.eval();
        second.eval();
        int length = 3 * size * size, channels3 = maps[0], channels4 = ResNet18Network.StageChannels[3];
        var result3 = new float[count * channels3];
        var result4 = new float[count * channels4];
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(Chunk, count - start);
            var stage3Maps = first.forward(tensor(pixels.AsSpan(start * length, n * length).ToArray(), [n, length]));
            stage3Maps.reshape(n, channels3, -1).mean([2]).contiguous().data<float>().CopyTo(result3, start * channels3);
            second.forward(stage3Maps).contiguous().data<float>().CopyTo(result4, start * channels4);
        }
        return (result3, result4);
    }

    private static double MapAtR(float[] features, int dimension, IReadOnlyList<string> labels)
        => RetrievalMetrics.Compute(features, dimension, labels, VectorDistance.Cosine).MapAtR;
}
