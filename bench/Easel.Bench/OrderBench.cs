using System.Diagnostics;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;
using Easel.Storage;
using Easel.Workflows;

namespace Easel.Bench;

/// <summary>
/// Times durable orders through the real product path: an <see cref="EaselStore"/> in a fresh data
/// directory, <see cref="OrderService.PlaceAsync"/> and an <see cref="OrderWorker"/> (Quartz on the
/// same SQLite file) already running in this process, with <see cref="BenchImageProvider"/> in place
/// of a vendor. Times come from the order's own event log (millisecond timestamps), so how often
/// the benchmark looks does not enter the figures.
/// </summary>
internal sealed class OrderBench(string repository, bool quick, bool skipCli, TextWriter log)
{
    public const int ThroughputImages = 200;
    public const int ThroughputPerCall = 4;
    public const int ThroughputConcurrency = 8;
    public const int OverheadImages = 40;
    public const int OverheadPerCall = 4;
    public const int OverheadConcurrency = 4;
    public const int ApprovalImages = 8; // above the default limit of 4 images without approval

    public const string Prompt = "a lighthouse on a cliff at dawn, oil painting";

    private TimeSpan _pollInterval;

    // The goal is stated for 1.0 s calls; a quick run scales the latency down (and says so).
    private TimeSpan Latency => quick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1);

    public OrderResults Run() => RunAsync().GetAwaiter().GetResult();

    private async Task<OrderResults> RunAsync()
    {
        var (concurrent, sequential) = await MeasureThroughputAsync();
        var overhead = await MeasureOverheadAsync();
        var approval = await MeasureApprovalAsync();
        var busy = await MeasureBusyWaitAsync();
        return new OrderResults(FileSystemOf(Path.GetTempPath()), _pollInterval, concurrent, sequential, overhead, approval, busy);
    }

    /// <summary>
    /// How long a write transaction on a connection as Easel opens them waits for a write lock another
    /// connection holds briefly. Quartz's job store opens its connections with the same connection
    /// string, from the same pool, so this is what any collision of the worker's writes costs.
    /// </summary>
    private async Task<Samples> MeasureBusyWaitAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"easel-bench-busy-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var waits = new List<double>();
        try
        {
            using var store = EaselStore.Open(new DataDirectory(root));
            for (var i = 0; i < 3; i++)
            {
                await using var holder = store.Database.OpenConnection();
                await using var waiter = store.Database.OpenConnection();
                var held = holder.BeginTransaction(); // BEGIN IMMEDIATE: takes the write lock
                var release = Task.Run(async () =>
                {
                    await Task.Delay(OrderResults.BusyHoldMs);
                    held.Rollback();
                });
                var clock = Stopwatch.StartNew();
                using (var waiting = waiter.BeginTransaction())
                    waiting.Rollback();
                waits.Add(clock.Elapsed.TotalMilliseconds);
                await release;
                held.Dispose();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        var samples = new Samples(waits);
        log.WriteLine($"  a write waiting for a lock held {OrderResults.BusyHoldMs} ms waited {samples.Median:0} ms (median of {samples.Count})");
        return samples;
    }

    /// <summary>Figure 1: 200 images at 1.0 s a call, 4 a call, 8 calls at once; and the same one call at a time.</summary>
    private async Task<(ThroughputFigures Concurrent, ThroughputFigures Sequential)> MeasureThroughputAsync()
    {
        var parallel = new BenchImageProvider("bench-parallel", Latency, ThroughputPerCall, ThroughputConcurrency);
        var serial = new BenchImageProvider("bench-sequential", Latency, ThroughputPerCall, 1);
        var instant = new BenchImageProvider("bench-instant", TimeSpan.Zero, ThroughputPerCall, ThroughputConcurrency);
        await using var bench = await BenchWorker.StartAsync([parallel, serial, instant]);
        _pollInterval = bench.PollInterval;
        await WarmUpAsync(bench, instant);

        var runs = new List<ThroughputRun>();
        for (var i = 0; i < (quick ? 1 : 3); i++)
            runs.Add(await RunThroughputAsync(bench, parallel));
        var concurrent = new ThroughputFigures(parallel.Name, ThroughputImages, ThroughputPerCall, ThroughputConcurrency, Latency.TotalMilliseconds, runs);

        // One call at a time, as orders ran before the worker: the whole 50 calls for real, not extrapolated.
        var sequential = new ThroughputFigures(serial.Name, ThroughputImages, ThroughputPerCall, 1, Latency.TotalMilliseconds,
            [await RunThroughputAsync(bench, serial)]);
        return (concurrent, sequential);
    }

    private async Task<ThroughputRun> RunThroughputAsync(BenchWorker bench, BenchImageProvider provider)
    {
        provider.Reset();
        var timing = await bench.PlaceAndWaitAsync(provider.Name, ThroughputImages);
        var overheads = timing.BatchOverheadsMs();
        var run = new ThroughputRun(timing.WallMs, timing.PickupMs, timing.RunMs, provider.Calls, provider.MaxInFlight, new Samples(overheads));
        log.WriteLine($"  {provider.Name}: {ThroughputImages} images in {run.WallMs:0} ms (picked up after {run.PickupMs:0} ms), "
            + $"{run.Calls} calls, at most {run.MaxInFlight} at once, batch overhead p50 {run.BatchOverhead.Median:0} ms, max {run.BatchOverhead.Max:0} ms");
        return run;
    }

    /// <summary>Figure 2: what the machinery costs per image when the provider costs nothing.</summary>
    private async Task<OverheadFigures> MeasureOverheadAsync()
    {
        var instant = new BenchImageProvider("bench-instant", TimeSpan.Zero, OverheadPerCall, OverheadConcurrency);
        await using var bench = await BenchWorker.StartAsync([instant]);

        // The first order in a process pays JIT compilation; it is shown on its own, not counted.
        var first = await bench.PlaceAndWaitAsync(instant.Name, OverheadImages);
        log.WriteLine($"  first order (JIT): {first.WallMs / OverheadImages:0.0} ms per image");

        var timings = new List<OrderTiming>();
        for (var i = 0; i < (quick ? 3 : 10); i++)
        {
            var t = await bench.PlaceAndWaitAsync(instant.Name, OverheadImages);
            timings.Add(t);
            log.WriteLine($"  order {i + 1}: {t.WallMs:0} ms placed to completed ({t.WallMs / OverheadImages:0.0} ms per image), {t.RunMs:0} ms started to completed");
        }
        return new OverheadFigures(
            timings.Count, OverheadImages, OverheadPerCall, OverheadConcurrency,
            PerImagePlaced: new Samples(timings.Select(t => t.WallMs / OverheadImages)),
            PerImageRunning: new Samples(timings.Select(t => t.RunMs / OverheadImages)),
            Pickup: new Samples(timings.Select(t => t.PickupMs)),
            StartToFirstBatch: new Samples(timings.Select(t => t.StartToFirstBatchMs)),
            BatchOverhead: new Samples(timings.SelectMany(t => t.BatchOverheadsMs())),
            FirstOrderPerImageMs: first.WallMs / OverheadImages);
    }

    /// <summary>Figure 3: from a recorded approval to the order's first batch starting.</summary>
    private async Task<IReadOnlyList<ApprovalFigures>> MeasureApprovalAsync()
    {
        var instant = new BenchImageProvider("bench-instant", TimeSpan.Zero, OverheadPerCall, OverheadConcurrency);
        await using var bench = await BenchWorker.StartAsync([instant]);
        await WarmUpAsync(bench, instant);
        var runs = quick ? 3 : 10;
        var random = new Random(7);
        var results = new List<ApprovalFigures>();

        results.Add(await ApprovalRunsAsync(bench, instant, runs, random, "in the worker's process", "`OrderService.DecideAsync` on the worker's own store",
            request => bench.Service.DecideAsync(Approve(request), CancellationToken.None)));

        using (var other = EaselStore.Open(new DataDirectory(bench.Root)))
        {
            var otherService = new OrderService(bench.Providers, other.Orders, other.Blobs, BenchWorker.Quality, TimeProvider.System);
            results.Add(await ApprovalRunsAsync(bench, instant, runs, random, "through a second store on the same file", "`OrderService.DecideAsync` on a second `EaselStore` opened on the same data directory",
                request => otherService.DecideAsync(Approve(request), CancellationToken.None)));
        }

        var cli = BenchRunner.CliBuilds.FirstOrDefault(b => File.Exists(Path.Combine(repository, b.Dll)));
        if (skipCli || cli is null)
        {
            results.Add(new ApprovalFigures("by another process", "`easel approve --no-wait` in another process", null,
                skipCli ? "skipped with --no-cli" : "the CLI is not built"));
        }
        else
        {
            var commands = new Commands(repository, Path.GetTempPath());
            var environment = new Dictionary<string, string> { ["EASEL_HOME"] = bench.Root, ["EASEL_CONFIG_HOME"] = bench.ConfigRoot };
            results.Add(await ApprovalRunsAsync(bench, instant, runs, random, "by another process", $"`dotnet {cli.Dll} approve ID --no-wait` in another process ({cli.Name} build)",
                request =>
                {
                    commands.RunChecked("dotnet", [cli.Dll, "approve", request.Id, "--no-wait", "--as", "bench"], environment);
                    return Task.CompletedTask;
                }));
        }
        return results;
    }

    private static ApprovalDecision Approve(ApprovalRequest request) => new(request.Id, Approve: true, DecidedBy: "bench");

    private async Task<ApprovalFigures> ApprovalRunsAsync(
        BenchWorker bench, BenchImageProvider provider, int runs, Random random, string name, string how, Func<ApprovalRequest, Task> decide)
    {
        var latencies = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var placed = await bench.Service.PlaceAsync(
                new OrderSpec { Prompt = Prompt, Count = ApprovalImages, Provider = provider.Name, Loop = LoopSettings.Once },
                new PlaceOptions(new ApprovalOptions(), "bench"), CancellationToken.None);
            var request = placed.Approval ?? throw new InvalidOperationException($"An order of {ApprovalImages} images should need approval; it was {placed.Order.Status.ToText()}.");

            // Let the worker take in the new order, then decide at a random point of its poll cycle.
            await Task.Delay(TimeSpan.FromMilliseconds(300 + random.Next(0, 250)));
            await decide(request);
            var events = await bench.WaitForEventAsync(placed.Order.Id, OrderEventKind.BatchStarted);
            var approved = events.First(e => e.Kind == OrderEventKind.Approved).At;
            var started = events.First(e => e.Kind == OrderEventKind.BatchStarted).At;
            latencies.Add((started - approved).TotalMilliseconds);
            await bench.WaitForEndAsync(placed.Order.Id);
        }
        var samples = new Samples(latencies);
        log.WriteLine($"  approval → first batch, {name}: median {samples.Median:0} ms, max {samples.Max:0} ms ({runs} runs)");
        return new ApprovalFigures(name, how, samples, null);
    }

    /// <summary>One small order first, so the timed ones do not pay for JIT compilation.</summary>
    private static async Task WarmUpAsync(BenchWorker bench, BenchImageProvider instant) =>
        await bench.PlaceAndWaitAsync(instant.Name, OverheadImages);

    /// <summary>The file system type of the mount holding <paramref name="path"/> (the data directories live there).</summary>
    internal static string FileSystemOf(string path)
    {
        if (!File.Exists("/proc/mounts"))
            return "unknown";
        var full = Path.GetFullPath(path);
        var best = ("", "unknown");
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3)
                continue;
            var mount = fields[1];
            var within = full == mount || full.StartsWith(mount.EndsWith('/') ? mount : mount + "/", StringComparison.Ordinal);
            if (within && mount.Length >= best.Item1.Length)
                best = (mount, fields[2]);
        }
        return best.Item2;
    }
}

