using System.Diagnostics;
using System.Security.Cryptography;
using Easel.Core;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Imaging.Png;
using Easel.Providers.Sketch;
using Easel.Storage;
using Easel.Testing;

namespace Easel.Workflows.Tests;

/// <summary>
/// The worker end to end: real Quartz scheduling on the SQLite file of a temp data directory,
/// driving a provider that records its calls. Waits poll the store with a generous deadline and
/// never assert on how long anything took.
/// </summary>
public sealed class OrderWorkerTests : IAsyncDisposable
{
    private const string Prompt = "a lighthouse at dusk";
    private const long Seed = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ApprovalTimeout = TimeSpan.FromHours(24);

    private readonly TempStore _temp = new();
    private readonly List<OrderWorker> _workers = [];

    public async ValueTask DisposeAsync()
    {
        // Abandon rather than wait: a failed test may leave a call hanging.
        foreach (var worker in _workers)
            await worker.StopAsync(abandonRunning: true);
        _temp.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WorkerContext Context(EaselStore store, IImageProvider provider, TimeProvider? time = null, int? concurrency = null, QualityServices? quality = null)
    {
        var clock = time ?? TimeProvider.System;
        var limits = new Dictionary<string, ProviderLimitOptions>(StringComparer.OrdinalIgnoreCase);
        if (concurrency is { } n)
            limits[provider.Name] = new ProviderLimitOptions { Concurrency = n };
        return new WorkerContext(store, new ProviderRegistry([provider]), new ProviderGates(limits, clock), quality ?? TestQuality.Passing, clock);
    }

    private async Task<OrderWorker> StartWorkerAsync(WorkerContext context)
    {
        var worker = (await OrderWorker.TryStartAsync(context, Ct)).ShouldNotBeNull();
        _workers.Add(worker);
        return worker;
    }

    private static OrderService Service(EaselStore store, IImageProvider provider, TimeProvider? time = null) =>
        new(new ProviderRegistry([provider]), store.Orders, store.Blobs, TestQuality.Passing, time ?? TimeProvider.System);

    private static Task<PlacedOrder> PlaceAsync(EaselStore store, IImageProvider provider, int count, int maxImages = 100, TimeProvider? time = null) =>
        Service(store, provider, time).PlaceAsync(
            new OrderSpec { Prompt = Prompt, Count = count, Size = new ImageSize(64, 64), Seed = Seed, Provider = provider.Name },
            new PlaceOptions(new ApprovalOptions { MaxImagesWithoutApproval = maxImages, Timeout = ApprovalTimeout }, "ada"),
            Ct);

    /// <summary>Polls the store until the order has ended; the worker runs on its own threads.</summary>
    private static async Task<Order> WaitForEndAsync(EaselStore store, string orderId) =>
        await WaitForAsync(store, orderId, o => o.Status.IsFinished(), "finish");

    private static async Task<Order> WaitForAsync(EaselStore store, string orderId, Func<Order, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var order = (await store.Orders.FindAsync(orderId, Ct)).ShouldNotBeNull();
            if (condition(order))
                return order;
            if (clock.Elapsed > Patience)
            {
                var events = await store.Orders.EventsAsync(orderId, Ct);
                Assert.Fail($"Order {orderId} did not {what} within {Patience.TotalSeconds:0} s: it is {order.Status.ToText()} after {string.Join(", ", events.Select(e => e.Kind.ToText()))}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience)
                Assert.Fail($"Gave up waiting for {what} after {Patience.TotalSeconds:0} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }
    }

    /// <summary>Every image of the order is a file with the recorded hash and its provenance inside; returns the slots.</summary>
    private static async Task<IReadOnlyList<int>> CheckImagesAsync(EaselStore store, string orderId)
    {
        var images = await store.Images.ListByOrderAsync(orderId, Ct);
        foreach (var image in images)
        {
            File.Exists(image.Path).ShouldBeTrue(image.Path);
            var bytes = await File.ReadAllBytesAsync(image.Path, Ct);
            Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(image.Sha256);
            var png = PngDecoder.Decode(bytes);
            (png.Image.Width, png.Image.Height).ShouldBe((64, 64));
            png.Text.ShouldContain(kv => kv.Key == "easel:order_id" && kv.Value == orderId);
            image.Seed.ShouldBe(Seed + image.Slot);
        }
        return images.Select(i => i.Slot).Order().ToList();
    }

    [Fact]
    public async Task A_queued_order_is_made_in_batches_with_a_started_and_finished_event_for_each()
    {
        var provider = new TestImageProvider(perCall: 4, concurrency: 8) { HoldUntilConcurrent = 2, Latency = TimeSpan.FromMilliseconds(20) };
        await StartWorkerAsync(Context(_temp.Store, provider, concurrency: 2));

        var placed = await PlaceAsync(_temp.Store, provider, 10);
        placed.Order.Status.ShouldBe(OrderStatus.Queued);
        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed);
        order.Error.ShouldBeNull();
        order.CompletedAt.ShouldNotBeNull();
        (await CheckImagesAsync(_temp.Store, order.Id)).ShouldBe(Enumerable.Range(0, 10));
        _temp.ImageFiles().Count.ShouldBe(10);

        // One call per batch, and two calls at a time as configured (not the provider's own 8).
        provider.Calls.ShouldBe(3);
        provider.Requests.Select(r => (r.Seeds[0], r.Count)).Order().ShouldBe([(Seed, 4), (Seed + 4, 4), (Seed + 8, 2)]);
        provider.MaxConcurrentCalls.ShouldBe(2);

        var batches = await _temp.Store.Orders.BatchesAsync(order.Id, Ct);
        batches.ShouldAllBe(b => b.Status == BatchStatus.Done && b.Attempts == 1 && b.PendingFiles.Count == 0);

        var events = await _temp.Store.Orders.EventsAsync(order.Id, Ct);
        events.Take(3).Select(e => e.Kind.ToText()).ShouldBe(["requested", "queued", "started"]);
        events[^1].Kind.ShouldBe(OrderEventKind.Completed);
        events[^1].Images.ShouldBe(10);
        events.Select(e => e.Kind.ToText()).Where(k => !k.StartsWith("batch_", StringComparison.Ordinal)).ShouldBe(["requested", "queued", "started", "completed"]);

        var started = events.Where(e => e.Kind == OrderEventKind.BatchStarted).OrderBy(e => e.Batch).ToList();
        started.Select(e => (e.Batch, e.Attempt, e.Images, e.Provider, e.Model))
            .ShouldBe([(0, 1, 4, "test", "test-model"), (1, 1, 4, "test", "test-model"), (2, 1, 2, "test", "test-model")]);
        var finished = events.Where(e => e.Kind == OrderEventKind.BatchFinished).OrderBy(e => e.Batch).ToList();
        finished.Select(e => (e.Batch, e.Attempt, e.Images, e.Provider, e.Model))
            .ShouldBe([(0, 1, 4, "test", "test-model"), (1, 1, 4, "test", "test-model"), (2, 1, 2, "test", "test-model")]);
        finished.ShouldAllBe(e => e.Duration != null && e.Duration >= TimeSpan.Zero && e.Cost == 0m);
        foreach (var batch in finished)
            batch.Seq.ShouldBeGreaterThan(started[batch.Batch!.Value].Seq);
    }

    [Fact]
    public async Task Calls_to_a_provider_never_exceed_its_configured_concurrency()
    {
        // Eight one-image calls, all scheduled at once; three may run together.
        var provider = new TestImageProvider(perCall: 1, concurrency: 16) { HoldUntilConcurrent = 3, Latency = TimeSpan.FromMilliseconds(20) };
        await StartWorkerAsync(Context(_temp.Store, provider, concurrency: 3));

        var placed = await PlaceAsync(_temp.Store, provider, 8);
        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed);
        provider.Calls.ShouldBe(8);
        provider.MaxConcurrentCalls.ShouldBe(3);
        (await CheckImagesAsync(_temp.Store, order.Id)).ShouldBe(Enumerable.Range(0, 8));
    }

    [Fact]
    public async Task A_failed_call_leaves_the_order_partially_completed_with_the_other_batches_images()
    {
        // The second batch (slots 4..7) fails; the others succeed.
        var provider = new TestImageProvider(perCall: 4) { FailWhen = (_, request) => request.Seeds[0] == Seed + 4 };
        await StartWorkerAsync(Context(_temp.Store, provider, concurrency: 2));

        var placed = await PlaceAsync(_temp.Store, provider, 10);
        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.PartiallyCompleted);
        order.Error.ShouldBe($"1 of 3 provider calls failed: {TestImageProvider.FailureMessage}");
        (await CheckImagesAsync(_temp.Store, order.Id)).ShouldBe([0, 1, 2, 3, 8, 9]);
        _temp.ImageFiles().Count.ShouldBe(6);
        provider.Calls.ShouldBe(3);

        var batches = await _temp.Store.Orders.BatchesAsync(order.Id, Ct);
        batches.Select(b => b.Status).ShouldBe([BatchStatus.Done, BatchStatus.Failed, BatchStatus.Done]);
        batches[1].Error.ShouldBe(TestImageProvider.FailureMessage);

        var events = await _temp.Store.Orders.EventsAsync(order.Id, Ct);
        var failed = events.Where(e => e.Kind == OrderEventKind.BatchFailed).ShouldHaveSingleItem();
        failed.Batch.ShouldBe(1);
        failed.Attempt.ShouldBe(1);
        failed.Provider.ShouldBe("test");
        failed.Error.ShouldBe(TestImageProvider.FailureMessage);
        events.Where(e => e.Kind == OrderEventKind.BatchFinished).Select(e => e.Batch).Order().ShouldBe([0, 2]);
        events[^1].Kind.ShouldBe(OrderEventKind.PartiallyCompleted);
        events[^1].Images.ShouldBe(6);
        events[^1].Error.ShouldBe(order.Error);
    }

    [Fact]
    public async Task An_order_whose_every_call_fails_ends_failed()
    {
        var provider = new TestImageProvider(perCall: 4) { FailWhen = (_, _) => true };
        await StartWorkerAsync(Context(_temp.Store, provider));

        var placed = await PlaceAsync(_temp.Store, provider, 6);
        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Failed);
        order.Error.ShouldBe($"2 of 2 provider calls failed: {TestImageProvider.FailureMessage}");
        (await _temp.Store.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(0);
        _temp.ImageFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_sketch_provider_makes_real_images_under_the_worker()
    {
        var sketch = new SketchImageProvider();
        await StartWorkerAsync(Context(_temp.Store, sketch));

        var placed = await PlaceAsync(_temp.Store, sketch, 6);
        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed);
        (await CheckImagesAsync(_temp.Store, order.Id)).ShouldBe(Enumerable.Range(0, 6));
        var finished = (await _temp.Store.Orders.EventsAsync(order.Id, Ct)).Where(e => e.Kind == OrderEventKind.BatchFinished).ToList();
        finished.Select(e => e.Images).Order().ShouldBe([2, 4]);
        finished.ShouldAllBe(e => e.Provider == "sketch" && e.Model == "sketch-1");
    }

    [Fact]
    public async Task An_approval_decided_through_another_store_instance_is_picked_up_by_the_running_worker()
    {
        var provider = new TestImageProvider(perCall: 4);
        await StartWorkerAsync(Context(_temp.Store, provider, concurrency: 2));
        var placed = await PlaceAsync(_temp.Store, provider, 10, maxImages: 4);
        placed.Order.Status.ShouldBe(OrderStatus.AwaitingApproval);

        // What `easel approve` does in another terminal: its own store on the same data directory.
        var elsewhere = _temp.OpenAnother();
        var (decided, _) = await Service(elsewhere, provider).DecideAsync(new ApprovalDecision(placed.Approval!.Id, true, "bob", "go ahead"), Ct);
        decided.Status.ShouldBe(OrderStatus.Queued);

        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.Completed);
        order.ApprovedCount.ShouldBe(10);
        (await CheckImagesAsync(elsewhere, order.Id)).ShouldBe(Enumerable.Range(0, 10));
        provider.Calls.ShouldBe(3);
        (await elsewhere.Orders.EventsAsync(order.Id, Ct)).Select(e => e.Kind.ToText())
            .Where(k => !k.StartsWith("batch_", StringComparison.Ordinal))
            .ShouldBe(["requested", "approval_requested", "approved", "queued", "started", "completed"]);
    }

