using MLNet.Siamese.Losses;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// Triplet margin loss (<see cref="TripletLoss"/>): with <see cref="SiameseTrainerOptions.BatchHardMining"/> on
/// max(2, BatchSize / 4) classes x 4 items, the hardest positive and negative of each anchor; without, on random triplets.
/// </summary>
internal sealed class TripletObjective : ITrainingObjective
{
    private const int ItemsPerClass = 4;

    /// <summary>Creates the objective from the trainer's batch size, margin and mining options.</summary>
    /// <param name="options">The trainer options.</param>
    public TripletObjective(SiameseTrainerOptions options)
    {
        BatchHard = options.BatchHardMining;
        Margin = options.Margin;
        Batch = BatchHard
            ? BatchShape.ClassBatch(Math.Max(2, options.BatchSize / ItemsPerClass), ItemsPerClass, oneGroup: false, count: options.BatchSize)
            : BatchShape.Triplets(options.BatchSize);
    }

    /// <summary>Batch-hard mining on.</summary>
    public bool BatchHard { get; }

    /// <summary>The margin.</summary>
    public double Margin { get; }

    /// <inheritdoc />
    public string Name => TrainingObjectives.TripletName;

    /// <inheritdoc />
    public BatchShape Batch { get; }

    /// <inheritdoc />
    public bool LearnsPairHead => false;

    /// <inheritdoc />
    public bool NeedsUnitEmbeddings => false;

    /// <inheritdoc />
    public Tensor Loss(ObjectiveInput input)
    {
        var e = input.Embeddings;
        if (BatchHard)
            return TripletLoss.BatchHard(e, tensor(input.Batch.Labels!, device: input.Device), Margin);
        long n = e.shape[0] / 3;
        return TripletLoss.Compute(e.narrow(0, 0, n), e.narrow(0, n, n), e.narrow(0, 2 * n, n), Margin);
    }
}
