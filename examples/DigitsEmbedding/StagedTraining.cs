using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese;
using MLNet.Siamese.Losses;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Trainers;

namespace DigitsEmbedding;

/// <summary>
/// Trains the seed network in stages: each stage is an ordinary Fit that resumes from the previous stage's last
/// checkpoint (optimizer and random state included) and ends with a full model, so the embedding can be plotted
/// part-way. The loss history of the final model is that of one uninterrupted run.
/// </summary>
internal static class StagedTraining
{
    public static SiameseTrainerOptions SeedOptions(DigitsOptions o, string checkpoints, int perStage) => new()
    {
        WeightAveragingDecay = 0,
        Augmentation = null,
        FeatureColumnName = "Features",
        LabelColumnName = "Label",
        Network = NetworkPresets.SeedMlp(28, 2),
        Loss = SiameseLoss.Contrastive,
        Margin = 0.3f,
        LearningRate = 1e-4f,
        Beta1 = 0.9f,
        Beta2 = 0.99f,
        BatchSize = o.BatchSize,
        Seed = o.Seed,
        CheckpointDirectory = checkpoints,
        CheckpointInterval = perStage,
        ProgressInterval = Math.Max(1, perStage / 2),
        Progress = new Progress<TrainingProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  iteration {p.Iteration}/{p.TotalIterations}  loss {p.Loss:F4}  {p.PairsPerSecond:F0} pairs/s  {p.Elapsed:mm\\:ss}"))),
    };

    /// <summary>Runs the stages; <paramref name="afterStage"/> receives each stage's model and its iteration.</summary>
    public static SiameseModel Run(MLContext ml, IDataView train, DigitsOptions o, Action<SiameseModel, int, int> afterStage)
    {
        string checkpoints = Path.Combine(o.OutputDirectory, "checkpoints");
        if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        Directory.CreateDirectory(checkpoints);
        int perStage = (o.Iterations + o.Stages - 1) / o.Stages;
        string? resumeFrom = null;
        SiameseModel? model = null;
        for (int stage = 1; stage <= o.Stages; stage++)
        {
            var options = SeedOptions(o, checkpoints, perStage);
            options.Iterations = Math.Min(o.Iterations, stage * perStage);
            options.ResumeFrom = resumeFrom;
            model = ml.Siamese().Train(options).Fit(train);
            resumeFrom = model.Summary.LastCheckpoint
                ?? throw new InvalidOperationException("The trainer wrote no checkpoint; staged training needs one per stage.");
            afterStage(model, stage, options.Iterations);
        }
        return model!;
    }
}
