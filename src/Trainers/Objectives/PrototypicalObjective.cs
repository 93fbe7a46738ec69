using MLNet.Siamese.Losses;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>Prototypical episodes (<see cref="PrototypicalLoss"/>): Ways classes, Shots support items and Queries queries of each.</summary>
internal sealed class PrototypicalObjective : ITrainingObjective
{
    /// <summary>Creates the objective from the trainer's <see cref="SiameseTrainerOptions.Ways"/>, <see cref="SiameseTrainerOptions.Shots"/> and <see cref="SiameseTrainerOptions.Queries"/>.</summary>
    /// <param name="options">The trainer options.</param>
    public PrototypicalObjective(SiameseTrainerOptions options) => Batch = BatchShape.Episode(options.Ways, options.Shots, options.Queries);

    /// <inheritdoc />
    public string Name => TrainingObjectives.PrototypicalName;

    /// <inheritdoc />
    public BatchShape Batch { get; }

    /// <inheritdoc />
    public bool LearnsPairHead => false;

    /// <inheritdoc />
    public bool NeedsUnitEmbeddings => false;

    /// <inheritdoc />
    public Tensor Loss(ObjectiveInput input)
    {
        var b = input.Batch;
        var e = input.Embeddings;
        int s = b.SupportCount;
        return PrototypicalLoss.Compute(e.narrow(0, 0, s), e.narrow(0, s, e.shape[0] - s), tensor(b.QueryTarget!, device: input.Device), b.Ways);
    }
}
