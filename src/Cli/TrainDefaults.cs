namespace MLNet.Siamese.Cli;

/// <summary>
/// The defaults that belong to the command line itself. How a model trains (network, loss, sizes, iterations, ...) is a
/// recipe's business (<see cref="SiameseRecipes"/>): <c>siamese train</c> takes it from the recipe it picks or is given.
/// </summary>
public static class TrainDefaults
{
    /// <summary>Training iterations between checkpoints (with <c>--checkpoint</c>; one is also written at the end).</summary>
    public const int CheckpointInterval = 500;

    /// <summary>Random seed.</summary>
    public const int Seed = 1;

    /// <summary>
    /// How many folder names above each image form its label. 1 (the parent folder) suits generic <c>root/class/*.png</c>
    /// trees; Omniglot (<c>root/alphabet/character/*.png</c>) needs 2.
    /// </summary>
    public const int LabelDepth = 1;

    /// <summary>Number of progress reports over a run (the trainer reports every Iterations / this, at least every iteration).</summary>
    public const int ProgressReports = 50;
}