    [Fact]
    public async Task A_partial_approval_from_another_store_instance_makes_only_the_approved_images()
    {
        var provider = new TestImageProvider(perCall: 4);
        await StartWorkerAsync(Context(_temp.Store, provider));
        var elsewhere = _temp.OpenAnother();
        var placed = await PlaceAsync(elsewhere, provider, 10, maxImages: 4);

        await Service(elsewhere, provider).DecideAsync(new ApprovalDecision(placed.Approval!.Id, true, "bob", Count: 5), Ct);

        var order = await WaitForEndAsync(_temp.Store, placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.Completed);
        order.TargetCount.ShouldBe(5);
        (await CheckImagesAsync(_temp.Store, order.Id)).ShouldBe([0, 1, 2, 3, 4]);
        provider.Requests.Select(r => r.Count).Order().ShouldBe([1, 4]);
    }

    [Fact]
    public async Task An_order_placed_by_another_store_instance_is_picked_up_by_the_running_worker()
    {
        var provider = new TestImageProvider(perCall: 4);
        await StartWorkerAsync(Context(_temp.Store, provider));

        var elsewhere = _temp.OpenAnother();
        var placed = await PlaceAsync(elsewhere, provider, 3);

        (await WaitForEndAsync(elsewhere, placed.Order.Id)).Status.ShouldBe(OrderStatus.Completed);
        (await CheckImagesAsync(elsewhere, placed.Order.Id)).ShouldBe([0, 1, 2]);
    }

