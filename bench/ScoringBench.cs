using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using MLNet.Siamese.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Siamese.Bench;

/// <summary>
/// Scoring through the saved model (ml.Model.Save then Load: ML.NET's ONNX transformer, no libtorch) against a raw
/// TorchSharp forward of the same network in eval mode under no_grad, on the same feature vectors (a feature-vector
/// model, so image decoding is not part of either side).
/// </summary>
internal static class ScoringBench
{
    public const int Size = 784;
    private const int Chunk = 256;

    public sealed class FeaturePair
    {
        [VectorType(Size)] public float[] LeftFeatures { get; set; } = Array.Empty<float>();
        [VectorType(Size)] public float[] RightFeatures { get; set; } = Array.Empty<float>();
    }

    public sealed class FeatureItem
    {
        [VectorType(Size)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    public static void Run(MLContext ml, Results results, SiameseModel model, float[] features, int count, string scratch)
    {
        var spec = model.Network;
        if (spec.InputSize != Size) throw new InvalidOperationException($"Scoring bench expects {Size} inputs, the model has {spec.InputSize}.");
        string pairsZip = Path.Combine(scratch, "pairs.zip"), embedderZip = Path.Combine(scratch, "embedder.zip");
        ml.Model.Save(model.PairScorer, null, pairsZip);
        ml.Model.Save(model.Embedder, null, embedderZip);
        var pairScorer = ml.Model.Load(pairsZip, out _);
        var embedder = ml.Model.Load(embedderZip, out _);

        int n = Math.Min(count, 1024);
        float[] Row(int i) => features.AsSpan((i % count) * Size, Size).ToArray();
        var items = Enumerable.Range(0, n).Select(i => new FeatureItem { Features = Row(i) }).ToList();
        var pairs = Enumerable.Range(0, n / 2).Select(i => new FeaturePair { LeftFeatures = Row(2 * i), RightFeatures = Row(2 * i + 1) }).ToList();

        using var network = new EmbeddingNetwork(spec);
        network.eval();

        // Embeddings, batch: saved embedder Transform over n rows vs TorchSharp forward in chunks of 256.
        var itemView = ml.Data.LoadFromEnumerable(items);
        double mlEmbed = n / Stats.MedianSeconds(() => Drain(embedder.Transform(itemView), SiameseModel.EmbeddingColumnName), 1, 3);
        double torchEmbed = n / Stats.MedianSeconds(() => TorchEmbed(network, features, n, count, Chunk), 1, 3);
        double torchEmbed1 = n / Stats.MedianSeconds(() => TorchEmbed(network, features, n, count, 1), 1, 3);
        results.Add(new Figure("scoring", "embeddings/s, saved embedder Transform", mlEmbed, "items/s", torchEmbed, "torch fwd batch 256", 1.0, $"compact net, {n} items; ONNX Runtime through ML.NET"));
        results.Add(new Figure("scoring", "embeddings/s, saved embedder Transform (vs batch 1)", mlEmbed, "items/s", torchEmbed1, "torch fwd batch 1", 1.0, "ML.NET's ONNX transformer runs one row per call"));

        // Test-time views: the same embedder exported with the nine standard views, through ML.NET's ApplyOnnxModel.
        double Rate(NetworkSpec withViews)
        {
            string onnx = Path.Combine(scratch, $"embedder-{withViews.TestTimeViews?.Count ?? 1}{(withViews.InputNormalization is null ? "" : "-normalized")}.onnx");
            OnnxExporter.ExportEmbedderToFile(withViews, network.ExportWeights(), onnx);  // speed does not depend on the weight values
            var transformer = ml.Transforms.ApplyOnnxModel(onnx).Fit(itemView);
            return n / Stats.MedianSeconds(() => Drain(transformer.Transform(itemView), "Embedding"), 1, 3);
        }
        double oneView = Rate(spec with { TestTimeViews = null });
        double nineViews = Rate(spec with { TestTimeViews = EmbeddingView.Standard });
        results.Add(new Figure("scoring", "embeddings/s, 9 standard test-time views", nineViews, "items/s", oneView, "1 view", null,
            "EmbeddingView.Standard in the ONNX graph (GridSample per view, then the mean); ApplyOnnxModel on the exported embedder"));
        double normalizedViews = Rate(spec with { InputNormalization = new MomentNormalization(0.25), TestTimeViews = EmbeddingView.Standard });
        results.Add(new Figure("scoring", "embeddings/s, moment normalization + 9 views", normalizedViews, "items/s", nineViews, "9 views alone", null,
            "MomentNormalization measured in the graph and composed with each view's GridSample"));

        // Pairs, batch: saved pair scorer Transform vs TorchSharp forward of both sides + distance, chunks of 256 pairs.
        var pairView = ml.Data.LoadFromEnumerable(pairs);
        int np = pairs.Count;
        double mlPairs = np / Stats.MedianSeconds(() => Drain(pairScorer.Transform(pairView), "Score"), 1, 3);
        double torchPairs = np / Stats.MedianSeconds(() => TorchPairs(network, features, np, count, Chunk), 1, 3);
        results.Add(new Figure("scoring", "pairs/s, saved pair scorer Transform", mlPairs, "pairs/s", torchPairs, "torch fwd batch 256", 1.0, $"{np} pairs"));

        // Pairs, one at a time: PredictionEngine vs TorchSharp forward of one pair (2 items).
        using var engine = ml.Model.CreatePredictionEngine<FeaturePair, PairPrediction>(pairScorer);
        double engineRate = np / Stats.MedianSeconds(() => { foreach (var p in pairs) engine.Predict(p); }, 1, 3);
        double torchOne = np / Stats.MedianSeconds(() => TorchPairs(network, features, np, count, 1), 1, 3);
        results.Add(new Figure("scoring", "pairs/s, PredictionEngine (one pair per call)", engineRate, "pairs/s", torchOne, "torch fwd 1 pair", 1.0, "single thread of calls"));
    }

    private static void Drain(IDataView view, string column)
    {
        var col = view.Schema[column];
        using var cursor = view.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext()) getter(ref value);
    }

    private static float[] TorchEmbed(EmbeddingNetwork network, float[] features, int n, int count, int chunk)
    {
        int d = network.Spec.EmbeddingDimension;
        var result = new float[n * d];
        using var noGrad = no_grad();
        for (int start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            int m = Math.Min(chunk, n - start);
            var x = tensor(Slice(features, start, m, count), new long[] { m, 1, 28, 28 });
            network.forward(x).data<float>().CopyTo(result.AsSpan(start * d, m * d));
        }
        return result;
    }

    private static float[] TorchPairs(EmbeddingNetwork network, float[] features, int pairs, int count, int chunk)
    {
        var result = new float[pairs];
        using var noGrad = no_grad();
        for (int start = 0; start < pairs; start += chunk)
        {
            using var scope = NewDisposeScope();
            int m = Math.Min(chunk, pairs - start);
            var x = tensor(Slice(features, 2 * start, 2 * m, count), new long[] { m, 2, 1, 28, 28 });
            var left = network.forward(x.select(1, 0));
            var right = network.forward(x.select(1, 1));
            var d = (left - right).pow(2).sum(1).sqrt();
            d.data<float>().CopyTo(result.AsSpan(start, m));
        }
        return result;
    }

    private static float[] Slice(float[] features, int start, int m, int count)
    {
        var x = new float[m * Size];
        for (int i = 0; i < m; i++) features.AsSpan(((start + i) % count) * Size, Size).CopyTo(x.AsSpan(i * Size));
        return x;
    }
}
