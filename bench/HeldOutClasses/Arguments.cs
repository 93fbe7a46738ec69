using System.Globalization;
using MLNet.Siamese;

namespace MLNet.Siamese.Bench.HeldOutClasses;

/// <summary>The command line of the held-out-classes check.</summary>
internal sealed record Arguments(string Recipe, string Data, string? TestData, int LabelDepth, double HeldOutFraction, int? Iterations, int Seed)
{
    /// <summary>--fine-tune N: residual stages of the backbone to train (photos recipe).</summary>
    public int? FineTune { get; init; }

    /// <summary>--fine-tune-size S: image side when fine-tuning.</summary>
    public int? FineTuneSize { get; init; }

    /// <summary>--backbone-lr-scale X: learning rate of the unfrozen stages relative to the head's.</summary>
    public float? BackboneLearningRateScale { get; init; }

    /// <summary>--loss NAME: the objective (e.g. supcon, multisimilarity).</summary>
    public string? Loss { get; init; }

    /// <summary>--learning-rate X.</summary>
    public float? LearningRate { get; init; }

    /// <summary>--temperature X: SupCon's temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>--minimum-gain X: held-out MAP@R a trained model must gain over the untrained one to be kept.</summary>
    public double? MinimumGain { get; init; }

    /// <summary>--patience N: validations without improvement before early stopping; 0 trains every iteration and keeps the result.</summary>
    public int? Patience { get; init; }

    /// <summary>--validation-fraction X: fraction of the training classes the recipe holds out to decide how far to train.</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>--no-photo-augmentation: fine-tune on the photos as they are.</summary>
    public bool NoPhotoAugmentation { get; init; }

    /// <summary>--mirror-views on|off|auto: average the frozen backbone's features over each photo and its mirror image; auto decides on the training classes (the recipe's when left out).</summary>
    public string? MirrorViews { get; init; }

    /// <summary>--whitening auto|pca|within-class|none: the whitened starts of a backbone's head the held-out classes may choose (the recipe's when left out).</summary>
    public string? Whitening { get; init; }

    /// <summary>The options, one line each.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/HeldOutClasses -- --data FOLDER|ZIP|IDX-IMAGES [options]
          --recipe NAME              general (default), handwriting or photos
          --test-data PATH           evaluate the classes of PATH that --data lacks (or an IDX test file)
          --label-depth N            folder levels that name a class (1)
          --held-out-fraction X      fraction of the classes held out of training (0.3)
          --iterations N, --seed N, --loss NAME, --learning-rate X, --temperature X, --patience N
          --fine-tune N, --fine-tune-size S, --backbone-lr-scale X, --no-photo-augmentation
          --minimum-gain X, --validation-fraction X, --whitening auto|pca|within-class|none, --mirror-views on|off|auto
        """;

    public static Arguments Parse(string[] args)
    {
        string recipe = "general", data = "";
        string? test = null, loss = null;
        int depth = 1, seed = 1;
        int? iterations = null, fineTune = null, fineTuneSize = null;
        float? scale = null, rate = null;
        double? temperature = null, gain = null, validationFraction = null;
        int? patience = null;
        bool noPhotoAugmentation = false;
        string? whitening = null;
        string? mirror = null;
        double fraction = 0.3;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--recipe": recipe = Next(); break;
                case "--data": data = Next(); break;
                case "--test-data": test = Next(); break;
                case "--label-depth": depth = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--held-out-fraction": fraction = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--iterations": iterations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--fine-tune": fineTune = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--fine-tune-size": fineTuneSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--backbone-lr-scale": scale = float.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--loss": loss = Next(); break;
                case "--learning-rate": rate = float.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--temperature": temperature = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--minimum-gain": gain = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--validation-fraction": validationFraction = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-photo-augmentation": noPhotoAugmentation = true; break;
                case "--mirror-views": mirror = Next() is "on" or "off" or "auto" ? args[i] : throw new ArgumentException($"--mirror-views '{args[i]}': give on, off or auto."); break;
                case "--whitening":
                    whitening = Next();
                    if (!PhotosRecipe.WhiteningChoices.Contains(whitening))
                        throw new ArgumentException($"--whitening '{whitening}' is unknown; give {string.Join(", ", PhotosRecipe.WhiteningChoices)}.");
                    break;
                case "--patience": patience = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (data.Length == 0) throw new ArgumentException("--data is required.");
        return new Arguments(recipe, data, test, depth, fraction, iterations, seed)
        {
            NoPhotoAugmentation = noPhotoAugmentation, MirrorViews = mirror, Whitening = whitening, FineTune = fineTune, FineTuneSize = fineTuneSize, BackboneLearningRateScale = scale, Loss = loss,
            LearningRate = rate, Temperature = temperature, MinimumGain = gain, Patience = patience,
            ValidationFraction = validationFraction,
        };
    }
}
