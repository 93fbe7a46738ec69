using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>The Omniglot seed's head on balanced pairs: |f1 - f2| -> linear -> sigmoid, with binary cross-entropy.</summary>
internal sealed class BinaryCrossEntropyObjective : ITrainingObjective
{
    /// <summary>Creates the objective from the trainer's <see cref="SiameseTrainerOptions.BatchSize"/>.</summary>
    /// <param name="options">The trainer options.</param>
    public BinaryCrossEntropyObjective(SiameseTrainerOptions options) => Batch = BatchShape.Pairs(options.BatchSize);

    /// <inheritdoc />
    public string Name => TrainingObjectives.BinaryCrossEntropyName;

    /// <inheritdoc />
    public BatchShape Batch { get; }

    /// <inheritdoc />
    public bool LearnsPairHead => true;

    /// <inheritdoc />
    public bool NeedsUnitEmbeddings => false;

    /// <inheritdoc />
    public Tensor Loss(ObjectiveInput input)
    {
        var head = input.PairHead ?? throw new InvalidOperationException("The binary cross-entropy objective needs its pair head.");
        var (left, right, similar) = ContrastiveObjective.PairsOf(input);
        var logits = head.forward((left - right).abs()).squeeze(1);
        return nn.functional.binary_cross_entropy_with_logits(logits, similar);
    }
}
