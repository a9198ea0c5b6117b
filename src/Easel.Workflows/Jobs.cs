using Easel.Core.Orders;
using Easel.Core.Quality;
using Quartz;

namespace Easel.Workflows;

/// <summary>
/// Starts a queued order, or resumes a running one: moves on any slot whose iteration finished
/// before an interruption, then schedules a job for each batch that still needs one.
/// </summary>
internal sealed class StartOrderJob(IOrderStore orders, QualityLoop loop, JobScheduling scheduling, TimeProvider time) : IJob
{
    public const string Group = "order";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var orderId = context.MergedJobDataMap.GetString(JobScheduling.OrderIdKey)!;
        await orders.StartAsync(orderId, time.GetUtcNow(), cancellationToken);
        var order = await orders.FindAsync(orderId, cancellationToken);
        if (order is null || order.Status != OrderStatus.Running)
            return;

        var added = await loop.AdvanceAsync(order, onlySlots: null, cancellationToken);
        var open = (await orders.BatchesAsync(orderId, cancellationToken))
            .Where(b => b.IsOpen)
            .Select(b => b.Index)
            .Union(added)
            .ToList();
        if (open.Count == 0)
            await orders.TryFinishAsync(orderId, time.GetUtcNow(), cancellationToken);
        else
            await scheduling.ScheduleBatchesAsync(context.Scheduler, orderId, open, cancellationToken);
    }
}

/// <summary>Cancelled when a stopping worker's grace period is over: running batches stop where they are and resume on the next start.</summary>
internal sealed class WorkerStopping : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    public CancellationToken Token => _source.Token;

    public Task AbandonAsync() => _source.CancelAsync();

    public void Dispose() => _source.Dispose();
}

/// <summary>Runs one batch of an order (see <see cref="BatchRunner"/>) and schedules the refinements it leads to; safe to run again.</summary>
internal sealed class RunBatchJob(BatchRunner runner, JobScheduling scheduling, WorkerStopping stopping) : IJob
{
    public const string Group = "batch";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken jobCancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(jobCancellation, stopping.Token);
        var cancellationToken = linked.Token;
        var data = context.MergedJobDataMap;
        var orderId = data.GetString(JobScheduling.OrderIdKey)!;
        var outcome = await runner.RunAsync(orderId, data.GetInt(JobScheduling.BatchKey), cancellationToken);
        // A crash before this line is covered: the next start moves the slot on again and schedules what is open.
        if (outcome.NewBatches.Count > 0)
            await scheduling.ScheduleBatchesAsync(context.Scheduler, orderId, outcome.NewBatches, cancellationToken);
    }
}

/// <summary>Fires at an approval request's deadline (or at the next start, if no worker ran then).</summary>
internal sealed class ExpireApprovalsJob(OrderService service) : IJob
{
    public const string Group = "expiry";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await service.ExpireDueAsync(cancellationToken);
}

/// <summary>The job and trigger keys, one per unit of work, so scheduling the same work twice is a no-op.</summary>
internal sealed class JobScheduling(TimeProvider time)
{
    public const string OrderIdKey = "order_id";
    public const string BatchKey = "batch";

    public static JobKey StartKey(string orderId) => new(orderId, StartOrderJob.Group);

    public static JobKey BatchJobKey(string orderId, int index) => new($"{orderId}/{index}", RunBatchJob.Group);

    public static JobKey ExpiryKey(string requestId) => new(requestId, ExpireApprovalsJob.Group);

    public async Task<bool> ScheduleStartAsync(IScheduler scheduler, string orderId, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<StartOrderJob>()
            .WithIdentity(StartKey(orderId))
            .UsingJobData(OrderIdKey, orderId)
            .RequestRecovery()
            .Build();
        return await TryScheduleAsync(scheduler, job, time.GetUtcNow(), cancellationToken);
    }

    public async Task ScheduleBatchesAsync(IScheduler scheduler, string orderId, IEnumerable<int> indexes, CancellationToken cancellationToken)
    {
        foreach (var index in indexes)
        {
            var job = JobBuilder.Create<RunBatchJob>()
                .WithIdentity(BatchJobKey(orderId, index))
                .UsingJobData(OrderIdKey, orderId)
                .UsingJobData(BatchKey, index)
                .RequestRecovery()
                .Build();
            await TryScheduleAsync(scheduler, job, time.GetUtcNow(), cancellationToken);
        }
    }

    public Task<bool> ScheduleExpiryAsync(IScheduler scheduler, ApprovalRequest request, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<ExpireApprovalsJob>().WithIdentity(ExpiryKey(request.Id)).RequestRecovery().Build();
        return TryScheduleAsync(scheduler, job, request.ExpiresAt, cancellationToken);
    }

    /// <summary>Schedules <paramref name="job"/> to fire once at <paramref name="at"/>; false when it is already scheduled or running.</summary>
    private static async Task<bool> TryScheduleAsync(IScheduler scheduler, IJobDetail job, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await scheduler.Exists(job.Key, cancellationToken))
            return false;
        // A one-shot trigger whose time passed while no worker ran fires as soon as one starts.
        var trigger = TriggerBuilder.Create()
            .WithIdentity(job.Key.Name, job.Key.Group)
            .StartAt(at)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, default, cancellationToken);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            return false;
        }
    }
}
