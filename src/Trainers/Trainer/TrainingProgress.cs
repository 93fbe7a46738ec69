namespace MLNet.Siamese.Trainers;

/// <summary>A progress report of the Siamese trainer, sent every <see cref="SiameseTrainerOptions.ProgressInterval"/> iterations.</summary>
/// <param name="Iteration">Iterations done (1-based count).</param>
/// <param name="TotalIterations">Iterations planned.</param>
/// <param name="Loss">Mean training loss over the iterations since the last report.</param>
/// <param name="PairsPerSecond">Training examples (pairs, triplets or episode items) per second since the last report.</param>
/// <param name="Elapsed">Time since training started (this run).</param>
/// <param name="ValidationAccuracy">The last validation score, if any: pair accuracy on the validation pairs, or MAP@R of the held-out classes with a backbone (<see cref="ValidationMetric"/>).</param>
public sealed record TrainingProgress(int Iteration, int TotalIterations, double Loss, double PairsPerSecond, TimeSpan Elapsed, double? ValidationAccuracy)
{
    /// <summary>What <see cref="ValidationAccuracy"/> measures: "pair accuracy", or "MAP@R" with a <see cref="SiameseTrainerOptions.Backbone"/>.</summary>
    public string ValidationMetric { get; init; } = "pair accuracy";
}
