using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Siamese.Bench;

/// <summary>One measured figure: a value, the reference it is compared with side by side, and their ratio.</summary>
internal sealed record Figure(string Section, string Name, double Value, string Unit, double? Reference = null,
    string? ReferenceName = null, double? Target = null, string? Note = null, bool AtMost = false)
{
    /// <summary>Value / Reference (null without a reference).</summary>
    public double? Ratio => Reference is > 0 ? Value / Reference : null;

    /// <summary>Whether the ratio meets the target (ratio >= target, or <= when <see cref="AtMost"/>), null without a target.</summary>
    public bool? Holds => Target is null || Ratio is null ? null : AtMost ? Ratio <= Target : Ratio >= Target;
}

/// <summary>The collected figures, printed as a table and written as JSON.</summary>
internal sealed class Results
{
    public List<Figure> Figures { get; } = new();
    public Dictionary<string, string> Environment { get; } = new();
    public List<string> Methods { get; } = new();

    public void Add(Figure f)
    {
        Figures.Add(f);
        Console.WriteLine($"  {f.Section,-12} {f.Name,-46} {Fmt(f.Value)} {f.Unit}" + (f.Ratio is double r ? $"  ratio {r:F3} vs {f.ReferenceName} {Fmt(f.Reference!.Value)}" : ""));
    }

    public static string Fmt(double v) => double.IsNaN(v) ? "n/a" : Math.Abs(v) >= 100 ? v.ToString("F0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 1 ? v.ToString("F2", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);

    public string Table()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine("| Section | Figure | Value | Unit | Reference (same run) | Ratio | Target | Holds | Note |");
        w.WriteLine("|---|---|---:|---|---|---:|---:|---|---|");
        foreach (var f in Figures)
        {
            string reference = f.Reference is double r ? $"{f.ReferenceName} = {Fmt(r)}" : "";
            string ratio = f.Ratio is double q ? q.ToString("F3", CultureInfo.InvariantCulture) : "";
            string target = f.Target is double t ? (f.AtMost ? "<= " : ">= ") + t.ToString("0.##", CultureInfo.InvariantCulture) : "";
            string holds = f.Holds is bool h ? (h ? "yes" : "NO") : "";
            w.WriteLine($"| {f.Section} | {f.Name} | {Fmt(f.Value)} | {f.Unit} | {reference} | {ratio} | {target} | {holds} | {f.Note} |");
        }
        return w.ToString();
    }

    public void WriteJson(string path)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var payload = new { environment = Environment, methods = Methods, figures = Figures.Select(f => new { f.Section, f.Name, f.Value, f.Unit, f.Reference, f.ReferenceName, f.Ratio, f.Target, f.Holds, f.Note }) };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(payload, options));
    }
}
