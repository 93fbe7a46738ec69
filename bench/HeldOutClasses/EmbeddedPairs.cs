using System.Numerics.Tensors;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Bench.HeldOutClasses;

/// <summary>
/// Pair metrics of the held-out items from their embeddings, computed once: balanced same/different-class pairs drawn
/// with a seed, scored as the saved pair scorer scores them (the model's distance scale, offset and threshold). Each
/// image is embedded once instead of once per pair it appears in.
/// </summary>
internal static class EmbeddedPairs
{
    public static PairMetrics Evaluate(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels, PairScoring scoring, int count, int seed)
    {
        var random = new Random(seed);
        var byClass = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).Select(g => g.ToArray()).Where(g => g.Length >= 2).ToArray();
        var scores = new float[count];
        var same = new bool[count];
        for (int k = 0; k < count; k++)
        {
            int left, right;
            same[k] = k % 2 == 0;
            if (same[k])
            {
                var items = byClass[random.Next(byClass.Length)];
                int a = random.Next(items.Length), b = random.Next(items.Length - 1);
                (left, right) = (items[a], items[b >= a ? b + 1 : b]);
            }
            else
            {
                do (left, right) = (random.Next(labels.Count), random.Next(labels.Count)); while (labels[left] == labels[right]);
            }
            float d = TensorPrimitives.Distance(embeddings[left], embeddings[right]);
            scores[k] = 1f / (1f + MathF.Exp(-(scoring.DistanceScale * d + scoring.DistanceOffset)));
        }
        return PairMetrics.Compute(scores, same, scores.Select(s => s >= scoring.Threshold).ToArray());
    }
}
