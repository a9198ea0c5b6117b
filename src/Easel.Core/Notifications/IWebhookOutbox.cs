namespace Easel.Core.Notifications;

/// <summary>
/// Webhook deliveries kept in the store: queued from the order audit trail, then sent and retried,
/// so that a restart neither loses one nor sends a delivered one again. Every change is
/// compare-and-set, so two processes on one store never send the same attempt twice.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// Sequence number of the last audit event already turned into deliveries. The first call on a
    /// store records <paramref name="startSeq"/> (history from before webhooks were set up is not sent).
    /// </summary>
    Task<long> CursorAsync(long startSeq, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="deliveries"/> and moves the cursor from <paramref name="fromSeq"/> to
    /// <paramref name="toSeq"/> in one transaction; false (nothing stored) when the cursor had moved.
    /// </summary>
    Task<bool> EnqueueAsync(long fromSeq, long toSeq, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>Pending deliveries to <paramref name="hooks"/> due at <paramref name="now"/>, oldest event first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> DueAsync(IReadOnlyCollection<string> hooks, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery to <paramref name="hooks"/> is due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(IReadOnlyCollection<string> hooks, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a due delivery for its next attempt: counts the attempt and holds it until
    /// <paramref name="until"/> (after which it is due again, should this process die mid-send).
    /// False when it is no longer due or another sender took it.
    /// </summary>
    Task<bool> ClaimAsync(string deliveryId, int attemptsBefore, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Records how a claimed attempt ended; false when the delivery had moved on meanwhile.</summary>
    Task<bool> RecordAsync(WebhookAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Deliveries, newest event first: of one order, or of all when <paramref name="orderId"/> is null.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListAsync(string? orderId, int limit, CancellationToken cancellationToken);
}

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,

    /// <summary>Given up: too many failed attempts, or the receiver said the hook is gone (410).</summary>
    Failed,
}

/// <summary>One event for one webhook, with its body as first built and where its sending stands.</summary>
public sealed record WebhookDelivery
{
    /// <summary>Sent as the <c>Easel-Delivery</c> header and the body's <c>id</c>; the same on every attempt.</summary>
    public required string Id { get; init; }

    /// <summary>The audit event it announces.</summary>
    public required long EventSeq { get; init; }

    /// <summary>The webhook's configured name.</summary>
    public required string Hook { get; init; }

    /// <summary><c>approval_needed</c> or <c>order_finished</c>.</summary>
    public required string Type { get; init; }

    public required string OrderId { get; init; }

    /// <summary>The JSON body, sent byte for byte the same on every attempt.</summary>
    public required string Payload { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public WebhookDeliveryStatus Status { get; init; }

    /// <summary>Attempts made (or under way).</summary>
    public int Attempts { get; init; }

    /// <summary>When a pending delivery is next due.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>The HTTP status of the last answer; null when there was none (timeout, refused connection).</summary>
    public int? ResponseStatus { get; init; }

    /// <summary>Why the last attempt failed, in plain words; null after success.</summary>
    public string? LastError { get; init; }
}

/// <summary>How an attempt ended: delivered, to be retried at <see cref="NextAttemptAt"/>, or given up.</summary>
public sealed record WebhookAttempt(
    string DeliveryId, int Attempt, WebhookDeliveryStatus Status, DateTimeOffset At, DateTimeOffset? NextAttemptAt, int? ResponseStatus, string? Error);
