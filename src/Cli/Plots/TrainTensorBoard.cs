using static TorchSharp.torch.utils;

namespace MLNet.Siamese.Cli.Plots;

/// <summary>
/// <c>siamese train --tensorboard DIR</c>: the loss of every iteration (<c>train/loss</c>) and the validation score
/// (<c>validation/pair_accuracy</c>, or <c>validation/map_at_r</c> for a head on a backbone) as TensorBoard scalars, written through TorchSharp's own
/// <c>torch.utils.tensorboard.SummaryWriter</c> once training has finished (the whole history, one event file).
/// </summary>
internal static class TrainTensorBoard
{
    /// <summary>Tag of the per-iteration loss.</summary>
    public const string LossTag = "train/loss";

    /// <summary>Tag of the validation pair accuracy.</summary>
    public const string ValidationTag = "validation/pair_accuracy";

    /// <summary>Tag of the held-out classes' MAP@R (a head on a backbone).</summary>
    public const string MapAtRTag = "validation/map_at_r";

    /// <summary>Writes the scalars into <paramref name="folder"/>; returns the folder's full path.</summary>
    /// <param name="folder">Where the event file goes.</param>
    /// <param name="loss">The loss of every iteration.</param>
    /// <param name="validation">The validation scores by iteration.</param>
    /// <param name="metric">What the validation measures (<see cref="MLNet.Siamese.Trainers.TrainingSummary.ValidationMetric"/>).</param>
    public static string Write(string folder, IReadOnlyList<float> loss, IReadOnlyList<KeyValuePair<int, double>> validation, string metric = "pair accuracy")
    {
        var writer = tensorboard.SummaryWriter(folder);
        for (int i = 0; i < loss.Count; i++)
        {
            if (float.IsFinite(loss[i]))
                writer.add_scalar(LossTag, loss[i], i + 1);
        }
        foreach (var (iteration, accuracy) in validation)
            writer.add_scalar(metric == "MAP@R" ? MapAtRTag : ValidationTag, (float)accuracy, iteration);
        return Path.GetFullPath(writer.LogDir);
    }
}
