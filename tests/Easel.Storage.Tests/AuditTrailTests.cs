using Easel.Core.Orders;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Tests;

/// <summary>The order events: what happened, in order, and never rewritten.</summary>
public sealed class AuditTrailTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Later = Samples.T0.AddMinutes(1);
    private readonly StoreScope _s = new();

    public void Dispose() => _s.Dispose();

    [Theory]
    [InlineData("UPDATE order_events SET actor = 'mallory';")]
    [InlineData("UPDATE order_events SET kind = 'approved' WHERE kind = 'approval_requested';")]
    [InlineData("DELETE FROM order_events;")]
    [InlineData("DELETE FROM order_events WHERE kind = 'requested';")]
    public async Task History_cannot_be_edited_or_removed(string sql)
    {
        var (order, _) = await _s.Orders.PlaceAwaitingAsync("ord_0001", cancellationToken: Ct);
        var before = await _s.Orders.EventsAsync(order.Id, Ct);

        var error = Should.Throw<SqliteException>(() => _s.Execute(sql));

        error.Message.ShouldContain("append-only");
        var after = await _s.Orders.EventsAsync(order.Id, Ct);
        after.ShouldBe(before);
    }

    [Fact]
    public async Task History_cannot_be_edited_through_a_plain_connection_either()
    {
        await _s.Orders.PlaceQueuedAsync("ord_0001", cancellationToken: Ct);
        var path = _s.Data.DatabasePath;

        using var raw = RawSqlite.Open(path);
        Should.Throw<SqliteException>(() => raw.Execute("DELETE FROM order_events;"));
        Should.Throw<SqliteException>(() => raw.Execute("UPDATE order_events SET note = 'edited';"));

        Convert.ToInt32(raw.Scalar("SELECT count(*) FROM order_events WHERE note IS NULL;")).ShouldBe(2);
    }

    [Fact]
    public async Task Events_of_an_order_come_back_in_the_order_they_happened()
    {
        var (order, request) = await _s.Orders.PlaceAwaitingAsync("ord_0001", count: 6, perCall: 4, cancellationToken: Ct);
        await _s.Orders.PlaceQueuedAsync("ord_0002", cancellationToken: Ct); // interleaved events of another order
        await _s.Orders.DecideAsync(new ApprovalDecision(request.Id, true, "grace"), Batch.Split(6, 4), Later, Ct);
        await _s.Orders.StartAsync(order.Id, Later, Ct);
        await _s.Orders.StartAsync("ord_0002", Later, Ct);
        var batch = (await _s.Orders.BeginBatchAsync(order.Id, 0, "sketch", "sketch-1", Later, Ct))!;
        await _s.Orders.FailBatchAsync(order.Id, 0, batch.Attempts, "timeout", TimeSpan.FromSeconds(30), Later, Ct);
        await _s.Orders.CancelAsync(order.Id, "grace", "enough", Later, Ct);

        var events = await _s.Orders.EventsAsync(order.Id, Ct);

        events.Select(e => e.Kind).ShouldBe(
        [
            OrderEventKind.Requested, OrderEventKind.ApprovalRequested, OrderEventKind.Approved, OrderEventKind.Queued,
            OrderEventKind.Started, OrderEventKind.BatchStarted, OrderEventKind.BatchFailed, OrderEventKind.Cancelled,
        ]);
        events.ShouldAllBe(e => e.OrderId == order.Id);
        events.Select(e => e.Seq).ShouldBeInOrder(SortDirection.Ascending);
        events.Select(e => e.Seq).Distinct().Count().ShouldBe(events.Count);
        (await _s.Orders.EventsAsync("ord_missing", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_feed_returns_every_order_s_events_after_a_position_oldest_first()
    {
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(0);
        (await _s.Orders.EventsAfterAsync(0, 100, Ct)).ShouldBeEmpty();

        await _s.Orders.PlaceQueuedAsync("ord_a", cancellationToken: Ct);
        var mark = await _s.Orders.LastEventSeqAsync(Ct);
        await _s.Orders.PlaceQueuedAsync("ord_b", cancellationToken: Ct);
        await _s.Orders.StartAsync("ord_a", Later, Ct);

        var all = await _s.Orders.EventsAfterAsync(0, 100, Ct);
        all.Select(e => (e.OrderId, e.Kind)).ShouldBe(
        [
            ("ord_a", OrderEventKind.Requested), ("ord_a", OrderEventKind.Queued),
            ("ord_b", OrderEventKind.Requested), ("ord_b", OrderEventKind.Queued),
            ("ord_a", OrderEventKind.Started),
        ]);
        mark.ShouldBe(all[1].Seq);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(all[^1].Seq);

        var after = await _s.Orders.EventsAfterAsync(mark, 100, Ct);
        after.ShouldBe(all.Skip(2));
        (await _s.Orders.EventsAfterAsync(mark, 2, Ct)).ShouldBe(all.Skip(2).Take(2));
        (await _s.Orders.EventsAfterAsync(all[^1].Seq, 100, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_last_position_moves_on_every_change_and_only_then()
    {
        var (order, request) = await _s.Orders.PlaceAwaitingAsync("ord_0001", cancellationToken: Ct);
        var positions = new List<long> { await _s.Orders.LastEventSeqAsync(Ct) };

        await _s.Orders.DecideAsync(new ApprovalDecision(request.Id, true, "grace"), Batch.Split(6, 4), Later, Ct);
        positions.Add(await _s.Orders.LastEventSeqAsync(Ct));
        await _s.Orders.DecideAsync(new ApprovalDecision(request.Id, true, "linus"), Batch.Split(6, 4), Later, Ct); // refused
        positions.Add(await _s.Orders.LastEventSeqAsync(Ct));
        await _s.Orders.StartAsync(order.Id, Later, Ct);
        positions.Add(await _s.Orders.LastEventSeqAsync(Ct));
        await _s.Orders.StartAsync(order.Id, Later, Ct); // refused
        positions.Add(await _s.Orders.LastEventSeqAsync(Ct));

        positions[1].ShouldBeGreaterThan(positions[0]);
        positions[2].ShouldBe(positions[1]);
        positions[3].ShouldBeGreaterThan(positions[2]);
        positions[4].ShouldBe(positions[3]);
    }

    [Fact]
    public async Task Every_event_field_survives_a_round_trip()
    {
        var order = Samples.Order() with { Status = OrderStatus.Queued };
        var e = new OrderEvent
        {
            OrderId = order.Id,
            At = Samples.T0,
            Kind = OrderEventKind.BatchFinished,
            Actor = "Zoë 🦊",
            Note = "a note\non two lines",
            Batch = 3,
            Attempt = 2,
            Images = 4,
            Provider = "replicate",
            Model = "black-forest-labs/flux-schnell",
            Duration = TimeSpan.FromMilliseconds(12345),
            Cost = 0.0035m,
            Error = "partial",
        };

        await _s.Orders.CreateAsync(order, [], null, [e], Ct);

        var stored = (await _s.Orders.EventsAsync(order.Id, Ct)).Single();
        stored.ShouldBe(e with { Seq = stored.Seq });
        stored.Seq.ShouldBeGreaterThan(0);
        _s.Scalar<string>("SELECT kind FROM order_events;").ShouldBe("batch_finished");
        _s.Scalar<string>("SELECT cost FROM order_events;").ShouldBe("0.0035");
    }
}
