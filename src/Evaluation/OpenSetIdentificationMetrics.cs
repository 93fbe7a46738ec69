using MLNet.Siamese.Index;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// The open-set identification protocol of face recognition (as in the NIST FRVT 1:N reports), on the nearest
/// distance d of each query and a threshold t (a query is accepted when d &lt;= t):
/// <list type="bullet">
/// <item>FAR (false-accept rate): impostor queries (class not enrolled) accepted / impostor queries.</item>
/// <item>DIR (detection and identification rate): enrolled queries accepted <em>and</em> whose nearest row has their
/// label / enrolled queries.</item>
/// <item>Closed-set rank-1 and rank-5: enrolled queries whose label is the first (among the first five) neighbour
/// labels, whatever the threshold.</item>
/// </list>
/// <see cref="Compute(IReadOnlyList{IdentificationOutcome}, double)"/> chooses t from the impostors themselves for a
/// target FAR (<see cref="OpenSetThreshold.ForFalseAcceptRate"/>), giving DIR@FAR.
/// </summary>
public sealed class OpenSetIdentificationMetrics
{
    private OpenSetIdentificationMetrics() { }

    /// <summary>The threshold the rates were measured at.</summary>
    public float Threshold { get; private init; }

    /// <summary>Detection and identification rate at <see cref="Threshold"/> (NaN without enrolled queries).</summary>
    public double DetectionAndIdentificationRate { get; private init; }

    /// <summary>False-accept rate of the impostor queries at <see cref="Threshold"/> (NaN without impostors).</summary>
    public double FalseAcceptRate { get; private init; }

    /// <summary>Closed-set rank-1 identification rate of the enrolled queries (NaN without enrolled queries).</summary>
    public double Rank1 { get; private init; }

    /// <summary>Closed-set rank-5 identification rate (the label among the first five neighbour labels).</summary>
    public double Rank5 { get; private init; }

    /// <summary>Number of enrolled (known) queries.</summary>
    public int EnrolledQueryCount { get; private init; }

    /// <summary>Number of impostor queries.</summary>
    public int ImpostorQueryCount { get; private init; }

    /// <summary>The metrics at a given threshold.</summary>
    /// <param name="outcomes">One outcome per query.</param>
    /// <param name="threshold">Accept when the nearest distance is at most this.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">No outcomes, an outcome without neighbours, or a NaN distance (the message names the query).</exception>
    public static OpenSetIdentificationMetrics AtThreshold(IReadOnlyList<IdentificationOutcome> outcomes, float threshold)
    {
        Validate(outcomes);
        var enrolled = outcomes.Where(o => o.IsEnrolled).ToList();
        var impostors = outcomes.Where(o => !o.IsEnrolled).ToList();
        double Rate(int count, int total) => total == 0 ? double.NaN : count / (double)total;
        bool First(IdentificationOutcome o) => string.Equals(o.NeighborLabels[0], o.TrueLabel, StringComparison.Ordinal);
        return new OpenSetIdentificationMetrics
        {
            Threshold = threshold,
            DetectionAndIdentificationRate = Rate(enrolled.Count(o => o.Distance <= threshold && First(o)), enrolled.Count),
            FalseAcceptRate = Rate(impostors.Count(o => o.Distance <= threshold), impostors.Count),
            Rank1 = Rate(enrolled.Count(First), enrolled.Count),
            Rank5 = Rate(enrolled.Count(o => o.NeighborLabels.Take(5).Contains(o.TrueLabel, StringComparer.Ordinal)), enrolled.Count),
            EnrolledQueryCount = enrolled.Count,
            ImpostorQueryCount = impostors.Count,
        };
    }

    /// <summary>DIR@FAR: the metrics at the threshold that accepts at most <paramref name="targetFalseAcceptRate"/> of these impostors.</summary>
    /// <param name="outcomes">One outcome per query; at least one impostor.</param>
    /// <param name="targetFalseAcceptRate">Target FAR, e.g. 0.01.</param>
    /// <returns>The metrics.</returns>
    public static OpenSetIdentificationMetrics Compute(IReadOnlyList<IdentificationOutcome> outcomes, double targetFalseAcceptRate)
    {
        Validate(outcomes);
        var impostors = outcomes.Where(o => !o.IsEnrolled).Select(o => o.Distance).ToList();
        if (impostors.Count == 0)
            throw new ArgumentException("DIR@FAR needs impostor queries (classes that are not enrolled).", nameof(outcomes));
        return AtThreshold(outcomes, OpenSetThreshold.ForFalseAcceptRate(impostors, targetFalseAcceptRate));
    }

    private static void Validate(IReadOnlyList<IdentificationOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
            throw new ArgumentException("No queries to evaluate.", nameof(outcomes));
        for (int i = 0; i < outcomes.Count; i++)
        {
            var o = outcomes[i] ?? throw new ArgumentException($"Query {i} is null.", nameof(outcomes));
            if (o.NeighborLabels is null || o.NeighborLabels.Count == 0)
                throw new ArgumentException($"Query {i} ('{o.TrueLabel}') has no neighbours.", nameof(outcomes));
            if (float.IsNaN(o.Distance))
                throw new ArgumentException($"Query {i} ('{o.TrueLabel}') has a NaN distance.", nameof(outcomes));
        }
    }
}
