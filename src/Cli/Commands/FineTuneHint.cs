using System.Globalization;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// A hint printed after training a head on a frozen backbone: when the held-out training classes showed that moving
/// away from the untrained features helped (the "do no harm" rule kept a trained head, or a whitened start that gained
/// the margin on the held-out classes), the data
/// differs from the backbone's ImageNet photos, and there fine-tuning the last stage measured better still (Omniglot's
/// unseen alphabets: MAP@R +12.6 points over the untrained backbone fine-tuned, +19.6 fine-tuned without photo
/// augmentation, +14.3 frozen with the within-class whitened start; docs/photos.md, "Narrow domains").
/// </summary>
internal static class FineTuneHint
{
    /// <summary>The hint for a finished run, or null when it does not apply (no frozen backbone, no held-out validation, or the untrained identity head was kept).</summary>
    /// <param name="options">The options the run trained with.</param>
    /// <param name="summary">What happened during the run.</param>
    /// <returns>One sentence, or null.</returns>
    public static string? For(SiameseTrainerOptions options, TrainingSummary summary)
    {
        if (options.Backbone is null || options.FineTuneStages > 0 || summary.StartValidation is not { } start)
            return null;
        // A whitened start says "narrow domain" only when the held-out classes alone gained the margin from it (Omniglot:
        // +14.8 points); one kept for a small gain the folds confirmed (Caltech-101: +0.5 held out) says nothing of the kind.
        bool bigGain = summary.IdentityValidation is not { } identity || start - identity > summary.ValidationMinimumGain;
        string? what = summary.KeptStart
            ? summary.StartWhitening is { } whitened && bigGain ? string.Create(CultureInfo.InvariantCulture, $"The held-out classes preferred whitened features ({whitened}, MAP@R {start:F3})") : null
            : summary.ValidationHistory.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"Training helped the held-out classes (MAP@R {start:F3} -> {summary.ValidationHistory.Max(v => v.Value):F3})") : null;
        return what is null ? null
            : what + ": for the backbone's ImageNet features these images are a narrow domain. On such data (Omniglot) fine-tuning its last stage, --fine-tune 1, measured better still, at many times the time, and best with --no-augment for drawings (no photo augmentation: the frozen stages then run once per image) (docs/photos.md, \"Narrow domains\").";
    }
}