/// <summary>When one order's milestones happened, from its event log.</summary>
internal sealed record OrderTiming(DateTimeOffset PlacedAt, IReadOnlyList<OrderEvent> Events)
{
    private DateTimeOffset At(OrderEventKind kind) => Events.First(e => e.Kind == kind).At;

    /// <summary>From the PlaceAsync call to the completed event.</summary>
    public double WallMs => (At(OrderEventKind.Completed) - PlacedAt).TotalMilliseconds;

    /// <summary>From the PlaceAsync call until the worker started the order.</summary>
    public double PickupMs => (At(OrderEventKind.Started) - PlacedAt).TotalMilliseconds;

    public double RunMs => (At(OrderEventKind.Completed) - At(OrderEventKind.Started)).TotalMilliseconds;

    public double StartToFirstBatchMs => (At(OrderEventKind.BatchStarted) - At(OrderEventKind.Started)).TotalMilliseconds;

    /// <summary>Per batch: batch_started to batch_finished, less the provider call's own time.</summary>
    public List<double> BatchOverheadsMs()
    {
        var started = Events.Where(e => e.Kind == OrderEventKind.BatchStarted).ToDictionary(e => (e.Batch, e.Attempt), e => e.At);
        return Events.Where(e => e.Kind == OrderEventKind.BatchFinished && started.ContainsKey((e.Batch, e.Attempt)))
            .Select(e => (e.At - started[(e.Batch, e.Attempt)] - (e.Duration ?? TimeSpan.Zero)).TotalMilliseconds)
            .ToList();
    }
}

