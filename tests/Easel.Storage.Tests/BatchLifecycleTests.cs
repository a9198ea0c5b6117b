using Easel.Core.Gallery;
using Easel.Core.Orders;

namespace Easel.Storage.Tests;

/// <summary>Starting an order, running its batches and finishing it, as the worker does.</summary>
public sealed class BatchLifecycleTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Later = Samples.T0.AddMinutes(1);
    private readonly StoreScope _s = new();

    public void Dispose() => _s.Dispose();

    private Task<BatchState?> Begin(Order order, int index, DateTimeOffset? at = null) =>
        _s.Orders.BeginBatchAsync(order.Id, index, order.Provider, order.Model, at ?? Later, Ct);

    private async Task<BatchState> BatchOf(string orderId, int index) =>
        (await _s.Orders.BatchesAsync(orderId, Ct)).Single(b => b.Index == index);

    /// <summary>Begins a batch and stores all its images.</summary>
    private async Task Complete(Order order, int index, int? images = null)
    {
        var batch = (await Begin(order, index))!;
        var records = OrderFixtures.ImagesFor(_s.Data, order, batch).Take(images ?? batch.Count).ToList();
        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, records, Later), Ct)).ShouldBeTrue();
    }

    /// <summary>Judges every slot the way the quality loop does once its calls are finished.</summary>
    private Task Settle(Order order) => _s.Orders.SettleSlotsAsync(_s.Images, order.Id, Ct);

    private async Task Fail(Order order, int index, string error = "rate limited")
    {
        var batch = (await Begin(order, index))!;
        (await _s.Orders.FailBatchAsync(order.Id, index, batch.Attempts, error, TimeSpan.FromSeconds(2), Later, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_queued_order_starts_once()
    {
        var order = await _s.Orders.PlaceQueuedAsync("ord_0001", cancellationToken: Ct);

        (await _s.Orders.StartAsync(order.Id, Later, Ct)).ShouldBeTrue();
        (await _s.Orders.StartAsync(order.Id, Later, Ct)).ShouldBeFalse();

        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Running);
        var events = await _s.Orders.EventsAsync(order.Id, Ct);
        events.Count(e => e.Kind == OrderEventKind.Started).ShouldBe(1);
        events[^1].At.ShouldBe(Later);
    }

    [Fact]
    public async Task Orders_that_are_not_queued_do_not_start()
    {
        var (awaiting, _) = await _s.Orders.PlaceAwaitingAsync("ord_awaiting", cancellationToken: Ct);
        await _s.Orders.CreateBareAsync(Samples.Order("ord_done") with { Status = OrderStatus.Completed }, Ct);

        (await _s.Orders.StartAsync(awaiting.Id, Later, Ct)).ShouldBeFalse();
        (await _s.Orders.StartAsync("ord_done", Later, Ct)).ShouldBeFalse();
        (await _s.Orders.StartAsync("ord_missing", Later, Ct)).ShouldBeFalse();

        (await _s.Orders.FindAsync(awaiting.Id, Ct))!.Status.ShouldBe(OrderStatus.AwaitingApproval);
        (await _s.Orders.EventsAsync("ord_done", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Beginning_a_batch_marks_it_in_flight_and_counts_the_attempt()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);

        var begun = await Begin(order, 1);

        begun.ShouldNotBeNull();
        begun.Status.ShouldBe(BatchStatus.Pending); // as it was before this attempt
        begun.Attempts.ShouldBe(1);
        (begun.Index, begun.FirstSlot, begun.Count).ShouldBe((1, 4, 2));
        begun.PendingFiles.ShouldBeEmpty();
        var stored = await BatchOf(order.Id, 1);
        stored.Status.ShouldBe(BatchStatus.InFlight);
        stored.Attempts.ShouldBe(1);
        stored.StartedAt.ShouldBe(Later);
        (await BatchOf(order.Id, 0)).Status.ShouldBe(BatchStatus.Pending);

        var started = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        started.ShouldBe(new OrderEvent
        {
            Seq = started.Seq, OrderId = order.Id, At = Later, Kind = OrderEventKind.BatchStarted, Actor = OrderEvent.System,
            Batch = 1, Attempt = 1, Images = 2, Provider = "sketch", Model = "sketch-1",
        });
    }

    [Fact]
    public async Task Beginning_a_batch_that_is_already_in_flight_is_a_resumed_attempt_and_says_so()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        await Begin(order, 0);

        // The worker was killed mid-call; a new worker picks the batch up again.
        var resumed = await Begin(order, 0, Later.AddMinutes(5));

        resumed.ShouldNotBeNull();
        resumed.Status.ShouldBe(BatchStatus.InFlight);
        resumed.Attempts.ShouldBe(2);
        (await BatchOf(order.Id, 0)).Attempts.ShouldBe(2);
        (await BatchOf(order.Id, 0)).StartedAt.ShouldBe(Later.AddMinutes(5));
        var starts = (await _s.Orders.EventsAsync(order.Id, Ct)).Where(e => e.Kind == OrderEventKind.BatchStarted).ToList();
        starts.Select(e => e.Attempt).ShouldBe([1, 2]);
        starts[0].Note.ShouldBeNull();
        starts[1].Note.ShouldNotBeNull().ShouldContain("interrupted");
    }

    [Fact]
    public async Task Finished_batches_and_orders_that_are_not_running_cannot_begin()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 8, perCall: 4, cancellationToken: Ct);
        await Complete(order, 0);
        await Fail(order, 1);
        var queued = await _s.Orders.PlaceQueuedAsync("ord_queued", cancellationToken: Ct);
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        (await Begin(order, 0)).ShouldBeNull();
        (await Begin(order, 1)).ShouldBeNull();
        (await Begin(order, 7)).ShouldBeNull(); // no such batch
        (await Begin(queued, 0)).ShouldBeNull();
        (await _s.Orders.BeginBatchAsync("ord_missing", 0, "sketch", "sketch-1", Later, Ct)).ShouldBeNull();

        (await BatchOf(order.Id, 0)).Attempts.ShouldBe(1);
        (await BatchOf(order.Id, 1)).Attempts.ShouldBe(1);
        (await BatchOf(queued.Id, 0)).Status.ShouldBe(BatchStatus.Pending);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);
    }

    [Fact]
    public async Task Pending_files_are_kept_for_the_next_attempt_to_clean_up()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        var first = (await Begin(order, 0))!;
        var inside = Path.Combine(_s.Data.ImagesPath, "2025", "03", "14", "img_a.png");
        var outside = _s.Temp.Combine("elsewhere", "img_b.png");

        await _s.Orders.SetPendingFilesAsync(order.Id, 0, first.Attempts, [inside, outside], Ct);

        // Inside the data directory the path is kept relative, so the directory can move.
        _s.Scalar<string>("SELECT pending_files FROM batches WHERE idx = 0;")
            .ShouldBe($"[\"images/2025/03/14/img_a.png\",{System.Text.Json.JsonSerializer.Serialize(outside)}]");
        (await BatchOf(order.Id, 0)).PendingFiles.ShouldBe([inside, outside]);
        var second = (await Begin(order, 0))!;
        second.Attempts.ShouldBe(2);
        second.PendingFiles.ShouldBe([inside, outside]);
    }

    [Fact]
    public async Task Pending_files_of_an_attempt_that_is_no_longer_current_are_ignored()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        var first = (await Begin(order, 0))!;
        await Begin(order, 0);

        await _s.Orders.SetPendingFilesAsync(order.Id, 0, first.Attempts, [Path.Combine(_s.Data.ImagesPath, "x.png")], Ct);

        (await BatchOf(order.Id, 0)).PendingFiles.ShouldBeEmpty();
    }

    [Fact]
    public async Task Completing_a_batch_stores_its_images_marks_it_done_and_records_it()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);
        var batch = (await Begin(order, 0))!;
        var images = OrderFixtures.ImagesFor(_s.Data, order, batch);
        await _s.Orders.SetPendingFilesAsync(order.Id, 0, batch.Attempts, images.Select(i => i.Path).ToList(), Ct);

        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, images, Later.AddSeconds(2)) with { Cost = 0.0120m }, Ct)).ShouldBeTrue();

        (await _s.Images.ListByOrderAsync(order.Id, Ct)).Select(i => i.Id).ShouldBe(images.Select(i => i.Id));
        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(4);
        var done = await BatchOf(order.Id, 0);
        done.Status.ShouldBe(BatchStatus.Done);
        done.FinishedAt.ShouldBe(Later.AddSeconds(2));
        done.Cost.ShouldBe(0.0120m);
        done.PendingFiles.ShouldBeEmpty();
        done.Error.ShouldBeNull();
        var finished = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        finished.ShouldBe(new OrderEvent
        {
            Seq = finished.Seq, OrderId = order.Id, At = Later.AddSeconds(2), Kind = OrderEventKind.BatchFinished, Actor = OrderEvent.System,
            Batch = 0, Attempt = 1, Images = 4, Provider = "sketch", Model = "sketch-1", Duration = TimeSpan.FromMilliseconds(1500), Cost = 0.0120m,
        });
        // Completing the same attempt again changes nothing.
        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, [], Later), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_stale_attempt_cannot_complete_the_batch_and_stores_no_images()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        var first = (await Begin(order, 0))!;
        var second = (await Begin(order, 0))!; // the first attempt was presumed dead and resumed
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        var stored = await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, first, OrderFixtures.ImagesFor(_s.Data, order, first, "x"), Later), Ct);

        stored.ShouldBeFalse();
        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(0);
        (await BatchOf(order.Id, 0)).Status.ShouldBe(BatchStatus.InFlight);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);
        (await _s.Orders.FailBatchAsync(order.Id, 0, first.Attempts, "late failure", TimeSpan.Zero, Later, Ct)).ShouldBeFalse();
        (await BatchOf(order.Id, 0)).Status.ShouldBe(BatchStatus.InFlight);

        // The current attempt still can.
        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, second, OrderFixtures.ImagesFor(_s.Data, order, second), Later), Ct)).ShouldBeTrue();
        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(4);
    }

    [Fact]
    public async Task A_batch_that_is_not_in_flight_cannot_complete()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        var never = new BatchState { OrderId = order.Id, Index = 0, FirstSlot = 0, Count = 4, Status = BatchStatus.Pending, Attempts = 0 };

        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, never, OrderFixtures.ImagesFor(_s.Data, order, never), Later), Ct)).ShouldBeFalse();

        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(0);
        (await BatchOf(order.Id, 0)).Status.ShouldBe(BatchStatus.Pending);
    }

    [Fact]
    public async Task Completing_is_all_or_nothing_when_an_image_cannot_be_stored()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        var batch = (await Begin(order, 0))!;
        var images = OrderFixtures.ImagesFor(_s.Data, order, batch);
        // The last image's id is taken already, so its row cannot be inserted.
        await _s.Images.AddAsync(images[^1] with { Slot = 99 }, Ct);
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        await Should.ThrowAsync<InvalidOperationException>(() => _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, images, Later), Ct));

        (await _s.Images.ListByOrderAsync(order.Id, Ct)).Select(i => i.Slot).ShouldBe([99]);
        (await BatchOf(order.Id, 0)).Status.ShouldBe(BatchStatus.InFlight);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);
    }

    [Fact]
    public async Task Failing_a_batch_records_the_error_and_clears_its_pending_files()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", cancellationToken: Ct);
        var batch = (await Begin(order, 1))!;
        await _s.Orders.SetPendingFilesAsync(order.Id, 1, batch.Attempts, [Path.Combine(_s.Data.ImagesPath, "x.png")], Ct);

        (await _s.Orders.FailBatchAsync(order.Id, 1, batch.Attempts, "the provider refused the prompt", TimeSpan.FromSeconds(2), Later.AddSeconds(2), Ct)).ShouldBeTrue();
        (await _s.Orders.FailBatchAsync(order.Id, 1, batch.Attempts, "again", TimeSpan.Zero, Later, Ct)).ShouldBeFalse();

        var failed = await BatchOf(order.Id, 1);
        failed.Status.ShouldBe(BatchStatus.Failed);
        failed.Error.ShouldBe("the provider refused the prompt");
        failed.FinishedAt.ShouldBe(Later.AddSeconds(2));
        failed.PendingFiles.ShouldBeEmpty();
        var e = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        e.Kind.ShouldBe(OrderEventKind.BatchFailed);
        e.Batch.ShouldBe(1);
        e.Attempt.ShouldBe(1);
        e.Images.ShouldBe(0);
        e.Provider.ShouldBe("sketch");
        e.Model.ShouldBe("sketch-1");
        e.Duration.ShouldBe(TimeSpan.FromSeconds(2));
        e.Error.ShouldBe("the provider refused the prompt");
    }

    [Fact]
    public async Task An_order_does_not_finish_while_a_batch_is_pending_or_in_flight()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 8, perCall: 4, cancellationToken: Ct);
        // Every slot settled: only the open batches hold the order back.
        await Settle(order);

        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull();
        await Complete(order, 0);
        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull();
        await Begin(order, 1);
        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull();

        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Running);
    }

    [Fact]
    public async Task An_order_with_every_image_made_completes()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);
        await Complete(order, 0);
        await Complete(order, 1);
        await Settle(order);

        (await _s.Orders.TryFinishAsync(order.Id, Later.AddSeconds(5), Ct)).ShouldBe(OrderStatus.Completed);
        (await _s.Orders.TryFinishAsync(order.Id, Later.AddSeconds(6), Ct)).ShouldBeNull();

        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Status.ShouldBe(OrderStatus.Completed);
        now.CompletedAt.ShouldBe(Later.AddSeconds(5));
        now.Error.ShouldBeNull();
        var events = await _s.Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind).ShouldBe(
        [
            OrderEventKind.Requested, OrderEventKind.Queued, OrderEventKind.Started,
            OrderEventKind.BatchStarted, OrderEventKind.BatchFinished, OrderEventKind.BatchStarted, OrderEventKind.BatchFinished,
            OrderEventKind.Completed,
        ]);
        events[^1].Images.ShouldBe(6);
    }

    [Fact]
    public async Task An_order_with_a_failed_call_but_some_images_is_partially_completed_and_says_why()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);
        await Complete(order, 0);
        await Fail(order, 1, "rate limited");
        await Settle(order);

        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBe(OrderStatus.PartiallyCompleted);

        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Status.ShouldBe(OrderStatus.PartiallyCompleted);
        now.Error.ShouldBe("1 of 2 provider calls failed: rate limited");
        var last = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        last.Kind.ShouldBe(OrderEventKind.PartiallyCompleted);
        last.Images.ShouldBe(4);
        last.Error.ShouldBe(now.Error);
    }

    [Fact]
    public async Task A_provider_that_returns_fewer_images_than_asked_leaves_the_order_partially_completed()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 4, perCall: 4, cancellationToken: Ct);
        await Complete(order, 0, images: 3);
        await Settle(order);

        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBe(OrderStatus.PartiallyCompleted);

        (await _s.Orders.FindAsync(order.Id, Ct))!.Error.ShouldBe("3 of 4 images were made.");
    }

    [Fact]
    public async Task An_order_that_made_nothing_fails()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);
        await Fail(order, 0, "invalid API key");
        await Fail(order, 1, "invalid API key");
        await Settle(order);

        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBe(OrderStatus.Failed);

        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Status.ShouldBe(OrderStatus.Failed);
        now.Error.ShouldBe("2 of 2 provider calls failed: invalid API key");
        (await _s.Orders.EventsAsync(order.Id, Ct))[^1].Kind.ShouldBe(OrderEventKind.Failed);
    }

    [Fact]
    public async Task A_partly_approved_order_completes_when_the_approved_images_are_made()
    {
        var (order, request) = await _s.Orders.PlaceAwaitingAsync("ord_0001", count: 10, perCall: 4, cancellationToken: Ct);
        (await _s.Orders.DecideAsync(new ApprovalDecision(request.Id, true, "grace", Count: 3), Batch.Split(3, 4), Later, Ct))
            .Result.ShouldBe(DecisionResult.Decided);
        (await _s.Orders.StartAsync(order.Id, Later, Ct)).ShouldBeTrue();
        var running = (await _s.Orders.FindAsync(order.Id, Ct))!;
        await Complete(running, 0);
        await Settle(running);

        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBe(OrderStatus.Completed);
        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(3);
    }

    [Fact]
    public async Task A_batch_in_flight_when_its_order_is_cancelled_keeps_its_images_and_the_order_stays_cancelled()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);
        var batch = (await Begin(order, 0))!;
        (await _s.Orders.CancelAsync(order.Id, "linus", null, Later, Ct)).ShouldBeTrue();

        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, OrderFixtures.ImagesFor(_s.Data, order, batch), Later), Ct)).ShouldBeTrue();

        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(4);
        (await Begin(order, 1)).ShouldBeNull();
        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull();
        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Cancelled);
    }

    [Fact]
    public async Task Images_of_a_completed_batch_are_found_by_search()
    {
        var order = await _s.Orders.PlaceRunningAsync("ord_0001", count: 2, perCall: 2, cancellationToken: Ct);
        await Complete(order, 0);

        (await _s.Images.SearchAsync(new ImageQuery("fox"), Ct)).Count.ShouldBe(2);
    }
}
