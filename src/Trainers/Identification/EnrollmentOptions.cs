using Microsoft.ML;

namespace MLNet.Siamese.Identification;

/// <summary>How a gallery is enrolled and how the identifier decides "unknown".</summary>
public sealed class EnrollmentOptions
{
    /// <summary>Defaults of the options.</summary>
    public static class Defaults
    {
        /// <summary>Neighbours returned: 5.</summary>
        public const int K = 5;

        /// <summary>Target false-accept rate of the reject threshold: 0.01.</summary>
        public const double TargetFalseAcceptRate = 0.01;

        /// <summary>The answer for a rejected query: "&lt;unknown&gt;".</summary>
        public const string UnknownLabel = "<unknown>";

        /// <summary>Column of item ids: "Id" (when absent, the text input column, e.g. the image path, or the row number).</summary>
        public const string IdColumnName = "Id";

        /// <summary>Column of item labels: "Label".</summary>
        public const string LabelColumnName = "Label";
    }

    /// <summary>Compare queries with every item, or with one prototype (mean embedding) per class. Default <see cref="GalleryMode.Items"/>.</summary>
    public GalleryMode Mode { get; set; } = GalleryMode.Items;

    /// <summary>Neighbours returned per query (1 .. the number of gallery rows). Default 5.</summary>
    public int K { get; set; } = Defaults.K;

    /// <summary>
    /// The reject threshold is calibrated so that at most this fraction of impostor queries (classes left out of the
    /// gallery) are accepted. Default 0.01. Ignored when <see cref="TargetPrecision"/> or <see cref="Threshold"/> is set.
    /// </summary>
    public double TargetFalseAcceptRate { get; set; } = Defaults.TargetFalseAcceptRate;

    /// <summary>
    /// What the threshold of <see cref="TargetFalseAcceptRate"/> is measured on: the model's own impostor distances, the
    /// gallery, or (<see cref="ThresholdCalibration.Auto"/>, the default) the model's when the gallery has too few classes
    /// to measure the rate (under 1 / rate), the model measured them on classes held out of training, the gallery
    /// compares items and no <see cref="Impostors"/> are given.
    /// </summary>
    public ThresholdCalibration Calibration { get; set; } = ThresholdCalibration.Auto;

    /// <summary>Instead of a false-accept rate: the largest threshold whose accepted answers reach this precision. Default null.</summary>
    public double? TargetPrecision { get; set; }

    /// <summary>A fixed reject threshold on the nearest distance (+infinity: closed set, never unknown). Default null (calibrated).</summary>
    public float? Threshold { get; set; }

    /// <summary>The predicted label of a rejected query; no gallery label may equal it. Default "&lt;unknown&gt;".</summary>
    public string UnknownLabel { get; set; } = Defaults.UnknownLabel;

    /// <summary>Column of unique item ids. Default "Id".</summary>
    public string IdColumnName { get; set; } = Defaults.IdColumnName;

    /// <summary>Column of item labels (text). Default "Label".</summary>
    public string LabelColumnName { get; set; } = Defaults.LabelColumnName;

    /// <summary>Optional extra impostor queries for calibration: items (same input column as the gallery) of classes that are not enrolled.</summary>
    public IDataView? Impostors { get; set; }

    internal void Validate()
    {
        if (K < 1)
            throw new ArgumentOutOfRangeException(nameof(K), K, "k must be at least 1.");
        if (!(TargetFalseAcceptRate >= 0 && TargetFalseAcceptRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(TargetFalseAcceptRate), TargetFalseAcceptRate, "The target false-accept rate must be between 0 and 1.");
        if (TargetPrecision is double p && !(p > 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(TargetPrecision), p, "The target precision must be in (0, 1].");
        if (Threshold is float t && (float.IsNaN(t) || t < 0))
            throw new ArgumentOutOfRangeException(nameof(Threshold), t, "The threshold must be a non-negative distance.");
        ArgumentNullException.ThrowIfNull(UnknownLabel, nameof(UnknownLabel));
        if (!Enum.IsDefined(Calibration))
            throw new ArgumentOutOfRangeException(nameof(Calibration), Calibration, "Unknown threshold calibration.");
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown gallery mode.");
    }
}
