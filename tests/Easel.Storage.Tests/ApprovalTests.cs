using Easel.Core.Orders;

namespace Easel.Storage.Tests;

/// <summary>Deciding, expiring and cancelling orders that wait for a person.</summary>
public sealed class ApprovalTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Later = Samples.T0.AddMinutes(10);
    private readonly StoreScope _s = new();

    public void Dispose() => _s.Dispose();

    private Task<(Order Order, ApprovalRequest Request)> Awaiting(string id = "ord_0001", int count = 6, TimeSpan? timeout = null) =>
        _s.Orders.PlaceAwaitingAsync(id, count, perCall: 4, timeout: timeout, cancellationToken: Ct);

    private Task<DecisionOutcome> Decide(ApprovalRequest request, bool approve, string by, DateTimeOffset at, string? note = null, int? count = null) =>
        _s.Orders.DecideAsync(new ApprovalDecision(request.Id, approve, by, note, count),
            approve ? Batch.Split(count ?? request.Summary.Count, request.Summary.ImagesPerCall) : [], at, Ct);

    private async Task<OrderEventKind[]> Kinds(string orderId) =>
        (await _s.Orders.EventsAsync(orderId, Ct)).Select(e => e.Kind).ToArray();

    [Fact]
    public async Task Approving_queues_the_order_with_its_batches_and_records_who_approved()
    {
        var (order, request) = await Awaiting();

        var outcome = await Decide(request, approve: true, "grace", Later, note: "fine for the campaign");

        outcome.Result.ShouldBe(DecisionResult.Decided);
        outcome.Request!.Status.ShouldBe(ApprovalStatus.Approved);
        var stored = (await _s.Orders.FindApprovalAsync(request.Id, Ct))!;
        stored.Status.ShouldBe(ApprovalStatus.Approved);
        stored.DecidedBy.ShouldBe("grace");
        stored.DecidedAt.ShouldBe(Later);
        stored.Note.ShouldBe("fine for the campaign");
        stored.ApprovedCount.ShouldBe(6);

        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.ShouldBeOrder(order with { Status = OrderStatus.Queued, ApprovedCount = 6 });
        (await _s.Orders.BatchesAsync(order.Id, Ct)).Select(b => (b.Index, b.FirstSlot, b.Count, b.Status))
            .ShouldBe([(0, 0, 4, BatchStatus.Pending), (1, 4, 2, BatchStatus.Pending)]);
        (await _s.Orders.SlotsAsync(order.Id, Ct)).Select(s => (s.Slot, s.Iteration, s.Status, s.Prompt))
            .ShouldBe(Enumerable.Range(0, 6).Select(slot => (slot, 1, SlotStatus.Generating, order.Prompt)));

        var events = await _s.Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind).ShouldBe([OrderEventKind.Requested, OrderEventKind.ApprovalRequested, OrderEventKind.Approved, OrderEventKind.Queued]);
        events[2].Actor.ShouldBe("grace");
        events[2].Note.ShouldBe("fine for the campaign");
        events[2].Images.ShouldBe(6);
        events[2].At.ShouldBe(Later);
        events[3].Actor.ShouldBe(OrderEvent.System);
    }

    [Fact]
    public async Task Approving_part_of_an_order_queues_only_that_many_images()
    {
        var (order, request) = await Awaiting(count: 10);

        (await Decide(request, approve: true, "grace", Later, count: 5)).Result.ShouldBe(DecisionResult.Decided);

        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Count.ShouldBe(10);
        now.ApprovedCount.ShouldBe(5);
        now.TargetCount.ShouldBe(5);
        (await _s.Orders.BatchesAsync(order.Id, Ct)).Sum(b => b.Count).ShouldBe(5);
        (await _s.Orders.SlotsAsync(order.Id, Ct)).Select(s => s.Slot).ShouldBe([0, 1, 2, 3, 4]);
        (await _s.Orders.FindApprovalAsync(request.Id, Ct))!.ApprovedCount.ShouldBe(5);
        (await _s.Orders.EventsAsync(order.Id, Ct)).Single(e => e.Kind == OrderEventKind.Approved).Images.ShouldBe(5);
    }

    [Fact]
    public async Task The_first_decision_stands_and_a_second_one_is_told_who_decided_and_when()
    {
        var (order, request) = await Awaiting();
        await Decide(request, approve: true, "grace", Later);
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        var second = await Decide(request, approve: false, "linus", Later.AddMinutes(1), note: "too expensive");

        second.Result.ShouldBe(DecisionResult.AlreadyDecided);
        second.Request!.Status.ShouldBe(ApprovalStatus.Approved);
        second.Request.DecidedBy.ShouldBe("grace");
        second.Request.DecidedAt.ShouldBe(Later);
        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Queued);
        (await _s.Orders.BatchesAsync(order.Id, Ct)).Count.ShouldBe(2);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);

        // Approving twice changes nothing either.
        (await Decide(request, approve: true, "linus", Later.AddMinutes(2))).Result.ShouldBe(DecisionResult.AlreadyDecided);
        (await _s.Orders.BatchesAsync(order.Id, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Rejecting_ends_the_order_with_the_decider_and_note_in_its_error()
    {
        var (order, request) = await Awaiting();

        var outcome = await Decide(request, approve: false, "grace", Later, note: "not this quarter");

        outcome.Result.ShouldBe(DecisionResult.Decided);
        outcome.Request!.Status.ShouldBe(ApprovalStatus.Rejected);
        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Status.ShouldBe(OrderStatus.Rejected);
        now.CompletedAt.ShouldBe(Later);
        now.ApprovedCount.ShouldBeNull();
        now.Error.ShouldNotBeNull();
        now.Error.ShouldContain("grace");
        now.Error.ShouldContain("not this quarter");
        (await _s.Orders.BatchesAsync(order.Id, Ct)).ShouldBeEmpty();
        var rejected = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        rejected.Kind.ShouldBe(OrderEventKind.Rejected);
        rejected.Actor.ShouldBe("grace");
        rejected.Note.ShouldBe("not this quarter");

        (await Decide(request, approve: true, "linus", Later)).Result.ShouldBe(DecisionResult.AlreadyDecided);
        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Rejected);
    }

    [Fact]
    public async Task Rejecting_without_a_note_still_names_the_decider()
    {
        var (order, request) = await Awaiting();

        await Decide(request, approve: false, "grace", Later);

        (await _s.Orders.FindAsync(order.Id, Ct))!.Error.ShouldBe("Rejected by grace.");
    }

    [Fact]
    public async Task A_decision_at_or_after_the_deadline_expires_the_order_instead()
    {
        var (order, request) = await Awaiting(timeout: TimeSpan.FromHours(1));

        // Exactly at the deadline is already too late.
        var outcome = await Decide(request, approve: true, "grace", request.ExpiresAt);

        outcome.Result.ShouldBe(DecisionResult.Expired);
        outcome.Request!.Status.ShouldBe(ApprovalStatus.Expired);
        var stored = (await _s.Orders.FindApprovalAsync(request.Id, Ct))!;
        stored.Status.ShouldBe(ApprovalStatus.Expired);
        stored.DecidedBy.ShouldBeNull();
        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Status.ShouldBe(OrderStatus.Expired);
        now.CompletedAt.ShouldBe(request.ExpiresAt);
        now.Error.ShouldNotBeNull();
        now.Error.ShouldContain("deadline");
        (await _s.Orders.BatchesAsync(order.Id, Ct)).ShouldBeEmpty();
        (await Kinds(order.Id)).ShouldBe([OrderEventKind.Requested, OrderEventKind.ApprovalRequested, OrderEventKind.Expired]);
        (await _s.Orders.EventsAsync(order.Id, Ct))[^1].Actor.ShouldBe(OrderEvent.System);

        // Afterwards the request is simply no longer open.
        (await Decide(request, approve: true, "grace", request.ExpiresAt.AddSeconds(1))).Result.ShouldBe(DecisionResult.AlreadyDecided);
    }

    [Fact]
    public async Task A_decision_a_millisecond_before_the_deadline_is_taken()
    {
        var (order, request) = await Awaiting(timeout: TimeSpan.FromHours(1));

        (await Decide(request, approve: true, "grace", request.ExpiresAt.AddMilliseconds(-1))).Result.ShouldBe(DecisionResult.Decided);

        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Queued);
    }

    [Fact]
    public async Task An_unknown_request_is_not_found()
    {
        await Awaiting();

        var outcome = await _s.Orders.DecideAsync(new ApprovalDecision(ApprovalRequest.NewId(), true, "grace"), [new Batch(0, 0, 4)], Later, Ct);

        outcome.ShouldBe(new DecisionOutcome(DecisionResult.NotFound, null));
        (await _s.Orders.FindApprovalAsync("no-such-request", Ct)).ShouldBeNull();
        (await _s.Orders.FindAsync("ord_0001", Ct))!.Status.ShouldBe(OrderStatus.AwaitingApproval);
    }

    [Fact]
    public async Task A_decision_after_the_order_was_cancelled_is_refused_and_nothing_runs()
    {
        var (order, request) = await Awaiting();
        (await _s.Orders.CancelAsync(order.Id, "linus", "wrong prompt", Later, Ct)).ShouldBeTrue();
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        var outcome = await Decide(request, approve: true, "grace", Later.AddMinutes(1));

        outcome.Result.ShouldBe(DecisionResult.AlreadyDecided);
        outcome.Request!.Status.ShouldBe(ApprovalStatus.Cancelled);
        outcome.Request.DecidedBy.ShouldBe("linus");
        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Cancelled);
        (await _s.Orders.BatchesAsync(order.Id, Ct)).ShouldBeEmpty();
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);
    }

    [Fact]
    public async Task A_pending_request_whose_order_no_longer_waits_is_stale_and_changes_nothing()
    {
        var (order, request) = await Awaiting();
        // An order ended by other means (another tool, an older Easel) without closing its request.
        _s.Execute($"UPDATE orders SET status = 'cancelled' WHERE id = '{order.Id}';");
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        var outcome = await Decide(request, approve: true, "grace", Later);

        outcome.Result.ShouldBe(DecisionResult.Stale);
        (await _s.Orders.FindApprovalAsync(request.Id, Ct))!.Status.ShouldBe(ApprovalStatus.Pending);
        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Cancelled);
        (await _s.Orders.BatchesAsync(order.Id, Ct)).ShouldBeEmpty();
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);
    }

    [Fact]
    public async Task Two_stores_on_one_file_racing_to_decide_never_both_win()
    {
        // Two EaselStore instances on the same file behave like two easel processes.
        using var other = EaselStore.Open(_s.Data);
        for (var round = 0; round < 20; round++)
        {
            var (order, request) = await _s.Orders.PlaceAwaitingAsync($"ord_race{round:00}", count: 6, perCall: 4, cancellationToken: Ct);
            var deciders = new (IOrderStore Store, string Name)[] { (_s.Orders, "grace"), (other.Orders, "linus") };
            using var start = new Barrier(deciders.Length);
            var tasks = deciders.Select(d => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait(Ct);
                return d.Store.DecideAsync(new ApprovalDecision(request.Id, true, d.Name), Batch.Split(6, 4), Later, Ct).GetAwaiter().GetResult();
            }, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            var outcomes = await Task.WhenAll(tasks);

            outcomes.Count(o => o.Result == DecisionResult.Decided).ShouldBe(1, $"round {round}");
            outcomes.Count(o => o.Result == DecisionResult.AlreadyDecided).ShouldBe(1, $"round {round}");
            var winner = deciders[Array.FindIndex(outcomes, o => o.Result == DecisionResult.Decided)].Name;
            outcomes.Single(o => o.Result == DecisionResult.AlreadyDecided).Request!.DecidedBy.ShouldBe(winner);
            (await other.Orders.FindApprovalAsync(request.Id, Ct))!.DecidedBy.ShouldBe(winner);
            var approved = (await _s.Orders.EventsAsync(order.Id, Ct)).Where(e => e.Kind == OrderEventKind.Approved).ToList();
            approved.Count.ShouldBe(1, $"round {round}");
            approved[0].Actor.ShouldBe(winner);
            (await _s.Orders.BatchesAsync(order.Id, Ct)).Count.ShouldBe(2);
        }
    }

    [Fact]
    public async Task Expiring_affects_only_pending_requests_past_their_deadline_and_is_idempotent()
    {
        var (soon, soonRequest) = await Awaiting("ord_soon", timeout: TimeSpan.FromHours(1));
        var (late, _) = await Awaiting("ord_late", timeout: TimeSpan.FromHours(2));
        var (decided, decidedRequest) = await Awaiting("ord_decided", timeout: TimeSpan.FromHours(1));
        await Decide(decidedRequest, approve: true, "grace", Later);
        var (cancelled, cancelledRequest) = await Awaiting("ord_cancelled", timeout: TimeSpan.FromHours(1));
        await _s.Orders.CancelAsync(cancelled.Id, "grace", null, Later, Ct);

        (await _s.Orders.ExpireDueAsync(soonRequest.ExpiresAt.AddMilliseconds(-1), Ct)).ShouldBeEmpty();
        (await _s.Orders.ExpireDueAsync(soonRequest.ExpiresAt, Ct)).ShouldBe([soon.Id]);
        (await _s.Orders.ExpireDueAsync(soonRequest.ExpiresAt.AddMinutes(1), Ct)).ShouldBeEmpty();

        (await _s.Orders.FindAsync(soon.Id, Ct))!.Status.ShouldBe(OrderStatus.Expired);
        (await _s.Orders.FindApprovalAsync(soonRequest.Id, Ct))!.Status.ShouldBe(ApprovalStatus.Expired);
        (await Kinds(soon.Id)).Count(k => k == OrderEventKind.Expired).ShouldBe(1);
        (await _s.Orders.FindAsync(late.Id, Ct))!.Status.ShouldBe(OrderStatus.AwaitingApproval);
        (await _s.Orders.FindAsync(decided.Id, Ct))!.Status.ShouldBe(OrderStatus.Queued);
        (await _s.Orders.FindApprovalAsync(decidedRequest.Id, Ct))!.Status.ShouldBe(ApprovalStatus.Approved);
        (await _s.Orders.FindAsync(cancelled.Id, Ct))!.Status.ShouldBe(OrderStatus.Cancelled);
        (await _s.Orders.FindApprovalAsync(cancelledRequest.Id, Ct))!.Status.ShouldBe(ApprovalStatus.Cancelled);
        (await Kinds(decided.Id)).ShouldNotContain(OrderEventKind.Expired);
        (await Kinds(cancelled.Id)).ShouldNotContain(OrderEventKind.Expired);

        (await _s.Orders.ExpireDueAsync(Samples.T0.AddHours(3), Ct)).ShouldBe([late.Id]);
        (await _s.Orders.FindAsync(late.Id, Ct))!.Status.ShouldBe(OrderStatus.Expired);
    }

    [Fact]
    public async Task Several_requests_due_at_once_all_expire_together()
    {
        var (a, _) = await Awaiting("ord_a", timeout: TimeSpan.FromMinutes(30));
        var (b, _) = await Awaiting("ord_b", timeout: TimeSpan.FromMinutes(20));

        var expired = await _s.Orders.ExpireDueAsync(Samples.T0.AddHours(1), Ct);

        expired.ShouldBe([b.Id, a.Id], ignoreOrder: true);
        (await _s.Orders.ListAsync([OrderStatus.Expired], 10, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Cancelling_an_order_that_waits_closes_its_request()
    {
        var (order, request) = await Awaiting();

        (await _s.Orders.CancelAsync(order.Id, "linus", "wrong prompt", Later, Ct)).ShouldBeTrue();

        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Status.ShouldBe(OrderStatus.Cancelled);
        now.CompletedAt.ShouldBe(Later);
        now.Error.ShouldBe("Cancelled by linus: wrong prompt");
        var closed = (await _s.Orders.FindApprovalAsync(request.Id, Ct))!;
        closed.Status.ShouldBe(ApprovalStatus.Cancelled);
        closed.DecidedBy.ShouldBe("linus");
        closed.DecidedAt.ShouldBe(Later);
        var cancelled = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        cancelled.Kind.ShouldBe(OrderEventKind.Cancelled);
        cancelled.Actor.ShouldBe("linus");
        cancelled.Note.ShouldBe("wrong prompt");
        (await _s.Orders.ExpireDueAsync(request.ExpiresAt, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Queued_and_running_orders_can_be_cancelled()
    {
        var queued = await _s.Orders.PlaceQueuedAsync("ord_queued", cancellationToken: Ct);
        var running = await _s.Orders.PlaceRunningAsync("ord_running", cancellationToken: Ct);

        (await _s.Orders.CancelAsync(queued.Id, "linus", null, Later, Ct)).ShouldBeTrue();
        (await _s.Orders.CancelAsync(running.Id, "linus", null, Later, Ct)).ShouldBeTrue();

        foreach (var id in new[] { queued.Id, running.Id })
        {
            var now = (await _s.Orders.FindAsync(id, Ct))!;
            now.Status.ShouldBe(OrderStatus.Cancelled);
            now.Error.ShouldBe("Cancelled by linus.");
            (await Kinds(id))[^1].ShouldBe(OrderEventKind.Cancelled);
        }
        // Nothing more starts once cancelled.
        (await _s.Orders.StartAsync(queued.Id, Later, Ct)).ShouldBeFalse();
        (await _s.Orders.BeginBatchAsync(running.Id, 0, "sketch", "sketch-1", Later, Ct)).ShouldBeNull();
    }

    [Theory]
    [InlineData(OrderStatus.Completed)]
    [InlineData(OrderStatus.PartiallyCompleted)]
    [InlineData(OrderStatus.Failed)]
    [InlineData(OrderStatus.Rejected)]
    [InlineData(OrderStatus.Expired)]
    [InlineData(OrderStatus.Cancelled)]
    public async Task A_finished_order_cannot_be_cancelled(OrderStatus status)
    {
        var order = Samples.Order() with { Status = status, CompletedAt = Samples.T0, Error = status == OrderStatus.Completed ? null : "earlier" };
        await _s.Orders.CreateBareAsync(order, Ct);

        (await _s.Orders.CancelAsync(order.Id, "linus", "too late", Later, Ct)).ShouldBeFalse();

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBeOrder(order);
        (await _s.Orders.EventsAsync(order.Id, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancelling_twice_reports_the_second_time_as_nothing_to_do()
    {
        var order = await _s.Orders.PlaceQueuedAsync("ord_0001", cancellationToken: Ct);

        (await _s.Orders.CancelAsync(order.Id, "linus", null, Later, Ct)).ShouldBeTrue();
        (await _s.Orders.CancelAsync(order.Id, "grace", null, Later.AddMinutes(1), Ct)).ShouldBeFalse();

        (await _s.Orders.FindAsync(order.Id, Ct))!.Error.ShouldBe("Cancelled by linus.");
        (await Kinds(order.Id)).Count(k => k == OrderEventKind.Cancelled).ShouldBe(1);
    }
}
