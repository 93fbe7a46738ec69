using System.Globalization;

namespace MLNet.Siamese.Bench.HeldOutClasses;

/// <summary>The command line of the held-out-classes check.</summary>
internal sealed record Arguments(string Recipe, string Data, string? TestData, int LabelDepth, double HeldOutFraction, int? Iterations, int Seed)
{
    public static Arguments Parse(string[] args)
    {
        string recipe = "general", data = "";
        string? test = null;
        int depth = 1, seed = 1;
        int? iterations = null;
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
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (data.Length == 0) throw new ArgumentException("--data is required.");
        return new Arguments(recipe, data, test, depth, fraction, iterations, seed);
    }
}
