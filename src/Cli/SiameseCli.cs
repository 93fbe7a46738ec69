using System.CommandLine;
using MLNet.Siamese.Cli.Commands;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Cli;

/// <summary>
/// The <c>siamese</c> command-line tool: <c>train</c>, <c>evaluate</c>, <c>oneshot</c>, <c>embed</c> and <c>search</c>.
/// <see cref="Run"/> is the whole program, callable in-process with any writers (tests use string writers).
/// </summary>
public static class SiameseCli
{
    /// <summary>Parses and runs one command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Standard output: results, tables, or the single JSON object of <c>--json</c>.</param>
    /// <param name="stderr">Standard error: one-line errors, and progress when <c>--json</c> is given.</param>
    /// <returns>The exit code: 0 success, 2 usage or input error, 1 other failure, 130 interrupted (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        RootCommand root = CreateRootCommand(stdout, stderr);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string messages = string.Join(" ", parse.Errors.Select(e => ModelFile.FirstLine(e.Message)).Distinct(StringComparer.Ordinal));
            stderr.WriteLine($"siamese: error: {messages} (see 'siamese --help')");
            return ExitCodes.UsageError;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Builds the command tree, bound to the given writers.</summary>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <returns>The root command.</returns>
    public static RootCommand CreateRootCommand(TextWriter stdout, TextWriter stderr)
    {
#if SIAMESE_SCORING_ONLY
        var root = new RootCommand("Siamese networks on ML.NET, scoring-only edition (no libtorch; train with MLNet.Siamese.Cli): evaluate, one-shot test, embed, search and identify.");
#else
        var root = new RootCommand("Siamese networks on ML.NET: train, evaluate, one-shot test, embed, search and identify.");
#endif
#if !SIAMESE_SCORING_ONLY
        root.Subcommands.Add(TrainCommand.Create(stdout, stderr));
#endif
        root.Subcommands.Add(EvaluateCommand.Create(stdout, stderr));
        root.Subcommands.Add(OneShotCommand.Create(stdout, stderr));
        root.Subcommands.Add(EmbedCommand.Create(stdout, stderr));
        root.Subcommands.Add(SearchCommand.Create(stdout, stderr));
        root.Subcommands.Add(InfoCommand.Create(stdout, stderr));
        root.Subcommands.Add(EnrollCommand.Create(stdout, stderr));
        root.Subcommands.Add(IdentifyCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvaluateIdentificationCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>Runs a command body, turning exceptions into a one-line message and an exit code (no stack trace).</summary>
    internal static int Guard(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliUsageException e)
        {
            return Fail(stderr, e.Message, ExitCodes.UsageError);
        }
        catch (OperationCanceledException)
        {
            return Fail(stderr, "interrupted.", ExitCodes.Cancelled);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                      or ArgumentException or ArchiveRejectedException or FormatException
                                      or InvalidOperationException or NotSupportedException or UnauthorizedAccessException)
        {
            return Fail(stderr, e.Message, ExitCodes.UsageError);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail(stderr, $"{e.GetType().Name}: {e.Message}", ExitCodes.Failure);
        }
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"siamese: error: {ModelFile.FirstLine(message)}");
        return code;
    }
}
