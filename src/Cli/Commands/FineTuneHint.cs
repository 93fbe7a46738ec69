using System.Globalization;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>
/// A hint printed after training a head on a frozen backbone: when the held-out training classes showed that training
/// helped (the "do no harm" rule kept a trained head), the data differs from the backbone's ImageNet photos, and there
/// fine-tuning the last stage measured better (Omniglot's unseen alphabets: MAP@R +9.8 points over the untrained
/// backbone, against +4.1 for the frozen head; docs/photos.md, "Narrow domains").
/// </summary>
internal static class FineTuneHint
{
    /// <summary>The hint for a finished run, or null when it does not apply (no frozen backbone, no held-out validation, or the untrained head was kept).</summary>
    /// <param name="options">The options the run trained with.</param>
    /// <param name="summary">What happened during the run.</param>
    /// <returns>One sentence, or null.</returns>
    public static string? For(SiameseTrainerOptions options, TrainingSummary summary)
    {
        if (options.Backbone is null || options.FineTuneStages > 0 || summary.KeptStart || summary.StartValidation is not { } start || summary.ValidationHistory.Count == 0)
            return null;
        double best = summary.ValidationHistory.Max(v => v.Value);
        return string.Create(CultureInfo.InvariantCulture,
            $"Training helped the held-out classes (MAP@R {start:F3} -> {best:F3}): for the backbone's ImageNet features these images are a narrow domain. On such data (Omniglot) fine-tuning its last stage, --fine-tune 1, measured better than the frozen head, at 5 to 13 times the time (docs/photos.md, \"Narrow domains\").");
    }
}
