using Easel.Core.Gallery;

namespace Easel.Core.Orders;

/// <summary>
/// Where orders, their batches, approval requests and audit events are kept. Every method that
/// changes state is one transaction that also appends its audit event, and is compare-and-set:
/// it changes nothing and says so when the state it expects is no longer there.
/// </summary>
public interface IOrderStore
{
    /// <summary>Stores a new order with its batches (when queued), its approval request (when it must wait) and its first events.</summary>
    Task CreateAsync(Order order, IReadOnlyList<Batch> batches, ApprovalRequest? approval, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken);

    /// <summary>Finds an order by id or unambiguous id prefix.</summary>
    /// <exception cref="AmbiguousIdException">The prefix matches more than one order.</exception>
    Task<Order?> FindAsync(string idOrPrefix, CancellationToken cancellationToken);

    /// <summary>Newest first; all statuses when <paramref name="statuses"/> is null or empty.</summary>
    Task<IReadOnlyList<Order>> ListAsync(IReadOnlyCollection<OrderStatus>? statuses, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<OrderEvent>> EventsAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>Events of every order after <paramref name="seq"/>, oldest first: a feed of what happens.</summary>
    Task<IReadOnlyList<OrderEvent>> EventsAfterAsync(long seq, int limit, CancellationToken cancellationToken);

    /// <summary>Sequence number of the newest event of any order: changes whenever any order changes.</summary>
    Task<long> LastEventSeqAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<BatchState>> BatchesAsync(string orderId, CancellationToken cancellationToken);

    Task<BatchState?> FindBatchAsync(string orderId, int index, CancellationToken cancellationToken);

    /// <summary>Where each slot of the order stands in the quality loop (none for orders stored before the loop existed).</summary>
    Task<IReadOnlyList<SlotState>> SlotsAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a slot still generating <see cref="SlotAdvance.FromIteration"/> of a running order to the
    /// next iteration with its refined prompt, adding its batches. Returns the new batches' indexes,
    /// or none when the slot had already moved on, settled, or the order stopped running.
    /// </summary>
    Task<IReadOnlyList<int>> AdvanceSlotAsync(SlotAdvance advance, CancellationToken cancellationToken);

    /// <summary>Marks a slot still generating <paramref name="iteration"/> done, with its best image; false when it already was.</summary>
    /// <param name="stopped">Why refinement stopped early (the prompter failed) and when, appended to the audit trail; null when it ended normally.</param>
    Task<bool> SettleSlotAsync(string orderId, int slot, int iteration, string? bestImageId, int? bestScore, CancellationToken cancellationToken, (string Note, DateTimeOffset At)? stopped = null);

    Task<ApprovalRequest?> FindApprovalAsync(string requestId, CancellationToken cancellationToken);

    Task<ApprovalRequest?> ApprovalForOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a decision if the request is still pending, not past its deadline at <paramref name="now"/>
    /// and its order still waits for it. Approving queues the order with <paramref name="batches"/>.
    /// </summary>
    Task<DecisionOutcome> DecideAsync(ApprovalDecision decision, IReadOnlyList<Batch> batches, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Expires every pending request whose deadline is at or before <paramref name="now"/>; returns the orders that expired.</summary>
    Task<IReadOnlyList<string>> ExpireDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Cancels an order that has not finished; false when it already had.</summary>
    Task<bool> CancelAsync(string orderId, string actor, string? note, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Queued → Running; false when the order was not queued.</summary>
    Task<bool> StartAsync(string orderId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a batch of a running order in flight for a new attempt. Returns the batch as it was
    /// before (so the caller can clear the files of an interrupted attempt) with the new attempt
    /// number, or null when the batch is already done or failed or the order is not running.
    /// </summary>
    Task<BatchState?> BeginBatchAsync(string orderId, int index, string provider, string model, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records the job an asynchronous vendor started for the batch's attempt in flight (kept for later attempts).</summary>
    Task SetRemoteJobAsync(string orderId, int index, int attempt, string jobId, CancellationToken cancellationToken);

    /// <summary>Records the files an attempt is about to write, so a crash cannot leave them behind unnoticed.</summary>
    Task SetPendingFilesAsync(string orderId, int index, int attempt, IReadOnlyList<string> paths, CancellationToken cancellationToken);

    /// <summary>Stores the images and marks the batch done, if <paramref name="attempt"/> is still the batch's attempt in flight.</summary>
    Task<bool> CompleteBatchAsync(BatchResult result, CancellationToken cancellationToken);

    /// <summary>Marks the batch failed, if <paramref name="attempt"/> is still the batch's attempt in flight.</summary>
    Task<bool> FailBatchAsync(string orderId, int index, int attempt, string error, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Running → Completed, PartiallyCompleted or Failed once no batch is pending or in flight and every slot is settled;
    /// returns the new status, or null when the order is not ready or not running.
    /// </summary>
    Task<OrderStatus?> TryFinishAsync(string orderId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> CountImagesAsync(string orderId, CancellationToken cancellationToken);
}

/// <summary>A slot refined for another iteration: its new prompt and the calls that make it.</summary>
/// <param name="Batches">Indexes are assigned by the store; the ones given are ignored.</param>
/// <param name="Note">Why, for the audit trail ("score 64 is below 80: little red ...").</param>
public sealed record SlotAdvance(string OrderId, int Slot, int FromIteration, string Prompt, IReadOnlyList<Batch> Batches, string Note, DateTimeOffset At);

/// <summary>What a finished provider call produced, stored in one transaction.</summary>
public sealed record BatchResult(
    string OrderId,
    int Index,
    int Attempt,
    IReadOnlyList<ImageRecord> Images,
    string Provider,
    string Model,
    TimeSpan Duration,
    decimal Cost,
    DateTimeOffset At);

public enum DecisionResult
{
    Decided,
    NotFound,
    AlreadyDecided,
    Expired,

    /// <summary>The order no longer waits for this request (cancelled, or decided another way).</summary>
    Stale,
}

/// <summary>The outcome of <see cref="IOrderStore.DecideAsync"/> and the request as it now stands.</summary>
public sealed record DecisionOutcome(DecisionResult Result, ApprovalRequest? Request);
