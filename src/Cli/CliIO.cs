using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Where a command writes: standard output (results, or the single JSON object with <c>--json</c>), standard error
/// (progress when JSON is asked for, and errors), and a Spectre.Console view of standard output with colours and live
/// widgets only when it is a terminal.
/// </summary>
internal sealed class CliIO
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public CliIO(TextWriter stdout, TextWriter stderr, bool json)
    {
        Out = stdout;
        Error = stderr;
        Json = json;
        IsTerminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!IsTerminal)
            Console.Profile.Width = 160;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>True when <c>--json</c> was given: standard output gets one JSON object and nothing else.</summary>
    public bool Json { get; }

    /// <summary>True when standard output is an interactive terminal.</summary>
    public bool IsTerminal { get; }

    /// <summary>Spectre.Console bound to standard output.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Live widgets (progress bars) only on a terminal and without JSON.</summary>
    public bool Live => IsTerminal && !Json;

    /// <summary>An informational line: on standard output, or on standard error when standard output is reserved for JSON.</summary>
    public void Info(string line) => (Json ? Error : Out).WriteLine(line);

    /// <summary>Writes the result object as the only content of standard output.</summary>
    public void WriteJson(JsonObject result) => Out.WriteLine(result.ToJsonString(JsonOptions));

    /// <summary>Writes a table (Spectre rendering; plain characters when not a terminal).</summary>
    public void WriteTable(Table table)
    {
        if (!IsTerminal)
            table.Border(TableBorder.Ascii);
        Console.Write(table);
    }
}
