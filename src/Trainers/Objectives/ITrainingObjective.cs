using static TorchSharp.torch;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// A training objective: which batch it needs and how it turns the embeddings of that batch into a scalar loss. The
/// training loop draws <see cref="Batch"/>, embeds its items and calls <see cref="Loss"/>; it never looks at which
/// objective it runs. Objectives are created by name in <see cref="TrainingObjectives"/>.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>The registry name (as <c>siamese train --loss</c> reads it), e.g. "prototypical".</summary>
    string Name { get; }

    /// <summary>The batch drawn at every step.</summary>
    BatchShape Batch { get; }

    /// <summary>True when the objective trains a pair head |f1 - f2| -> linear -> sigmoid that the model then scores pairs with.</summary>
    bool LearnsPairHead { get; }

    /// <summary>
    /// True when the objective compares embeddings by cosine: the network then ends in an L2 normalization, so that the
    /// model's Euclidean pair distance ranks pairs as the objective does.
    /// </summary>
    bool NeedsUnitEmbeddings { get; }

    /// <summary>The scalar loss of one batch (inside the caller's dispose scope).</summary>
    /// <param name="input">The batch and its embeddings.</param>
    /// <returns>A scalar tensor.</returns>
    Tensor Loss(ObjectiveInput input);
}
