using System.Globalization;

namespace MLNet.Siamese.Identification;

/// <summary>
/// The reject threshold read from the model's impostor distances (<see cref="ThresholdCalibration.Model"/>): a query of a
/// class that is not enrolled is accepted when any of the M gallery rows lies within the threshold, so the pair rate at
/// the threshold is 1 - (1 - target)^(1 / M). Treating the rows as independent overstates the rate (a query near one
/// impostor class is often near others), so the target is an upper bound on the model's training domain.
/// </summary>
internal static class ModelCalibration
{
    public static IdentifierSettings Calibrate(int rows, EnrollmentOptions options, ImpostorDistanceProfile profile)
    {
        var inv = CultureInfo.InvariantCulture;
        double target = options.TargetFalseAcceptRate;
        double pairRate = ImpostorDistanceProfile.PairRate(target, rows);
        float threshold = target >= 1 ? float.PositiveInfinity : MathF.BitDecrement(profile.Quantile(pairRate));
        string source = profile.Classes == 0 ? "dissimilar training pairs"
            : string.Create(inv, $"{profile.Classes} {(profile.HeldOutClasses ? "classes held out of training" : "training classes")}");
        string how = string.Create(inv,
            $"target false-accept rate {target:R} read from the model's {profile.Pairs} impostor pairs ({source}): pair rate {pairRate:G3} for {rows} gallery rows");
        if (pairRate < profile.SmallestRate && target > 0)
            how += string.Create(inv, $"; the model measured pair rates down to {profile.SmallestRate:G3} only, so the threshold sits below its nearest impostor pair and the rate may be higher than the target");
        if (!profile.HeldOutClasses)
            how += "; measured on classes the model was trained on, which it separates better than new ones: expect a higher rate";
        return new IdentifierSettings(options.Mode, options.K, threshold, options.UnknownLabel,
            profile.NearestDistances(rows, OpenSetCalibration.MaxConfidencePoints), how, IdentifierSettings.RuleOf(options));
    }
}
