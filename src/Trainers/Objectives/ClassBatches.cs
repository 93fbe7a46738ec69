using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// The P x K batch of the batch-wise objectives (multi-similarity, supervised contrastive): P = <see cref="SiameseTrainerOptions.Ways"/>
/// classes, K = <see cref="SiameseTrainerOptions.Shots"/> + <see cref="SiameseTrainerOptions.Queries"/> items of each,
/// drawn as a prototypical episode is (from one group with <see cref="SiameseTrainerOptions.WithinGroup"/>), so these
/// objectives see exactly as many images per step as a prototypical episode of the same options.
/// </summary>
internal static class ClassBatches
{
    public static BatchShape Shape(SiameseTrainerOptions options)
    {
        if (options.Ways < 2 || options.Shots < 1 || options.Queries < 1 || options.Shots + options.Queries < 2)
            throw new ArgumentOutOfRangeException(nameof(SiameseTrainerOptions.Ways), "P x K batches need Ways >= 2 classes and Shots + Queries >= 2 items of each (Shots >= 1, Queries >= 1).");
        return BatchShape.ClassBatch(options.Ways, options.Shots + options.Queries, oneGroup: true);
    }
}
