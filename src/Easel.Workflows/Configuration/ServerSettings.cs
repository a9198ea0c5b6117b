namespace Easel.Workflows.Configuration;

/// <summary>The <c>Server</c> section: how <c>easel serve</c> lets people in.</summary>
public sealed record ServerSettings
{
    public const string Section = "Server";

    /// <summary>Shortest token accepted: guessing one must be out of reach.</summary>
    public const int MinTokenLength = 16;

    /// <summary>Lets its holder order, review and browse; required when the server listens beyond this machine.</summary>
    public string? RequesterToken { get; init; }

    /// <summary>Lets its holder do what a requester can and also approve or reject orders.</summary>
    public string? ApproverToken { get; init; }

    /// <summary>Address people reach the studio at, for links in notifications; the first listening address when unset.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Folders local reference paths may come from; none (every local path refused) by default.</summary>
    public IReadOnlyList<string> ReferenceFolders { get; init; } = [];

    /// <summary>How long a stopping server lets running batches finish before interrupting them (they resume on the next start).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool HasTokens => RequesterToken is not null && ApproverToken is not null;
}
