using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>What an objective gets at every step: the batch, its embeddings, and the learned pair head if it asked for one.</summary>
/// <param name="Batch">The drawn batch.</param>
/// <param name="Embeddings">Embeddings of <see cref="TrainingBatch.Items"/>, in order (rows, D).</param>
/// <param name="PairHead">The head of objectives with <see cref="ITrainingObjective.LearnsPairHead"/>, else null.</param>
public sealed record ObjectiveInput(TrainingBatch Batch, Tensor Embeddings, Linear? PairHead)
{
    /// <summary>The device the embeddings live on, for the target tensors.</summary>
    public Device Device => Embeddings.device;
}
