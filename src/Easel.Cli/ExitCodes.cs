namespace Easel.Cli;

/// <summary>Process exit codes; documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The work was attempted and failed (provider error, disk full, some images missing…).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The order was placed and waits for a person's approval; the output says how to decide.</summary>
    public const int AwaitingApproval = 3;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Interrupted = 130;
}

/// <summary>A command-line mistake found after parsing (e.g. conflicting options); exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
