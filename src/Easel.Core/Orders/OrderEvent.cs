namespace Easel.Core.Orders;

/// <summary>One line of an order's audit trail. Events are only ever appended.</summary>
public sealed record OrderEvent
{
    /// <summary>Position in the store's event log (0 until stored).</summary>
    public long Seq { get; init; }

    public required string OrderId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required OrderEventKind Kind { get; init; }

    /// <summary>Who acted: a person's name for decisions, "easel" for the system.</summary>
    public string? Actor { get; init; }

    /// <summary>A person's note, or a plain-words explanation.</summary>
    public string? Note { get; init; }

    public int? Batch { get; init; }
    public int? Attempt { get; init; }
    public int? Images { get; init; }
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public TimeSpan? Duration { get; init; }
    public decimal? Cost { get; init; }
    public string? Error { get; init; }

    /// <summary>The actor recorded for what Easel does on its own.</summary>
    public const string System = "easel";
}

public enum OrderEventKind
{
    Requested,
    ApprovalRequested,
    Approved,
    Rejected,
    Expired,
    Queued,
    Started,
    BatchStarted,
    BatchFinished,
    BatchFailed,

    /// <summary>A slot scored below the threshold and is made again from a refined prompt.</summary>
    Refined,

    /// <summary>A slot below the threshold could not be refined (the prompter failed); it keeps its best image.</summary>
    RefinementStopped,
    Completed,
    PartiallyCompleted,
    Failed,
    Cancelled,
}

public static class OrderEventKindExtensions
{
    /// <summary>snake_case, as stored and printed.</summary>
    public static string ToText(this OrderEventKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
