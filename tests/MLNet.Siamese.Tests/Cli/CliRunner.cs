using System.Globalization;
using MLNet.Siamese.Cli;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>Runs the <c>siamese</c> command line in process, capturing its exit code and both streams.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = SiameseCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString(), string.Join(' ', args));
    }
}

/// <summary>What one run of the command line did.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error, string CommandLine)
{
    /// <summary>Asserts the exit code, showing the command line and both streams when it differs.</summary>
    public void AssertExitCode(int expected) =>
        Assert.AreEqual(expected, ExitCode, $"'siamese {CommandLine}' exited {ExitCode}:\n{Error}\n{Out}");

    public void AssertSuccess() =>
        Assert.AreEqual(0, ExitCode, $"'siamese {CommandLine}' failed:\n{Error}\n{Out}");

    public void AssertUsageError(string mention)
    {
        Assert.AreEqual(2, ExitCode, $"'siamese {CommandLine}' should fail with 2:\n{Error}\n{Out}");
        string[] lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, $"one line on stderr expected: {Error}");
        StringAssert.Contains(lines[0], mention);
        Assert.DoesNotContain(" at ", lines[0].Replace("at least", "", StringComparison.Ordinal), "no stack trace");
    }
}
