using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Tests.Trainers;

/// <summary>Trainer options for the short, deterministic CPU runs that checkpoint, schedule and averaging tests compare.</summary>
internal static class SmallRuns
{
    /// <summary>Compact 28x28 net with a 16-d embedding, contrastive pairs of 16, lr 1e-3, seed 3, on the CPU.</summary>
    public static SiameseTrainerOptions Options(int iterations = 12) => new()
    {
        Loss = SiameseLoss.Contrastive,
        WeightAveragingDecay = 0,
        Augmentation = null,
        Network = NetworkPresets.Compact(28, 16),
        Iterations = iterations,
        BatchSize = 16,
        LearningRate = 1e-3f,
        Seed = 3,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 100,
    };

    /// <summary>Two steps of a compact 28x28 net with an 8-d embedding on image paths in column ImagePath, seed 1, on the CPU.</summary>
    public static SiameseTrainerOptions TinyImageModel() => new()
    {
        Loss = SiameseLoss.Contrastive,
        WeightAveragingDecay = 0,
        Augmentation = null,
        LearningRate = 6e-5f,
        ImageColumnName = "ImagePath",
        Network = NetworkPresets.Compact(28, 8),
        Iterations = 2,
        BatchSize = 8,
        Seed = 1,
        Device = SiameseDevice.Cpu,
        CalibrationPairs = 20,
    };
}
