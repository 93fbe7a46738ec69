namespace MLNet.Siamese.Trainers;

/// <summary>How the learning rate changes over the iterations of a training run.</summary>
public enum LearningRateSchedule
{
    /// <summary><see cref="SiameseTrainerOptions.LearningRate"/> at every step.</summary>
    Constant,

    /// <summary>
    /// Cosine annealing (Loshchilov and Hutter 2017, without restarts): from <see cref="SiameseTrainerOptions.LearningRate"/>
    /// at the first step down along half a cosine to zero at the last, so the run ends with small, settling steps. The rate
    /// is a function of the iteration alone, so a resumed run follows the same schedule as an uninterrupted one.
    /// </summary>
    Cosine,
}

/// <summary>The learning rate of a <see cref="LearningRateSchedule"/> at a given iteration.</summary>
public static class LearningRateSchedules
{
    /// <summary>The learning rate for the step that follows <paramref name="iteration"/> completed steps.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="baseRate">The initial (and, for <see cref="LearningRateSchedule.Constant"/>, only) rate.</param>
    /// <param name="iteration">Completed steps, 0 for the first step.</param>
    /// <param name="iterations">Total steps of the run.</param>
    /// <returns>The rate.</returns>
    public static double At(LearningRateSchedule schedule, double baseRate, int iteration, int iterations) => schedule switch
    {
        LearningRateSchedule.Constant => baseRate,
        LearningRateSchedule.Cosine => baseRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(iteration, 0, iterations) / Math.Max(1, iterations))),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown learning-rate schedule."),
    };
}
