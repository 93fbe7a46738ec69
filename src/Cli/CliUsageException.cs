namespace MLNet.Siamese.Cli;

/// <summary>A usage or input error (bad option value, missing file, unusable model): reported on one line, exit code 2.</summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">One line naming the problem.</param>
    public CliUsageException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">One line naming the problem.</param>
    /// <param name="inner">The underlying exception.</param>
    public CliUsageException(string message, Exception inner) : base(message, inner)
    {
    }
}
