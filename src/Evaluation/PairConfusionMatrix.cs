using System.Globalization;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// The 2x2 confusion matrix of a same/different pair classifier. The positive class is "same" (label <c>true</c>).
/// Named <c>PairConfusionMatrix</c> rather than <c>ConfusionMatrix</c> so that it never clashes with
/// <c>Microsoft.ML.Data.ConfusionMatrix</c> in files that import both namespaces.
/// </summary>
public sealed class PairConfusionMatrix
{
    /// <summary>Creates a confusion matrix from its four counts.</summary>
    /// <param name="truePositives">Same pairs predicted same.</param>
    /// <param name="falsePositives">Different pairs predicted same (false accepts).</param>
    /// <param name="trueNegatives">Different pairs predicted different.</param>
    /// <param name="falseNegatives">Same pairs predicted different (false rejects).</param>
    public PairConfusionMatrix(long truePositives, long falsePositives, long trueNegatives, long falseNegatives)
    {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0)
            throw new ArgumentOutOfRangeException(nameof(truePositives), "Confusion matrix counts cannot be negative.");
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        TrueNegatives = trueNegatives;
        FalseNegatives = falseNegatives;
    }

    /// <summary>Same pairs predicted same.</summary>
    public long TruePositives { get; }

    /// <summary>Different pairs predicted same (false accepts).</summary>
    public long FalsePositives { get; }

    /// <summary>Different pairs predicted different.</summary>
    public long TrueNegatives { get; }

    /// <summary>Same pairs predicted different (false rejects).</summary>
    public long FalseNegatives { get; }

    /// <summary>The number of pairs counted: the sum of the four cells.</summary>
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Renders the matrix as a small text table, rows = truth, columns = prediction.</summary>
    /// <returns>A multi-line table.</returns>
    public override string ToString()
    {
        string[] cells =
        [
            TruePositives.ToString(CultureInfo.InvariantCulture), FalseNegatives.ToString(CultureInfo.InvariantCulture),
            FalsePositives.ToString(CultureInfo.InvariantCulture), TrueNegatives.ToString(CultureInfo.InvariantCulture),
        ];
        int width = Math.Max("Pred same".Length, cells.Max(c => c.Length));
        string Cell(string s) => s.PadLeft(width);
        const string rowHeader = "Truth \\ Pred ";
        return string.Join(Environment.NewLine,
            $"{rowHeader}| {Cell("Pred same")} | {Cell("Pred diff")}",
            $"{"Same",-13}| {Cell(cells[0])} | {Cell(cells[1])}",
            $"{"Different",-13}| {Cell(cells[2])} | {Cell(cells[3])}");
    }
}
