namespace MLNet.Siamese.Examples.GettingStarted;

#region custom-objective
using MLNet.Siamese.Objectives;
using MLNet.Siamese.Trainers;
using static TorchSharp.torch;

// Contrastive loss on cosine similarity over P x K batches (pytorch-metric-learning's ContrastiveLoss(pos_margin=1,
// neg_margin=0) with CosineSimilarity): pull positive pairs to similarity 1, push negatives below 0.
public sealed class CosineContrastiveObjective(SiameseTrainerOptions options) : ITrainingObjective
{
    public string Name => "cosine-contrastive";

    // Ways classes x (Shots + Queries) items, drawn as an episode is (one group with WithinGroup).
    public BatchShape Batch { get; } = BatchShape.ClassBatch(options.Ways, options.Shots + options.Queries, oneGroup: true);

    public bool LearnsPairHead => false;

    public bool NeedsUnitEmbeddings => true;   // the network ends in an L2 normalization

    public Tensor Loss(ObjectiveInput input)
    {
        var labels = tensor(input.Batch.Labels!, device: input.Device);
        var similarity = CosineLossSimilarity.Instance.Matrix(input.Embeddings, input.Embeddings);
        var (positive, negative) = PairIndices.Masks(labels);
        var losses = (1 - similarity).relu().masked_fill(positive.logical_not(), 0)
            + similarity.relu().masked_fill(negative.logical_not(), 0);
        return losses.sum() / losses.gt(0).sum().clamp_min(1);   // average over the pairs that still cost something
    }
}
#endregion
