using System.Globalization;

namespace MLNet.Siamese.Identification;

/// <summary>What the gallery graph needs besides the rows, and the rule that chose the threshold (to recalibrate after an update).</summary>
/// <param name="Mode">Items or prototypes.</param>
/// <param name="K">Neighbours returned.</param>
/// <param name="Threshold">Largest nearest distance still accepted as known (+infinity: always known).</param>
/// <param name="UnknownLabel">The answer when rejected.</param>
/// <param name="ImpostorDistances">Calibration impostor nearest distances, ascending (at least one), for Confidence.</param>
/// <param name="Calibration">One line saying how the threshold was chosen.</param>
/// <param name="Rule">The options' threshold rule: "far=R" (with ";calibration=gallery" or "model" unless automatic), "precision=P" or "threshold=T".</param>
internal sealed record IdentifierSettings(GalleryMode Mode, int K, float Threshold, string UnknownLabel, float[] ImpostorDistances, string Calibration, string Rule)
{
    /// <summary>The rule of <paramref name="options"/>.</summary>
    public static string RuleOf(EnrollmentOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        if (options.Threshold is float t) return string.Create(inv, $"threshold={t:R}");
        if (options.TargetPrecision is double p) return string.Create(inv, $"precision={p:R}");
        string far = string.Create(inv, $"far={options.TargetFalseAcceptRate:R}");
        return options.Calibration == ThresholdCalibration.Auto ? far : $"{far};calibration={options.Calibration.ToString().ToLowerInvariant()}";
    }

    /// <summary>Options that enrol again with the same mode, k, unknown label and threshold rule.</summary>
    public EnrollmentOptions ToOptions()
    {
        var options = new EnrollmentOptions { Mode = Mode, K = K, UnknownLabel = UnknownLabel };
        var inv = CultureInfo.InvariantCulture;
        string rule = Rule;
        int calibration = rule.IndexOf(";calibration=", StringComparison.Ordinal);
        if (calibration >= 0)
        {
            options.Calibration = Enum.Parse<ThresholdCalibration>(rule[(calibration + ";calibration=".Length)..], ignoreCase: true);
            rule = rule[..calibration];
        }
        string value = rule[(rule.IndexOf('=') + 1)..];
        if (rule.StartsWith("threshold=", StringComparison.Ordinal)) options.Threshold = float.Parse(value, inv);
        else if (rule.StartsWith("precision=", StringComparison.Ordinal)) options.TargetPrecision = double.Parse(value, inv);
        else options.TargetFalseAcceptRate = double.Parse(value, inv);
        return options;
    }
}
