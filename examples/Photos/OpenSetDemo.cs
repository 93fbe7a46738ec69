using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Identification;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Examples.Photos;

/// <summary>
/// Identification with the saved embedder on the unseen classes: a seeded 70 % of them enrolled with one photo each, the
/// rest never enrolled. The unknown threshold (target false-accept rate 1 %) is read from the distances the model
/// measured on its held-out training classes, since eleven enrolled classes are too few to measure it; every other
/// photo is then identified through the identifier, which embeds it with the zip.
/// </summary>
internal static class OpenSetDemo
{
    public static string Run(MLContext ml, string embedderZip, IReadOnlyList<ImageFolderEntry> unseen, IReadOnlyList<float[]> embeddings, int seed)
    {
        var classes = unseen.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(classes);
        var neverEnrolled = classes.Take((int)Math.Round(0.3 * classes.Length)).ToHashSet(StringComparer.Ordinal);
        var enrolledIndex = Enumerable.Range(0, unseen.Count).Where(i => !neverEnrolled.Contains(unseen[i].Label))
            .GroupBy(i => unseen[i].Label).Select(g => g.First()).ToHashSet();
        var embedder = GalleryEmbedder.FromFile(ml, embedderZip);
        // The gallery photos were embedded through the zip already: enrol their embeddings, not the files again.
        var gallery = new IdentificationGallery(embedder.Fingerprint, embedder.Dimension,
            enrolledIndex.Select(i => (unseen[i].ImagePath, unseen[i].Label, embeddings[i])));
        var identifier = ml.Siamese().Enroll(embedder, gallery, new EnrollmentOptions { K = 5, TargetFalseAcceptRate = 0.01 });
        var queries = Enumerable.Range(0, unseen.Count).Where(i => !enrolledIndex.Contains(i)).ToList();
        var results = identifier.Identify(ml.Data.LoadFromEnumerable(queries.Select(i => new ImageItem { ImagePath = unseen[i].ImagePath })));
        var enrolled = enrolledIndex.Select(i => unseen[i].Label).ToHashSet(StringComparer.Ordinal);
        var outcomes = results.Select((r, q) => new IdentificationOutcome(unseen[queries[q]].Label, enrolled.Contains(unseen[queries[q]].Label), r.NeighborLabels, r.Distance)).ToList();
        var metrics = OpenSetIdentificationMetrics.AtThreshold(outcomes, identifier.Threshold);
        return string.Create(CultureInfo.InvariantCulture,
            $"Identification: {enrolled.Count} unseen classes enrolled with one photo each, {neverEnrolled.Count} never enrolled; unknown threshold {identifier.Threshold:F4} ({identifier.Calibration}).{Environment.NewLine}"
            + $"  {metrics.EnrolledQueryCount} known and {metrics.ImpostorQueryCount} never-enrolled photos: false-accept rate {metrics.FalseAcceptRate:P2} (target 1 %), DIR {metrics.DetectionAndIdentificationRate:P2}, closed-set rank-1 {metrics.Rank1:P2}");
    }
}