/// <summary>A worker running in this process on a fresh data directory, deleted afterwards.</summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    // Tight for the event a latency is measured to; looser for the end of an order, whose time comes from its event.
    private static readonly TimeSpan s_eventPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_endPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(10);

    private readonly EaselStore _store;
    private readonly OrderWorker _worker;

    private BenchWorker(string root, EaselStore store, ProviderRegistry providers, OrderWorker worker, TimeSpan pollInterval)
    {
        Root = root;
        PollInterval = pollInterval;
        _store = store;
        Providers = providers;
        _worker = worker;
        Service = new OrderService(providers, store.Orders, store.Blobs, Quality, TimeProvider.System);
    }

    /// <summary>What the product runs: the built-in evaluator scores every image (orders here make one pass).</summary>
    public static QualityServices Quality { get; } = new(new BuiltinEvaluator(), new BuiltinPrompter(), PresetCatalog.Load().Find);

    public string Root { get; }

    /// <summary>An empty configuration folder, so a user's settings never reach a child process.</summary>
    public string ConfigRoot => Path.Combine(Root, "config");

    public ProviderRegistry Providers { get; }

    /// <summary>How often the worker looks at the event log for work from elsewhere (the product's default).</summary>
    public TimeSpan PollInterval { get; }

    public OrderService Service { get; }

    public static async Task<BenchWorker> StartAsync(IReadOnlyList<IImageProvider> providers)
    {
        // On disk where temporary files go, as a user's data directory would be: SQLite's and the files' writes are part of the cost.
        var root = Path.Combine(Path.GetTempPath(), $"easel-bench-orders-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        var store = EaselStore.Open(new DataDirectory(root));
        try
        {
            var registry = new ProviderRegistry(providers);
            var context = new WorkerContext(store, registry, new ProviderGates(TimeProvider.System), Quality, TimeProvider.System);
            var worker = await OrderWorker.TryStartAsync(context, CancellationToken.None)
                ?? throw new InvalidOperationException($"Another process is the worker for {root}.");
            return new BenchWorker(root, store, registry, worker, context.PollInterval);
        }
        catch
        {
            store.Dispose();
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>Places an order that runs at once (approved up front, as <c>--yes</c>) and waits for it to complete.</summary>
    public async Task<OrderTiming> PlaceAndWaitAsync(string provider, int images)
    {
        var placedAt = DateTimeOffset.UtcNow;
        var placed = await Service.PlaceAsync(
            new OrderSpec { Prompt = OrderBench.Prompt, Count = images, Provider = provider, Loop = LoopSettings.Once },
            new PlaceOptions(new ApprovalOptions(), "bench", ApprovedUpFront: true), CancellationToken.None);
        if (placed.Order.Status != OrderStatus.Queued)
            throw new InvalidOperationException($"Order {placed.Order.Id} is {placed.Order.Status.ToText()}, not queued.");
        await WaitForEndAsync(placed.Order.Id);
        return new OrderTiming(placedAt, await _store.Orders.EventsAsync(placed.Order.Id, CancellationToken.None));
    }

    /// <summary>Waits for the order to complete; anything else is a broken run and stops the benchmark.</summary>
    public async Task WaitForEndAsync(string orderId)
    {
        var deadline = DateTimeOffset.UtcNow + s_deadline;
        while (true)
        {
            var order = await _store.Orders.FindAsync(orderId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Order {orderId} disappeared.");
            if (order.Status == OrderStatus.Completed)
                return;
            if (order.Status.IsFinished())
                throw new InvalidOperationException($"Order {orderId} ended {order.Status.ToText()}: {order.Error}");
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Order {orderId} was still {order.Status.ToText()} after {s_deadline.TotalMinutes:0} minutes.");
            await Task.Delay(s_endPoll);
        }
    }

    /// <summary>Polls the order's events until one of <paramref name="kind"/> appears; returns them all.</summary>
    public async Task<IReadOnlyList<OrderEvent>> WaitForEventAsync(string orderId, OrderEventKind kind)
    {
        var deadline = DateTimeOffset.UtcNow + s_deadline;
        while (true)
        {
            var events = await _store.Orders.EventsAsync(orderId, CancellationToken.None);
            if (events.Any(e => e.Kind == kind))
                return events;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Order {orderId} had no {kind.ToText()} event after {s_deadline.TotalMinutes:0} minutes.");
            await Task.Delay(s_eventPoll);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _worker.StopAsync();
        }
        finally
        {
            _store.Dispose();
            Directory.Delete(Root, recursive: true);
        }
    }
}
