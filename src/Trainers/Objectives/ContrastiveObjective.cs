using MLNet.Siamese.Losses;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>Contrastive loss on balanced pairs (<see cref="ContrastiveLoss"/>): 0.5 y d^2 + 0.5 (1 - y) max(margin - d, 0)^2.</summary>
internal sealed class ContrastiveObjective : ITrainingObjective
{
    /// <summary>Creates the objective from the trainer's <see cref="SiameseTrainerOptions.BatchSize"/> and <see cref="SiameseTrainerOptions.Margin"/>.</summary>
    /// <param name="options">The trainer options.</param>
    public ContrastiveObjective(SiameseTrainerOptions options)
    {
        Batch = BatchShape.Pairs(options.BatchSize);
        Margin = options.Margin;
    }

    /// <summary>Distance beyond which dissimilar pairs cost nothing.</summary>
    public double Margin { get; }

    /// <inheritdoc />
    public string Name => TrainingObjectives.ContrastiveName;

    /// <inheritdoc />
    public BatchShape Batch { get; }

    /// <inheritdoc />
    public bool LearnsPairHead => false;

    /// <inheritdoc />
    public bool NeedsUnitEmbeddings => false;

    /// <inheritdoc />
    public Tensor Loss(ObjectiveInput input)
    {
        var (left, right, similar) = PairsOf(input);
        return ContrastiveLoss.Compute(left, right, similar, Margin);
    }

    /// <summary>The left and right embeddings of a pair batch and its targets.</summary>
    internal static (Tensor Left, Tensor Right, Tensor Similar) PairsOf(ObjectiveInput input)
    {
        int n = input.Batch.Similar!.Length;
        var e = input.Embeddings;
        return (e.narrow(0, 0, n), e.narrow(0, n, n), tensor(input.Batch.Similar, device: input.Device));
    }
}
