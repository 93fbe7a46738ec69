using System.Globalization;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// One whitening of a pretrained backbone's features tried as the start of its head: which covariance it evens out
/// and how far (<see cref="TrainingSummary.WhiteningValidation"/>, <see cref="TrainingSummary.StartWhitening"/>).
/// </summary>
/// <param name="Kind">PCA (all items) or within-class (items around their class mean).</param>
/// <param name="Power">p: each direction is scaled by (eigenvalue + ε · mean eigenvalue)^−p; 0.5 whitens fully, 0.25 partly.</param>
public sealed record WhitenedStart(WhiteningKind Kind, double Power)
{
    /// <summary>"PCA, power 0.25" or "within-class, power 0.5".</summary>
    /// <returns>The kind and the power, for messages.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{(Kind == WhiteningKind.Pca ? "PCA" : "within-class")}, power {Power}");
}
