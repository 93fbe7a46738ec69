using MLNet.Siamese.Losses;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Objectives;

/// <summary>
/// The registry of training objectives: every <see cref="SiameseLoss"/> value with its name (as <c>siamese train --loss</c>
/// reads it) and the factory that builds its <see cref="ITrainingObjective"/> from the trainer's options. Adding an
/// objective is one file implementing <see cref="ITrainingObjective"/>, one <see cref="SiameseLoss"/> value and one line
/// here.
/// </summary>
public static class TrainingObjectives
{
    /// <summary>Name of <see cref="SiameseLoss.Contrastive"/>.</summary>
    public const string ContrastiveName = "contrastive";

    /// <summary>Name of <see cref="SiameseLoss.BinaryCrossEntropy"/>.</summary>
    public const string BinaryCrossEntropyName = "bce";

    /// <summary>Name of <see cref="SiameseLoss.Triplet"/>.</summary>
    public const string TripletName = "triplet";

    /// <summary>Name of <see cref="SiameseLoss.Prototypical"/>.</summary>
    public const string PrototypicalName = "prototypical";

    /// <summary>Name of <see cref="SiameseLoss.MultiSimilarity"/>.</summary>
    public const string MultiSimilarityName = "multi-similarity";

    /// <summary>Name of <see cref="SiameseLoss.SupervisedContrastive"/>.</summary>
    public const string SupervisedContrastiveName = "supcon";

    private static readonly Registration[] Registrations =
    [
        new(SiameseLoss.Contrastive, ContrastiveName, o => new ContrastiveObjective(o)),
        new(SiameseLoss.BinaryCrossEntropy, BinaryCrossEntropyName, o => new BinaryCrossEntropyObjective(o)),
        new(SiameseLoss.Triplet, TripletName, o => new TripletObjective(o)),
        new(SiameseLoss.Prototypical, PrototypicalName, o => new PrototypicalObjective(o)),
        new(SiameseLoss.MultiSimilarity, MultiSimilarityName, o => new MultiSimilarityObjective(o)),
        new(SiameseLoss.SupervisedContrastive, SupervisedContrastiveName, o => new SupervisedContrastiveObjective(o)),
    ];

    /// <summary>The names of all objectives, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Registrations.Select(r => r.Name).ToArray();

    /// <summary>The <see cref="SiameseLoss"/> value of an objective name (case-insensitive).</summary>
    /// <param name="name">A name of <see cref="Names"/>.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The name is not registered.</exception>
    public static SiameseLoss LossOf(string name) => Find(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase), name).Loss;

    /// <summary>The registry name of a <see cref="SiameseLoss"/> value.</summary>
    /// <param name="loss">The loss.</param>
    /// <returns>Its name.</returns>
    /// <exception cref="ArgumentException">The value has no registered objective.</exception>
    public static string NameOf(SiameseLoss loss) => Find(r => r.Loss == loss, loss.ToString()).Name;

    /// <summary>The objective <see cref="SiameseTrainerOptions.Loss"/> names, built from <paramref name="options"/>.</summary>
    /// <param name="options">The trainer options.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option of the objective is out of range.</exception>
    public static ITrainingObjective Create(SiameseTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Find(r => r.Loss == options.Loss, options.Loss.ToString()).Create(options);
    }

    /// <summary>The objective of a name, built from <paramref name="options"/> (whose <see cref="SiameseTrainerOptions.Loss"/> is ignored).</summary>
    /// <param name="name">A name of <see cref="Names"/> (case-insensitive).</param>
    /// <param name="options">The trainer options.</param>
    /// <returns>The objective.</returns>
    public static ITrainingObjective Create(string name, SiameseTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Find(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase), name).Create(options);
    }

    private static Registration Find(Func<Registration, bool> match, string what)
        => Registrations.FirstOrDefault(match)
            ?? throw new ArgumentException($"Unknown training objective '{what}'. Known: {string.Join(", ", Registrations.Select(r => r.Name))}.", nameof(what));

    private sealed record Registration(SiameseLoss Loss, string Name, Func<SiameseTrainerOptions, ITrainingObjective> Create);
}
