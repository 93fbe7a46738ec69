using System.CommandLine;

namespace MLNet.Siamese.Cli.Commands;

/// <summary>Factories of the options several commands share (each command needs its own instances).</summary>
internal static class CommonOptions
{
    public static Option<string[]> Data(bool required, string name = "--data", string? description = null) => new(name)
    {
        Description = description ?? "Image folder, .zip of one, or IDX images file (labels file beside it); repeat to concatenate sources.",
        Required = required,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<int> LabelDepth() => new("--label-depth")
    {
        Description = $"Folder names above each image that form its label (default {TrainDefaults.LabelDepth}; Omniglot's alphabet/character trees need 2).",
        DefaultValueFactory = _ => TrainDefaults.LabelDepth,
    };

    public static Option<string> Model(string description = "Model zip written by 'siamese train'.") => new("--model")
    {
        Description = description,
        Required = true,
    };

    /// <summary>The description of a --model that only embeds: any zip the library writes.</summary>
    public const string AnyEmbeddingModel = "Model zip written by 'siamese train', an embedder zip (the Photos example's), or an identifier written by 'siamese enroll'.";

    public static Option<int> Seed(int defaultValue = TrainDefaults.Seed) => new("--seed")
    {
        Description = $"Random seed (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print one JSON object on standard output and nothing else (progress goes to standard error).",
    };

    /// <summary>--calibration auto|gallery|model: what an identifier's unknown threshold is measured on (<see cref="Identification.ThresholdCalibration"/>).</summary>
    public static Option<string> Calibration()
    {
        var option = new Option<string>("--calibration")
        {
            Description = "What the unknown threshold for --far is measured on: model (the distances between classes the model measured when it was trained), gallery (the enrolled classes left out in turn, plus --impostors), or auto (the default: model when the gallery has fewer classes than 1 / --far, the model measured classes held out of training, as the photos recipe does, the gallery compares items and no impostors are given).",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "gallery", "model");
        return option;
    }

    /// <summary>The value of <see cref="Calibration"/>.</summary>
    public static Identification.ThresholdCalibration CalibrationOf(string value) => Enum.Parse<Identification.ThresholdCalibration>(value, ignoreCase: true);

    public static Option<bool> WithinGroup(string description) => new("--within-group") { Description = description };

    /// <summary>Adds the options to a command and returns it.</summary>
    public static Command With(this Command command, params Option[] options)
    {
        foreach (var option in options)
            command.Options.Add(option);
        return command;
    }

    /// <summary>Sets a synchronous action guarded against exceptions; Ctrl+C cancels through the token.</summary>
    public static void SetGuardedAction(this Command command, TextWriter stderr, Func<ParseResult, CancellationToken, int> body)
        => command.SetAction((parse, token) => Task.FromResult(SiameseCli.Guard(stderr, () => body(parse, token))));

    public static void Positive(string name, long value)
    {
        if (value < 1)
            throw new CliUsageException($"{name} must be a positive integer (got {value}).");
    }

    public static void PositiveFinite(string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new CliUsageException($"{name} must be a positive number (got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
    }
}
