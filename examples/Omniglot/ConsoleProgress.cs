using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Examples.Omniglot;

/// <summary>Prints each training progress report on one line, as it arrives (synchronously).</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        double remaining = p.Iteration == 0 ? 0 : p.Elapsed.TotalSeconds / p.Iteration * (p.TotalIterations - p.Iteration);
        string validation = p.ValidationAccuracy is double v ? $", held-out pair accuracy {v:P1}" : string.Empty;
        Console.WriteLine($"  iteration {p.Iteration,5}/{p.TotalIterations}: loss {p.Loss:F4}, {p.PairsPerSecond:F0} examples/s, ETA {remaining:F0} s{validation}");
    }
}