    [Fact]
    public async Task A_deadline_passed_while_no_worker_ran_expires_the_order_when_a_worker_starts()
    {
        var time = new ManualTimeProvider();
        var provider = new TestImageProvider(perCall: 4);
        var placed = await PlaceAsync(_temp.Store, provider, 10, maxImages: 4, time);
        var requestId = placed.Approval!.Id;

        // The placing process ends; nothing runs at the deadline.
        var store = _temp.Reopen();
        time.Advance(ApprovalTimeout + TimeSpan.FromMinutes(1));
        await StartWorkerAsync(Context(store, provider, time));

        var order = (await store.Orders.FindAsync(placed.Order.Id, Ct)).ShouldNotBeNull();
        order.Status.ShouldBe(OrderStatus.Expired);
        order.Error.ShouldBe("No decision was made by the deadline (2026-01-02 00:00:00 UTC); nothing was generated.");
        (await store.Orders.FindApprovalAsync(requestId, Ct))!.Status.ShouldBe(ApprovalStatus.Expired);
        (await store.Orders.EventsAsync(order.Id, Ct)).Select(e => e.Kind.ToText()).ShouldBe(["requested", "approval_requested", "expired"]);
        (await store.Orders.BatchesAsync(order.Id, Ct)).ShouldBeEmpty();
        provider.Calls.ShouldBe(0);

        var refusal = await Should.ThrowAsync<ApprovalRefusedException>(
            () => Service(store, provider, time).DecideAsync(new ApprovalDecision(requestId, true, "bob"), Ct));
        refusal.Message.ShouldContain("expired");
    }

