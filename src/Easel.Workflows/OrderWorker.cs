using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace Easel.Workflows;

/// <summary>What a worker needs: the store, the providers and their limits, and the quality loop's evaluator and prompter.</summary>
public sealed record WorkerContext(EaselStore Store, ProviderRegistry Providers, ProviderGates Gates, QualityServices Quality, TimeProvider Time)
{
    /// <summary>Jobs that may run at once in this process (batches of all providers together).</summary>
    public int MaxConcurrentJobs { get; init; } = 32;

    /// <summary>How often the worker looks for work placed or approved by other processes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public ILoggerFactory Logging { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>
/// Runs orders with Quartz.NET on the SQLite store, in the one process per data directory that
/// holds the <see cref="WorkerLease"/>. Easel's tables say what is to be done; the worker makes
/// sure each queued order, batch and approval deadline has its Quartz job, and watches the event
/// log for work placed or decided by other processes.
/// </summary>
public sealed class OrderWorker : IAsyncDisposable
{
    private readonly WorkerContext _context;
    private readonly WorkerLease _lease;
    private readonly StandaloneSchedulerFactory _factory;
    private readonly IScheduler _scheduler;
    private readonly JobScheduling _scheduling;
    private readonly OrderService _service;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _known = [];
    private readonly SemaphoreSlim _reconcileLock = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly WorkerStopping _stopping;
    private Task _watch = Task.CompletedTask;
    private int _disposed;

    private OrderWorker(
        WorkerContext context, WorkerLease lease, StandaloneSchedulerFactory factory, IScheduler scheduler, JobScheduling scheduling, OrderService service, WorkerStopping stopping)
    {
        _stopping = stopping;
        _context = context;
        _lease = lease;
        _factory = factory;
        _scheduler = scheduler;
        _scheduling = scheduling;
        _service = service;
    }

