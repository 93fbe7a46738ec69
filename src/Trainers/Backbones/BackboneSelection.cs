namespace MLNet.Siamese.Backbones;

/// <summary>The measurement behind <see cref="Trainers.SiameseTrainerOptions.SelectBackboneFeatures"/>.</summary>
/// <param name="Candidates">Every candidate with its MAP@R; one is <see cref="BackboneCandidate.Chosen"/>.</param>
/// <param name="SampledImages">Training images featurized per candidate.</param>
/// <param name="Elapsed">Time the measurement took (decoding and featurizing included).</param>
public sealed record BackboneSelection(IReadOnlyList<BackboneCandidate> Candidates, int SampledImages, TimeSpan Elapsed)
{
    /// <summary>The chosen candidate.</summary>
    public BackboneCandidate Chosen => Candidates.Single(c => c.Chosen);

    /// <summary>
    /// With <see cref="Trainers.SiameseTrainerOptions.SelectMirrorViews"/>: MAP@R of the chosen features averaged over each
    /// sampled photo and its mirror image; null when not measured.
    /// </summary>
    public double? MirroredMapAtR { get; init; }

    /// <summary>True when the mirrored features gained enough to be used (<see cref="Trainers.SiameseTrainerOptions.MirrorViews"/> turned on).</summary>
    public bool Mirror { get; init; }

    /// <summary>One line: every candidate's MAP@R and the choice, e.g. "stages 4 at 224 px 0.3716, stages 3 at 112 px 0.4168, ...; chosen: stages 3 at 112 px", and the mirrored views' MAP@R when measured.</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string mirror = MirroredMapAtR is { } m
            ? string.Create(c, $"; averaged with the mirror images {m:F4} ({m - Chosen.MapAtR:+0.0000;-0.0000}): mirrored views {(Mirror ? "on" : "off")}")
            : "";
        return string.Create(c, $"MAP@R of the untrained features on {SampledImages} training images (cosine): {string.Join(", ", Candidates.Select(x => string.Create(c, $"stages {x.Stages} at {x.ImageSize} px {x.MapAtR:F4}")))}; chosen: stages {Chosen.Stages} at {Chosen.ImageSize} px{mirror} ({Elapsed.TotalSeconds:F0} s)");
    }
}
