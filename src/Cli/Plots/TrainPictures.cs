using System.CommandLine;
using System.Text.Json.Nodes;
using MLNet.Siamese.Cli.Commands;
using MLNet.Siamese.Trainers;
using Microsoft.ML;

namespace MLNet.Siamese.Cli.Plots;

/// <summary>
/// The options of <c>siamese train</c> that produce pictures and logs: <c>--plots DIR</c> (<see cref="TrainPlots"/>),
/// <c>--tensorboard DIR</c> (<see cref="TrainTensorBoard"/>) and <c>--validation-data PATH</c>, the labelled data whose
/// pair accuracy (on <see cref="ValidationPairs"/> balanced pairs) is recorded <see cref="Validations"/> times over the
/// run, at most every 500 iterations (what the validation curve shows; the trainer then also calibrates the threshold
/// on it).
/// </summary>
internal sealed class TrainPictures
{
    /// <summary>How many times the validation pairs are scored over a run (at most every 500 iterations).</summary>
    public const int Validations = 20;

    /// <summary>Balanced validation pairs drawn once from <c>--validation-data</c>.</summary>
    public const int ValidationPairs = 400;

    private readonly Option<string?> _plots = new("--plots") { Description = "Folder to write loss.png (loss with its moving average) and, with --validation-data, validation.png." };
    private readonly Option<string?> _tensorboard = new("--tensorboard") { Description = "Folder to write the loss and validation accuracy to as TensorBoard scalars (TorchSharp's SummaryWriter)." };
    private readonly Option<string[]> _validation = CommonOptions.Data(required: false, "--validation-data",
        "Labelled data (same kind as --data): pair accuracy on 400 of its pairs, 20 times over the run, is the validation curve; it also calibrates the threshold.");

    /// <summary>Adds the three options to the command.</summary>
    public void AddTo(Command command) => command.With(_plots, _tensorboard, _validation);

    /// <summary>The values given on one command line.</summary>
    public Request Read(ParseResult parse) => new(parse.GetValue(_plots), parse.GetValue(_tensorboard), parse.GetValue(_validation) ?? []);

    /// <summary>What one <c>train</c> run was asked to draw and log.</summary>
    internal sealed record Request(string? Plots, string? TensorBoard, string[] ValidationData)
    {
        /// <summary>Checks the folders and loads the validation data into the trainer options, before training; its warnings (skipped files) go to <paramref name="io"/> when given.</summary>
        public void Prepare(MLContext ml, SiameseTrainerOptions options, ItemSet training, int labelDepth, CliIO? io = null)
        {
            if (Plots is not null)
                PlotFiles.Folder(Plots, "--plots");
            if (TensorBoard is not null)
                PlotFiles.Folder(TensorBoard, "--tensorboard");
            if (ValidationData.Length == 0)
                return;
            ItemSet validation = DataSources.Load(ValidationData, labelDepth, io);
            if (validation.Kind != training.Kind || validation.FeatureLength != training.FeatureLength)
                throw new CliUsageException("--validation-data must be the same kind of data as --data (image folders, or IDX files of the same image size).");
            if (validation.ClassCount < 2)
                throw new CliUsageException($"--validation-data holds {validation.ClassCount} class(es); validation pairs need at least 2.");
            options.ValidationData = validation.ToDataView(ml);
            options.ValidationPairs = ValidationPairs;
            options.ValidationInterval = Math.Clamp(options.Iterations / Validations, 1, 500);
        }

        /// <summary>Writes the pictures when <c>--plots</c> was given; returns their paths for <c>--json</c> (null when not asked).</summary>
        public JsonObject? WritePlots(CliIO io, TrainingSummary summary)
        {
            if (Plots is null)
                return null;
            var paths = TrainPlots.Write(PlotFiles.Folder(Plots, "--plots"), summary.LossHistory, summary.ValidationHistory, summary.ValidationMetric, summary.StartValidation);
            io.Info($"Plots written: {string.Join(", ", paths)}");
            return new JsonObject { ["loss"] = paths[0], ["validation"] = paths.Count > 1 ? paths[1] : null };
        }

        /// <summary>Writes the TensorBoard scalars when <c>--tensorboard</c> was given; returns the folder (null when not asked).</summary>
        public string? WriteTensorBoard(CliIO io, TrainingSummary summary)
        {
            if (TensorBoard is null)
                return null;
            string folder = TrainTensorBoard.Write(PlotFiles.Folder(TensorBoard, "--tensorboard"), summary.LossHistory, summary.ValidationHistory, summary.ValidationMetric);
            io.Info($"TensorBoard scalars written to {folder}");
            return folder;
        }
    }
}
