namespace MLNet.Siamese.Cli;

/// <summary>Exit codes of the <c>siamese</c> tool.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure while running (the message is printed on one line).</summary>
    public const int Failure = 1;

    /// <summary>A usage or input error: unknown option or value, missing or unreadable file, not a model zip.</summary>
    public const int UsageError = 2;

    /// <summary>Interrupted (Ctrl+C) before finishing.</summary>
    public const int Cancelled = 130;
}
