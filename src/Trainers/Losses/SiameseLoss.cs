namespace MLNet.Siamese.Losses;

/// <summary>The training objectives. The shared-weight twin is the same for all; only the batch and the loss differ.</summary>
public enum SiameseLoss
{
    /// <summary>
    /// Contrastive loss on the Euclidean distance d of a pair: 0.5 y d^2 + 0.5 (1 - y) max(margin - d, 0)^2
    /// (the digits seed; margin 0.3 there). Batches of balanced random pairs.
    /// </summary>
    Contrastive,

    /// <summary>
    /// The Omniglot seed's head: |f1 - f2| -> fully connected -> sigmoid, with binary cross-entropy.
    /// Batches of balanced random pairs.
    /// </summary>
    BinaryCrossEntropy,

    /// <summary>
    /// Triplet loss max(d(a,p) - d(a,n) + margin, 0), optionally with batch-hard mining (hardest positive and
    /// negative of each anchor within a batch of P classes x K items).
    /// </summary>
    Triplet,

    /// <summary>
    /// Prototypical episodes: N-way K-shot episodes with queries; softmax over negative squared distances of each query
    /// to the class prototypes (mean support embeddings), cross-entropy on the query's class.
    /// </summary>
    Prototypical,

    /// <summary>
    /// Multi-similarity loss with its miner (Wang et al. 2019) on P x K batches: cosine similarity of L2-normalized
    /// embeddings, positives pulled above and negatives pushed below a margin, weighted by how hard they are
    /// (<see cref="Trainers.SiameseTrainerOptions.MultiSimilarity"/>). The network ends in an L2 normalization.
    /// </summary>
    MultiSimilarity,

    /// <summary>
    /// Supervised contrastive loss (SupCon, Khosla et al. 2020) on P x K batches: a softmax over the cosine similarities
    /// of each item to all others at <see cref="Trainers.SiameseTrainerOptions.Temperature"/>, maximizing the probability of
    /// its positives. The network ends in an L2 normalization.
    /// </summary>
    SupervisedContrastive,
}
