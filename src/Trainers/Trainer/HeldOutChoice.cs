using System.Globalization;

namespace MLNet.Siamese.Trainers;

/// <summary>The sentence of <see cref="TrainingSummary.DescribeHeldOutChoice"/>.</summary>
internal static class HeldOutChoice
{
    public static string? Describe(TrainingSummary s)
    {
        if (s.StartValidation is not { } start)
            return null;
        var c = CultureInfo.InvariantCulture;
        double identity = s.IdentityValidation ?? start;
        var parts = new List<string> { string.Create(c, $"identity head {identity:F4}") };
        var folds = s.WhiteningFoldGains.ToDictionary(f => f.Key, f => f.Value);
        if (s.WhiteningValidation.Count > 0)
            parts.Add("whitened starts " + string.Join(", ", s.WhiteningValidation.Select(w => string.Create(c, $"{w.Key}: {w.Value:F4}")
                + (folds.TryGetValue(w.Key, out var gains) ? FoldText(gains, c) : ""))));
        if (s.ValidationHistory.Count > 0)
        {
            var best = s.ValidationHistory.MaxBy(v => v.Value);
            parts.Add(string.Create(c, $"training best {best.Value:F4} (iteration {best.Key} of {s.Iterations})"));
        }
        else
        {
            parts.Add("no training validated");
        }
        string startName = s.StartWhitening is { } whitened ? $"the whitened start ({whitened})" : "the untrained identity head";
        string gain = s.ValidationMinimumGain.ToString("0.###", c);
        string kept = !s.KeptStart
            ? string.Create(c, $"kept the trained head: it gained more than {gain} over {startName}")
            : s.StartWhitening is { } chosen && folds.ContainsKey(chosen)
                ? $"kept {startName}: its gains over the identity head on the folds and the held-out classes were positive with 95 % confidence, and training did not gain {gain} over it"
            : s.StartWhitening is not null
                ? $"kept {startName}: it gained more than {gain} over the identity head, and training did not gain {gain} over it"
                : folds.Count > 0
                    ? $"kept {startName}: no whitened start's gains over it on the folds and the held-out classes were positive with 95 % confidence, and no trained head gained more than {gain} over it"
                    : $"kept {startName}: {(s.WhiteningValidation.Count > 0 ? "no whitened start and no trained head" : "no trained head")} gained more than {gain} over it";
        return $"Held-out {s.ValidationMetric}: {string.Join("; ", parts)}; {kept}.";
    }

    /// <summary>" (+0.0161 over the identity, mean of 5 folds of the training classes)".</summary>
    private static string FoldText(IReadOnlyList<double> gains, CultureInfo c)
    {
        var finite = gains.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? " (no fold could fit it)"
            : string.Create(c, $" ({finite.Average():+0.0000;-0.0000} over the identity, mean of {finite.Count} folds of the training classes)");
    }
}
