namespace MLNet.Siamese.Backbones;

/// <summary>The measurement behind <see cref="Trainers.SiameseTrainerOptions.SelectBackboneFeatures"/>.</summary>
/// <param name="Candidates">Every candidate with its MAP@R; one is <see cref="BackboneCandidate.Chosen"/>.</param>
/// <param name="SampledImages">Training images featurized per candidate.</param>
/// <param name="Elapsed">Time the measurement took (decoding and featurizing included).</param>
public sealed record BackboneSelection(IReadOnlyList<BackboneCandidate> Candidates, int SampledImages, TimeSpan Elapsed)
{
    /// <summary>The chosen candidate.</summary>
    public BackboneCandidate Chosen => Candidates.Single(c => c.Chosen);

    /// <summary>One line: every candidate's MAP@R and the choice, e.g. "stages 4 at 224 px 0.3716, stages 3 at 112 px 0.4168, ...; chosen: stages 3 at 112 px".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"MAP@R of the untrained features on {SampledImages} training images (cosine): {string.Join(", ", Candidates.Select(c => $"stages {c.Stages} at {c.ImageSize} px {c.MapAtR:F4}"))}; chosen: stages {Chosen.Stages} at {Chosen.ImageSize} px ({Elapsed.TotalSeconds:F0} s)");
}