    /// <summary>
    /// Starts the worker: expires overdue approvals, resumes interrupted work and starts every
    /// queued order. Returns null when another process is already the worker for this data directory.
    /// </summary>
    public static async Task<OrderWorker?> TryStartAsync(WorkerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lease = WorkerLease.TryAcquire(context.Store.Directory);
        if (lease is null)
            return null;
        try
        {
            var orders = context.Store.Orders;
            var store = context.Store;
            var service = new OrderService(context.Providers, orders, store.Blobs, context.Quality, context.Time);
            var quality = context.Quality;
            var loop = new QualityLoop(orders, store.Images, store.Blobs, quality.Evaluator, quality.Prompter, quality.FindPreset, context.Providers, context.Time);
            var runner = new BatchRunner(context.Providers, orders, store.Images, store.Blobs, context.Gates, loop, context.Time);
            var scheduling = new JobScheduling(context.Time);
            var stopping = new WorkerStopping();
            var connectionString = context.Store.Database.ConnectionString;
            // The factory owns Quartz's container; kept so that stopping releases it.
            var factory = QuartzSchedulerBuilder.Create(q =>
            {
                q.Services.AddSingleton(orders);
                q.Services.AddSingleton(service);
                q.Services.AddSingleton(runner);
                q.Services.AddSingleton(loop);
                q.Services.AddSingleton(scheduling);
                q.Services.AddSingleton(stopping);
                q.Services.AddSingleton(context.Time);
                q.Services.AddSingleton(context.Logging);
                q.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
                q.UseTimeProvider(context.Time);
                q.UseDefaultThreadPool(context.MaxConcurrentJobs);
                q.ConfigureScheduler(o =>
                {
                    o.InstanceName = "easel";
                    // New work from this process is signalled at once; the poll below covers other processes.
                    o.IdleWaitTime = TimeSpan.FromSeconds(5);
                    // A stop that does not wait (Ctrl+C) interrupts batches; they resume on the next start.
                    o.ShutdownJobInterruption = ShutdownJobInterruption.WhenNotWaitingForJobs;
                });
                q.UsePersistentStore(s =>
                {
                    // Quartz's tables live in easel.db beside Easel's own: one file to back up.
                    s.UseSqlite(connectionString);
                    s.ProvisionSchema();
                    s.UseSystemTextJsonSerializer();
                });
            }).Build();
            IScheduler scheduler;
            try
            {
                scheduler = await factory.GetScheduler(cancellationToken);
            }
            catch
            {
                await factory.DisposeAsync();
                throw;
            }

            var worker = new OrderWorker(context, lease, factory, scheduler, scheduling, service, stopping);
            try
            {
                await worker.ReconcileAsync(cancellationToken);
                await scheduler.Start(cancellationToken);
            }
            catch
            {
                await scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
                await factory.DisposeAsync();
                throw;
            }
            worker._watch = worker.WatchAsync();
            return worker;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes sure everything that should happen has a job: overdue approvals expire, queued and
    /// running orders are (re)started, and pending approvals get a trigger at their deadline.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _reconcileLock.WaitAsync(cancellationToken);
        try
        {
            var orders = _context.Store.Orders;
            await _service.ExpireDueAsync(cancellationToken);
            var open = await orders.ListAsync([OrderStatus.Queued, OrderStatus.Running, OrderStatus.AwaitingApproval], int.MaxValue, cancellationToken);
            var seen = new HashSet<string>();
            foreach (var order in open)
            {
                seen.Add(order.Id);
                if (!_known.Add(order.Id) && order.Status != OrderStatus.Queued)
                    continue;
                if (order.Status.IsActive())
                {
                    await _scheduling.ScheduleStartAsync(_scheduler, order.Id, cancellationToken);
                }
                else if (await orders.ApprovalForOrderAsync(order.Id, cancellationToken) is { Status: ApprovalStatus.Pending } request)
                {
                    await _scheduling.ScheduleExpiryAsync(_scheduler, request, cancellationToken);
                    // Awaiting orders are looked at again when decided (they come back as queued).
                }
            }
            _known.IntersectWith(seen);
        }
        finally
        {
            _reconcileLock.Release();
        }
    }

    /// <summary>True while any order is queued or running.</summary>
    public async Task<bool> HasActiveWorkAsync(CancellationToken cancellationToken) =>
        (await _context.Store.Orders.ListAsync([OrderStatus.Queued, OrderStatus.Running], 1, cancellationToken)).Count > 0;

    /// <summary>
    /// Looks for new work now rather than at the next poll: called by code in this process that
    /// has just placed or decided an order.
    /// </summary>
    public void Nudge()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already nudged; one look covers both.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Watches the event log: any change by any process may be new work for this worker.</summary>
    private async Task WatchAsync()
    {
        var token = _stop.Token;
        long last = -1;
        try
        {
            while (true)
            {
                await _wake.WaitAsync(_context.PollInterval, token);
                try
                {
                    var seq = await _context.Store.Orders.LastEventSeqAsync(token);
                    if (seq == last)
                        continue;
                    last = seq;
                    await ReconcileAsync(token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A busy or briefly unavailable database: try again on the next tick.
                    _context.Logging.CreateLogger<OrderWorker>().LogWarning(ex, "Looking for new work failed; retrying.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops taking work. Waits for running batches unless <paramref name="abandonRunning"/>; abandoned batches resume on the next start.</summary>
    public Task StopAsync(bool abandonRunning = false) => StopAsync(abandonRunning ? TimeSpan.Zero : Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Stops taking work and gives running batches <paramref name="grace"/> to finish; those still
    /// running then are interrupted and resume on the next start.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync();
        await _watch;
        try
        {
            if (grace == TimeSpan.Zero)
            {
                await _stopping.AbandonAsync();
                await _scheduler.Shutdown(waitForJobsToComplete: false);
                return;
            }
            var running = _scheduler.Shutdown(waitForJobsToComplete: true).AsTask();
            if (grace != Timeout.InfiniteTimeSpan && await Task.WhenAny(running, Task.Delay(grace, _context.Time)) != running)
            {
                // Out of time: stop what is left; each batch is resumed by the next worker.
                await _stopping.AbandonAsync();
            }
            await running;
        }
        finally
        {
            await _factory.DisposeAsync();
            _lease.Dispose();
            _stop.Dispose();
            _stopping.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
