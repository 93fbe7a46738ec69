using System.Globalization;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Retrieval quality of embeddings, with the definitions of pytorch-metric-learning's <c>AccuracyCalculator</c> when
/// the query set is the reference set: every item is a query against all the other items (the query itself excluded).
/// For a query whose class has R other members: precision@1 = 1 if its nearest neighbour shares its class;
/// R-precision = (same-class items among the R nearest) / R; MAP@R = (1/R) * sum over i = 1..R of P(i) * rel(i), where
/// rel(i) = 1 when the i-th neighbour shares the class and P(i) is the precision over the first i neighbours. Each
/// metric is the mean over queries. A query alone in its class (R = 0) is skipped and counted in
/// <see cref="SkippedQueryCount"/>. Equal distances are broken by item index: the lower index counts as nearer.
/// </summary>
public sealed class RetrievalMetrics
{
    private RetrievalMetrics() { }

    /// <summary>Mean precision@1 over the evaluated queries.</summary>
    public double PrecisionAt1 { get; private init; }

    /// <summary>Mean R-precision over the evaluated queries.</summary>
    public double RPrecision { get; private init; }

    /// <summary>Mean MAP@R over the evaluated queries.</summary>
    public double MapAtR { get; private init; }

    /// <summary>Number of queries evaluated (items whose class has at least one other member).</summary>
    public int QueryCount { get; private init; }

    /// <summary>Number of items skipped as queries because no other item shares their class (they still serve as references).</summary>
    public int SkippedQueryCount { get; private init; }

    /// <summary>The distance the neighbours were ranked by.</summary>
    public VectorDistance Distance { get; private init; }

    /// <summary>Computes the metrics for embeddings given as one array per item.</summary>
    /// <param name="embeddings">One embedding per item, all the same length.</param>
    /// <param name="labels">The class of each item.</param>
    /// <param name="distance">The distance to rank neighbours by.</param>
    /// <returns>The metrics.</returns>
    public static RetrievalMetrics Compute(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, VectorDistance distance = VectorDistance.Euclidean)
        => Compute(EmbeddingMatrix.FromRows(embeddings, distance, nameof(embeddings)), ClassTable.From(labels, nameof(labels)));

    /// <summary>Computes the metrics for embeddings given as one array per item, with text labels.</summary>
    /// <param name="embeddings">One embedding per item, all the same length.</param>
    /// <param name="labels">The class of each item.</param>
    /// <param name="distance">The distance to rank neighbours by.</param>
    /// <returns>The metrics.</returns>
    public static RetrievalMetrics Compute(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> labels, VectorDistance distance = VectorDistance.Euclidean)
        => Compute(EmbeddingMatrix.FromRows(embeddings, distance, nameof(embeddings)), ClassTable.From(labels, nameof(labels)));

    /// <summary>Computes the metrics for embeddings stored row-major in one flat array.</summary>
    /// <param name="embeddings">Item i occupies <c>embeddings[i*dimension .. (i+1)*dimension)</c>.</param>
    /// <param name="dimension">The length of one embedding.</param>
    /// <param name="labels">The class of each item.</param>
    /// <param name="distance">The distance to rank neighbours by.</param>
    /// <returns>The metrics.</returns>
    public static RetrievalMetrics Compute(ReadOnlySpan<float> embeddings, int dimension, IReadOnlyList<int> labels, VectorDistance distance = VectorDistance.Euclidean)
        => Compute(new EmbeddingMatrix(embeddings, dimension, distance, nameof(embeddings)), ClassTable.From(labels, nameof(labels)));

    /// <summary>Computes the metrics for embeddings stored row-major in one flat array, with text labels.</summary>
    /// <param name="embeddings">Item i occupies <c>embeddings[i*dimension .. (i+1)*dimension)</c>.</param>
    /// <param name="dimension">The length of one embedding.</param>
    /// <param name="labels">The class of each item.</param>
    /// <param name="distance">The distance to rank neighbours by.</param>
    /// <returns>The metrics.</returns>
    public static RetrievalMetrics Compute(ReadOnlySpan<float> embeddings, int dimension, IReadOnlyList<string> labels, VectorDistance distance = VectorDistance.Euclidean)
        => Compute(new EmbeddingMatrix(embeddings, dimension, distance, nameof(embeddings)), ClassTable.From(labels, nameof(labels)));

    private static RetrievalMetrics Compute(EmbeddingMatrix matrix, ClassTable classes)
    {
        int n = matrix.Count;
        if (classes.ClassOfRow.Length != n)
            throw new ArgumentException($"There are {n} embeddings but {classes.ClassOfRow.Length} labels.", "labels");
        if (n == 0) throw new ArgumentException("Cannot evaluate retrieval: there are no items.", "embeddings");

        int[] classSize = classes.Sizes;
        int k = classSize.Max() - 1;
        var precisionAt1 = new double[n];
        var rPrecision = new double[n];
        var mapAtR = new double[n];
        var evaluated = new bool[n];

        Parallel.For(0, n,
            () => (Distances: new float[n], Neighbours: new int[Math.Max(k, 1)], NeighbourDistances: new float[Math.Max(k, 1)], Selector: new MLNet.Siamese.Index.TopK(k)),
            (q, _, buffers) =>
            {
                int label = classes.ClassOfRow[q];
                int r = classSize[label] - 1;
                if (r == 0) return buffers;
                matrix.DistancesTo(matrix.Row(q), buffers.Distances);
                // The k nearest other items (the query itself excluded), nearest first; ties go to the lower index.
                buffers.Selector.Offer(buffers.Distances.AsSpan(0, q), 0);
                buffers.Selector.Offer(buffers.Distances.AsSpan(q + 1), q + 1);
                buffers.Selector.Drain(buffers.Neighbours, buffers.NeighbourDistances);
                int hits = 0;
                double precisionSum = 0;
                for (int i = 0; i < r; i++)
                {
                    if (classes.ClassOfRow[buffers.Neighbours[i]] != label) continue;
                    hits++;
                    precisionSum += (double)hits / (i + 1);
                }
                precisionAt1[q] = classes.ClassOfRow[buffers.Neighbours[0]] == label ? 1 : 0;
                rPrecision[q] = (double)hits / r;
                mapAtR[q] = precisionSum / r;
                evaluated[q] = true;
                return buffers;
            },
            _ => { });

        int queries = evaluated.Count(e => e);
        double Mean(double[] values) => queries == 0 ? double.NaN : values.Sum() / queries;
        return new RetrievalMetrics
        {
            PrecisionAt1 = Mean(precisionAt1),
            RPrecision = Mean(rPrecision),
            MapAtR = Mean(mapAtR),
            QueryCount = queries,
            SkippedQueryCount = n - queries,
            Distance = matrix.Distance,
        };
    }

    /// <summary>A one-line summary (invariant culture).</summary>
    /// <returns>The summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Queries={QueryCount} (skipped {SkippedQueryCount}) Precision@1={PrecisionAt1:F4} R-Precision={RPrecision:F4} MAP@R={MapAtR:F4} ({Distance})");
}
