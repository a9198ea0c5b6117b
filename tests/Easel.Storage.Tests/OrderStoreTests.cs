using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Tests;

/// <summary>Placing, finding and listing orders.</summary>
public sealed class OrderStoreTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly StoreScope _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public async Task Every_field_survives_a_round_trip()
    {
        var order = Samples.Order("ord_01jq8x5v3m0000000000000001") with
        {
            Prompt = "Sechs Aquarell-Katzen 🐈, 16:9, kein Text — \"bitte\"",
            NegativePrompt = "text, watermark",
            Count = 6,
            ApprovedCount = 5,
            Size = new ImageSize(1344, 768),
            AspectRatio = "16:9",
            Style = "watercolor",
            Background = Background.Transparent,
            Seed = long.MinValue,
            Provider = "replicate",
            Model = "black-forest-labs/flux-schnell",
            ImagesPerCall = 3,
            // More digits than a double holds: money must come back exactly.
            EstimatedCost = 1234567.891234567891234m,
            Status = OrderStatus.PartiallyCompleted,
            CreatedAt = new DateTimeOffset(2025, 3, 14, 9, 26, 53, 589, TimeSpan.FromHours(-5)).AddTicks(9999),
            CompletedAt = new DateTimeOffset(2025, 3, 14, 14, 27, 0, 1, TimeSpan.Zero),
            Error = "2 of 6 images failed: rate limited",
            Loop = new LoopSettings { MaxIterations = 4, Threshold = 85, Candidates = 3, Preset = "product-photo" },
            References =
            [
                new StoredReference("https://example.com/fox.png", Path.Combine(_s.Data.ImagesPath, "refs", new string('b', 64) + ".png"), "image/png", new string('b', 64), 640, 480),
                new StoredReference("/home/ada/Katze 🐈.webp", _s.Temp.Combine("elsewhere", "cat.webp"), "image/webp", new string('c', 64), 32, 16),
            ],
            Source = new OrderSource("img_01jq8x5v3m0000000000000009", Derivation.Variation, VariationStrength.Strong),
        };

        await _s.Orders.CreateBareAsync(order, Ct);

        var found = await _s.Orders.FindAsync(order.Id, Ct);
        found.ShouldBeOrder(order with
        {
            CreatedAt = new DateTimeOffset(2025, 3, 14, 14, 26, 53, 589, TimeSpan.Zero),
        });
        found!.EstimatedCost.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("1234567.891234567891234");
        found.TargetCount.ShouldBe(5);
    }

    [Fact]
    public async Task Optional_fields_round_trip_as_null()
    {
        var order = Samples.Order() with { NegativePrompt = null, AspectRatio = null, Style = null, ApprovedCount = null, CompletedAt = null, Error = null };

        await _s.Orders.CreateBareAsync(order, Ct);

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBeOrder(order);
    }

    [Fact]
    public async Task Status_and_background_are_stored_as_readable_text_and_times_as_unix_milliseconds()
    {
        await _s.Orders.CreateBareAsync(Samples.Order() with { Status = OrderStatus.PartiallyCompleted, Background = Background.Transparent, EstimatedCost = 0.0120m }, Ct);

        _s.Scalar<string>("SELECT status FROM orders;").ShouldBe("partially_completed");
        _s.Scalar<string>("SELECT background FROM orders;").ShouldBe("transparent");
        _s.Scalar<string>("SELECT estimated_cost FROM orders;").ShouldBe("0.0120");
        _s.Scalar<long>("SELECT created_at FROM orders;").ShouldBe(Samples.T0.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData(OrderStatus.AwaitingApproval)]
    [InlineData(OrderStatus.Queued)]
    [InlineData(OrderStatus.Running)]
    [InlineData(OrderStatus.Completed)]
    [InlineData(OrderStatus.PartiallyCompleted)]
    [InlineData(OrderStatus.Failed)]
    [InlineData(OrderStatus.Rejected)]
    [InlineData(OrderStatus.Expired)]
    [InlineData(OrderStatus.Cancelled)]
    public async Task Every_status_round_trips(OrderStatus status)
    {
        await _s.Orders.CreateBareAsync(Samples.Order() with { Status = status }, Ct);

        (await _s.Orders.FindAsync("ord_0001", Ct))!.Status.ShouldBe(status);
    }

    [Fact]
    public async Task A_queued_order_is_stored_with_its_batches_and_first_events()
    {
        var order = await _s.Orders.PlaceQueuedAsync("ord_01jq8x5v3m0000000000000001", count: 10, perCall: 4, cancellationToken: Ct);

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBeOrder(order);
        var batches = await _s.Orders.BatchesAsync(order.Id, Ct);
        batches.Select(b => (b.Index, b.FirstSlot, b.Count)).ShouldBe([(0, 0, 4), (1, 4, 4), (2, 8, 2)]);
        batches.ShouldAllBe(b => b.Status == BatchStatus.Pending && b.Attempts == 0 && b.StartedAt == null && b.PendingFiles.Count == 0);
        // First iteration, one candidate each, from the order's own prompt.
        batches.ShouldAllBe(b => b.Iteration == 1 && b.FirstCandidate == 0 && b.Candidates == 1 && b.Prompt == null && b.PreviousResponseId == null);
        (await _s.Orders.ApprovalForOrderAsync(order.Id, Ct)).ShouldBeNull();
        var slots = await _s.Orders.SlotsAsync(order.Id, Ct);
        slots.Select(s => s.Slot).ShouldBe(Enumerable.Range(0, 10));
        slots.ShouldAllBe(s => s.Iteration == 1 && s.Status == SlotStatus.Generating && s.Prompt == order.Prompt && s.BestImageId == null && s.BestScore == null);

        var events = await _s.Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind).ShouldBe([OrderEventKind.Requested, OrderEventKind.Queued]);
        events[0].ShouldBe(new OrderEvent
        {
            Seq = events[0].Seq, OrderId = order.Id, At = Samples.T0, Kind = OrderEventKind.Requested, Actor = "ada",
            Images = 10, Provider = "sketch", Model = "sketch-1", Cost = 0.030m,
        });
        events[1].Actor.ShouldBe(OrderEvent.System);
        _s.Scalar<string>("SELECT group_concat(kind, ',') FROM order_events;").ShouldBe("requested,queued");
    }

    [Fact]
    public async Task An_order_that_must_wait_is_stored_with_its_pending_request_and_the_summary_exactly_as_shown()
    {
        var order = Samples.Order("ord_01jq8x5v3m0000000000000002") with { Count = 12, Status = OrderStatus.AwaitingApproval, EstimatedCost = 1234567.891234567891234m };
        var summary = new ApprovalSummary(
            "Zwölf Füchse 🦊 — \"quoted\", new\nline",
            12, 3, 4, "replicate", "black-forest-labs/flux-schnell", 1234567.891234567891234m,
            ["12 images is more than the 4 allowed without approval", "the estimated cost $1234567.8912 is more than the $1.00 allowed without approval"]);
        var request = new ApprovalRequest
        {
            Id = ApprovalRequest.NewId(),
            OrderId = order.Id,
            Status = ApprovalStatus.Pending,
            CreatedAt = Samples.T0,
            ExpiresAt = Samples.T0.AddHours(24),
            Summary = summary,
        };

        await _s.Orders.CreateAsync(order, [], request,
            [new OrderEvent { OrderId = order.Id, At = Samples.T0, Kind = OrderEventKind.ApprovalRequested, Actor = OrderEvent.System, Cost = 0.0035m }], Ct);

        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.AwaitingApproval);
        (await _s.Orders.BatchesAsync(order.Id, Ct)).ShouldBeEmpty();
        foreach (var found in new[] { await _s.Orders.FindApprovalAsync(request.Id, Ct), await _s.Orders.ApprovalForOrderAsync(order.Id, Ct) })
        {
            found.ShouldNotBeNull();
            // Records compare lists by reference, so the reasons are compared on their own.
            found.ShouldBe(request with { Summary = found.Summary });
            found.Summary.ShouldBe(summary with { Reasons = found.Summary.Reasons });
            found.Summary.Reasons.ShouldBe(summary.Reasons);
            found.Summary.EstimatedCost.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("1234567.891234567891234");
        }
        (await _s.Orders.EventsAsync(order.Id, Ct)).Single().Cost.ShouldBe(0.0035m);
        _s.Scalar<string>("SELECT status FROM approvals;").ShouldBe("pending");
    }

    [Fact]
    public async Task A_duplicate_id_is_refused_and_the_first_order_kept()
    {
        await _s.Orders.PlaceQueuedAsync("ord_0001", cancellationToken: Ct);

        var error = await Should.ThrowAsync<InvalidOperationException>(
            () => _s.Orders.CreateAsync(Samples.Order() with { Prompt = "other" }, [new Batch(5, 0, 1)], null, [], Ct));

        error.Message.ShouldContain("already exists");
        (await _s.Orders.FindAsync("ord_0001", Ct))!.Prompt.ShouldBe(Samples.Order().Prompt);
        (await _s.Orders.BatchesAsync("ord_0001", Ct)).Count.ShouldBe(2);
        (await _s.Orders.EventsAsync("ord_0001", Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_create_that_fails_part_way_stores_nothing()
    {
        var order = Samples.Order() with { Status = OrderStatus.Queued };

        // The second batch repeats the first one's index.
        await Should.ThrowAsync<SqliteException>(() => _s.Orders.CreateAsync(order, [new Batch(0, 0, 2), new Batch(0, 2, 2)], null,
            [new OrderEvent { OrderId = order.Id, At = Samples.T0, Kind = OrderEventKind.Requested }], Ct));

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBeNull();
        _s.Scalar<long>("SELECT count(*) FROM batches;").ShouldBe(0);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Find_accepts_a_whole_id_or_a_unique_prefix_with_or_without_ord()
    {
        await _s.Orders.PlaceQueuedAsync("ord_01jq8x5v3mabcdefghjkmnpqrs", cancellationToken: Ct);
        await _s.Orders.PlaceQueuedAsync("ord_02aaaaaaaaaaaaaaaaaaaaaaaa", cancellationToken: Ct);

        foreach (var key in new[] { "ord_01jq8x5v3mabcdefghjkmnpqrs", "ord_01jq", "01jq", "01jq8x5v3mab", "  ord_01jq8x  ", "ORD_01JQ8X", "01JQ" })
            (await _s.Orders.FindAsync(key, Ct)).ShouldNotBeNull(key).Id.ShouldBe("ord_01jq8x5v3mabcdefghjkmnpqrs", key);
    }

    [Fact]
    public async Task An_ambiguous_prefix_names_the_matches_and_a_longer_one_resolves_it()
    {
        await _s.Orders.PlaceQueuedAsync("ord_01jq8x5v3m0000000000000001", cancellationToken: Ct);
        await _s.Orders.PlaceQueuedAsync("ord_01jq8x5v3m0000000000000002", cancellationToken: Ct);
        await _s.Orders.PlaceQueuedAsync("ord_01jr0000000000000000000000", cancellationToken: Ct);

        var error = await Should.ThrowAsync<AmbiguousIdException>(() => _s.Orders.FindAsync("01jq", Ct));

        error.Matches.ShouldBe(["ord_01jq8x5v3m0000000000000001", "ord_01jq8x5v3m0000000000000002"]);
        error.Message.ShouldContain("01jq");
        (await _s.Orders.FindAsync("01jq8x5v3m0000000000000002", Ct))!.Id.ShouldBe("ord_01jq8x5v3m0000000000000002");
        (await _s.Orders.FindAsync("ord_01jr", Ct))!.Id.ShouldBe("ord_01jr0000000000000000000000");
    }

    [Theory]
    [InlineData("ord_0002")]
    [InlineData("ord_01j")] // a prefix needs at least 4 characters after "ord_"
    [InlineData("01j")]
    [InlineData("ord_01jq%")]
    [InlineData("'; DROP TABLE orders; --")]
    [InlineData("")]
    public async Task Find_returns_null_when_nothing_matches(string key)
    {
        await _s.Orders.PlaceQueuedAsync("ord_01jq8x5v3m0000000000000001", cancellationToken: Ct);

        (await _s.Orders.FindAsync(key, Ct)).ShouldBeNull();
        _s.Scalar<long>("SELECT count(*) FROM orders;").ShouldBe(1);
    }

    [Fact]
    public async Task A_short_whole_id_is_found_exactly()
    {
        await _s.Orders.CreateBareAsync(Samples.Order("ord_ab"), Ct);

        (await _s.Orders.FindAsync("ord_ab", Ct))!.Id.ShouldBe("ord_ab");
        (await _s.Orders.FindAsync("ab", Ct))!.Id.ShouldBe("ord_ab");
    }

    [Fact]
    public async Task Listing_is_newest_first_and_filters_by_status()
    {
        await _s.Orders.PlaceQueuedAsync("ord_b", at: Samples.T0.AddMinutes(1), cancellationToken: Ct);
        await _s.Orders.PlaceAwaitingAsync("ord_c", at: Samples.T0.AddMinutes(2), cancellationToken: Ct);
        await _s.Orders.PlaceQueuedAsync("ord_a", at: Samples.T0, cancellationToken: Ct);
        await _s.Orders.PlaceRunningAsync("ord_d", at: Samples.T0.AddMinutes(3), cancellationToken: Ct);
        await _s.Orders.PlaceQueuedAsync("ord_e", at: Samples.T0.AddMinutes(1), cancellationToken: Ct); // same time as ord_b

        async Task<string[]> Ids(IReadOnlyCollection<OrderStatus>? statuses, int limit = 50) =>
            (await _s.Orders.ListAsync(statuses, limit, Ct)).Select(o => o.Id).ToArray();

        (await Ids(null)).ShouldBe(["ord_d", "ord_c", "ord_e", "ord_b", "ord_a"]);
        (await Ids([])).ShouldBe(["ord_d", "ord_c", "ord_e", "ord_b", "ord_a"]);
        (await Ids([OrderStatus.Queued])).ShouldBe(["ord_e", "ord_b", "ord_a"]);
        (await Ids([OrderStatus.AwaitingApproval, OrderStatus.Running])).ShouldBe(["ord_d", "ord_c"]);
        (await Ids([OrderStatus.Completed])).ShouldBeEmpty();
        (await Ids(null, limit: 2)).ShouldBe(["ord_d", "ord_c"]);
    }
}
