using System.Globalization;

namespace MLNet.Siamese.Evaluation;

/// <summary>Accuracy of N-way K-shot classification over random episodes or over fixed one-shot runs.</summary>
public sealed class OneShotResult
{
    internal OneShotResult(IReadOnlyList<double> perEpisodeAccuracy, long correct, long queries, IReadOnlyList<string>? episodeNames = null)
    {
        PerEpisodeAccuracy = perEpisodeAccuracy;
        EpisodeNames = episodeNames ?? [];
        Correct = correct;
        Queries = queries;
        Episodes = perEpisodeAccuracy.Count;
        Accuracy = queries == 0 ? double.NaN : (double)correct / queries;
        if (Episodes > 1)
        {
            double mean = perEpisodeAccuracy.Average();
            double variance = perEpisodeAccuracy.Sum(a => (a - mean) * (a - mean)) / (Episodes - 1);
            ConfidenceInterval95 = 1.96 * Math.Sqrt(variance / Episodes);
        }
        else
        {
            ConfidenceInterval95 = double.NaN;
        }
    }

    /// <summary>Correctly matched queries / all queries, over every episode (or run).</summary>
    public double Accuracy { get; }

    /// <summary>Number of episodes (or runs).</summary>
    public int Episodes { get; }

    /// <summary>Total number of queries classified.</summary>
    public long Queries { get; }

    /// <summary>Number of queries matched to their own class.</summary>
    public long Correct { get; }

    /// <summary>The accuracy of each episode (or run), in order.</summary>
    public IReadOnlyList<double> PerEpisodeAccuracy { get; }

    /// <summary>The name of each run for fixed runs (for example "run01"); empty for random episodes.</summary>
    public IReadOnlyList<string> EpisodeNames { get; }

    /// <summary>Half-width of the normal-approximation 95% confidence interval of the mean per-episode accuracy,
    /// 1.96 x sample standard deviation / sqrt(episodes); NaN with fewer than 2 episodes.</summary>
    public double ConfidenceInterval95 { get; }

    /// <summary>A one-line summary (invariant culture).</summary>
    /// <returns>The summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Accuracy={Accuracy:F4} (+/- {ConfidenceInterval95:F4}) Correct={Correct}/{Queries} Episodes={Episodes}");
}