    [Fact]
    public async Task A_running_worker_expires_an_undecided_order_at_its_deadline()
    {
        var time = new ManualTimeProvider();
        var provider = new TestImageProvider(perCall: 4);
        var placed = await PlaceAsync(_temp.Store, provider, 10, maxImages: 4, time);
        await StartWorkerAsync(Context(_temp.Store, provider, time));
        (await _temp.Store.Orders.FindAsync(placed.Order.Id, Ct))!.Status.ShouldBe(OrderStatus.AwaitingApproval);

        time.Advance(ApprovalTimeout + TimeSpan.FromSeconds(1));

        var order = await WaitForAsync(_temp.Store, placed.Order.Id, o => o.Status != OrderStatus.AwaitingApproval, "expire");
        order.Status.ShouldBe(OrderStatus.Expired);
        (await _temp.Store.Orders.EventsAsync(order.Id, Ct)).Count(e => e.Kind == OrderEventKind.Expired).ShouldBe(1);
        provider.Calls.ShouldBe(0);
    }

    [Fact]
    public void Only_one_lease_per_data_directory_is_held_at_a_time()
    {
        var first = WorkerLease.TryAcquire(_temp.Data).ShouldNotBeNull();
        WorkerLease.TryAcquire(new DataDirectory(_temp.Root)).ShouldBeNull();
        WorkerLease.TryAcquire(_temp.Data).ShouldBeNull();

        // Another data directory has its own lease.
        using (var other = new TempStore())
        using (var lease = WorkerLease.TryAcquire(other.Data))
            lease.ShouldNotBeNull();

        first.Dispose();
        using var second = WorkerLease.TryAcquire(_temp.Data);
        second.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_worker_does_not_start_while_another_holds_the_lease()
    {
        var provider = new TestImageProvider(perCall: 4);
        using (WorkerLease.TryAcquire(_temp.Data).ShouldNotBeNull())
            (await OrderWorker.TryStartAsync(Context(_temp.Store, provider), Ct)).ShouldBeNull();

        var first = await StartWorkerAsync(Context(_temp.Store, provider));
        var elsewhere = _temp.OpenAnother();
        (await OrderWorker.TryStartAsync(Context(elsewhere, provider), Ct)).ShouldBeNull();
        WorkerLease.TryAcquire(_temp.Data).ShouldBeNull();

        await first.StopAsync();
        await StartWorkerAsync(Context(elsewhere, provider));
        var placed = await PlaceAsync(elsewhere, provider, 2);
        (await WaitForEndAsync(elsewhere, placed.Order.Id)).Status.ShouldBe(OrderStatus.Completed);
    }

    [Fact]
    public async Task An_interrupted_batch_is_made_again_on_the_next_start_without_its_stale_file()
    {
        var provider = new TestImageProvider(perCall: 4);
        var store = _temp.Store;
        var placed = await PlaceAsync(store, provider, 10);
        var id = placed.Order.Id;

        // A worker began batch 1 and wrote a file, then its process died before storing the rows.
        var then = DateTimeOffset.UtcNow;
        (await store.Orders.StartAsync(id, then, Ct)).ShouldBeTrue();
        var begun = (await store.Orders.BeginBatchAsync(id, 1, provider.Name, provider.Capabilities.Model, then, Ct)).ShouldNotBeNull();
        begun.Attempts.ShouldBe(1);
        var stale = await store.Blobs.SaveImageAsync(Ids.New("img", then), then, "png", "not really a png"u8.ToArray(), Ct);
        await store.Orders.SetPendingFilesAsync(id, 1, 1, [stale], Ct);
        (await store.Orders.BatchesAsync(id, Ct))[1].PendingFiles.ShouldBe([stale]);

        var next = _temp.Reopen();
        await StartWorkerAsync(Context(next, provider));
        var order = await WaitForEndAsync(next, id);

        order.Status.ShouldBe(OrderStatus.Completed);
        File.Exists(stale).ShouldBeFalse();
        (await CheckImagesAsync(next, id)).ShouldBe(Enumerable.Range(0, 10));
        _temp.ImageFiles().Count.ShouldBe(10);
        provider.Calls.ShouldBe(3);

        var batches = await next.Orders.BatchesAsync(id, Ct);
        batches.Select(b => (b.Status, b.Attempts)).ShouldBe([(BatchStatus.Done, 1), (BatchStatus.Done, 2), (BatchStatus.Done, 1)]);
        batches.ShouldAllBe(b => b.PendingFiles.Count == 0);

        var events = await next.Orders.EventsAsync(id, Ct);
        var retried = events.Where(e => e.Kind == OrderEventKind.BatchStarted && e.Batch == 1).ToList();
        retried.Select(e => e.Attempt).ShouldBe([1, 2]);
        retried[1].Note.ShouldNotBeNull().ShouldContain("interrupted");
        events.Where(e => e.Kind == OrderEventKind.BatchFinished).Select(e => (e.Batch, e.Attempt)).Order().ShouldBe([(0, 1), (1, 2), (2, 1)]);
    }

    [Fact]
    public async Task A_batch_abandoned_by_a_stopping_worker_resumes_on_the_next_start()
    {
        var hanging = new TestImageProvider(perCall: 4) { HangWhen = (_, _) => true };
        var worker = await StartWorkerAsync(Context(_temp.Store, hanging));
        var placed = await PlaceAsync(_temp.Store, hanging, 4);
        var id = placed.Order.Id;
        await WaitUntilAsync(() => hanging.Calls == 1, "the provider call");

        // Ctrl+C: stop without waiting for the call.
        await worker.StopAsync(abandonRunning: true);
        await WaitUntilAsync(() => hanging.CallsInFlight == 0, "the abandoned call to end");
        var batch = (await _temp.Store.Orders.BatchesAsync(id, Ct)).ShouldHaveSingleItem();
        (batch.Status, batch.Attempts).ShouldBe((BatchStatus.InFlight, 1));
        (await _temp.Store.Orders.FindAsync(id, Ct))!.Status.ShouldBe(OrderStatus.Running);

        var provider = new TestImageProvider(perCall: 4);
        var next = _temp.Reopen();
        await StartWorkerAsync(Context(next, provider));
        var order = await WaitForEndAsync(next, id);

        order.Status.ShouldBe(OrderStatus.Completed);
        (await CheckImagesAsync(next, id)).ShouldBe([0, 1, 2, 3]);
        _temp.ImageFiles().Count.ShouldBe(4);
        provider.Calls.ShouldBe(1);
        batch = (await next.Orders.BatchesAsync(id, Ct)).ShouldHaveSingleItem();
        (batch.Status, batch.Attempts).ShouldBe((BatchStatus.Done, 2));
    }
}
