using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Testing;

namespace Easel.Workflows.Tests;

/// <summary>Placing orders under the approval policy, deciding approval requests and expiring them, on a real SQLite store.</summary>
public sealed class OrderServiceTests : IDisposable
{
    private const string Prompt = "a lighthouse at dusk";
    private const long Seed = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(24);

    private readonly TempStore _temp = new();
    private readonly ManualTimeProvider _time = new();
    private readonly TestImageProvider _provider = new(perCall: 4);
    private readonly TestImageProvider _paid = new("paid", perCall: 4, pricePerImage: 0.30m);
    private readonly ProviderRegistry _providers;
    private readonly OrderService _service;

    public OrderServiceTests()
    {
        _providers = new ProviderRegistry([_provider, _paid]);
        _service = new OrderService(_providers, _temp.Store.Orders, _temp.Store.Blobs, TestQuality.Passing, _time);
        Start = _time.GetUtcNow();
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IOrderStore Orders => _temp.Store.Orders;

    private DateTimeOffset Start { get; }

    private static ApprovalOptions Policy(int maxImages = 4) =>
        new() { MaxImagesWithoutApproval = maxImages, MaxCostWithoutApproval = 1.00m, Timeout = Timeout };

    private Task<PlacedOrder> PlaceAsync(int count, int maxImages = 4, string provider = TestImageProvider.DefaultName, bool approvedUpFront = false) =>
        _service.PlaceAsync(
            // One pass each: these tests are about the gate, not the quality loop's worst case.
            new OrderSpec { Prompt = Prompt, Count = count, Size = new ImageSize(64, 64), Seed = Seed, Provider = provider, Loop = LoopSettings.Once },
            new PlaceOptions(Policy(maxImages), "ada", approvedUpFront),
            Ct);

    private async Task<string> PlaceAwaitingAsync(int count = 10)
    {
        var placed = await PlaceAsync(count);
        placed.Order.Status.ShouldBe(OrderStatus.AwaitingApproval);
        return placed.Approval!.Id;
    }

    private Task<(Order Order, ApprovalRequest Request)> DecideAsync(string requestId, bool approve, string by = "bob", string? note = null, int? count = null) =>
        _service.DecideAsync(new ApprovalDecision(requestId, approve, by, note, count), Ct);

    private async Task<string> RefusalAsync(string requestId, bool approve = true, string by = "bob", int? count = null) =>
        (await Should.ThrowAsync<ApprovalRefusedException>(() => DecideAsync(requestId, approve, by, count: count))).Message;

    private async Task<Order> OrderAsync(string id) => (await Orders.FindAsync(id, Ct)).ShouldNotBeNull();

    private async Task<IReadOnlyList<string>> EventKindsAsync(string orderId) =>
        (await Orders.EventsAsync(orderId, Ct)).Select(e => e.Kind.ToText()).ToList();

    private async Task<IReadOnlyList<(int Index, int FirstSlot, int Count)>> BatchesAsync(string orderId) =>
        (await Orders.BatchesAsync(orderId, Ct)).Select(b => (b.Index, b.FirstSlot, b.Count)).ToList();

    /// <summary>Runs every batch of a queued order in turn, as the worker would, and returns the finished order.</summary>
    private async Task<Order> RunToEndAsync(string orderId)
    {
        var store = _temp.Store;
        var quality = TestQuality.Passing;
        var loop = new QualityLoop(Orders, store.Images, store.Blobs, quality.Evaluator, quality.Prompter, quality.FindPreset, _providers, _time);
        var runner = new BatchRunner(_providers, Orders, store.Images, store.Blobs, new ProviderGates(_time), loop, _time);
        (await Orders.StartAsync(orderId, _time.GetUtcNow(), Ct)).ShouldBeTrue();
        foreach (var batch in await Orders.BatchesAsync(orderId, Ct))
            await runner.RunAsync(orderId, batch.Index, Ct);
        return await OrderAsync(orderId);
    }

    // Policy

    [Theory]
    [InlineData(1, 4, new[] { 1 })]
    [InlineData(4, 4, new[] { 4 })]
    [InlineData(10, 10, new[] { 4, 4, 2 })]
    [InlineData(9, 10, new[] { 4, 4, 1 })]
    public async Task Up_to_the_limit_an_order_is_queued_in_calls_of_the_providers_per_call_maximum(int count, int maxImages, int[] sizes)
    {
        var placed = await PlaceAsync(count, maxImages);

        placed.Approval.ShouldBeNull();
        var order = await OrderAsync(placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.Queued);
        order.Count.ShouldBe(count);
        order.ApprovedCount.ShouldBeNull();
        order.ImagesPerCall.ShouldBe(4);
        order.Provider.ShouldBe("test");
        order.Model.ShouldBe("test-model");
        order.CreatedAt.ShouldBe(Start);
        (await BatchesAsync(order.Id)).ShouldBe(sizes.Select((n, i) => (i, i * 4, n)).ToList());
        (await Orders.ApprovalForOrderAsync(order.Id, Ct)).ShouldBeNull();
        (await EventKindsAsync(order.Id)).ShouldBe(["requested", "queued"]);
    }

    [Fact]
    public async Task Above_the_limit_an_order_waits_for_approval_with_a_summary_and_a_deadline()
    {
        var placed = await PlaceAsync(10);

        var order = await OrderAsync(placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.AwaitingApproval);
        (await BatchesAsync(order.Id)).ShouldBeEmpty();

        var request = placed.Approval.ShouldNotBeNull();
        request.OrderId.ShouldBe(order.Id);
        request.Status.ShouldBe(ApprovalStatus.Pending);
        request.CreatedAt.ShouldBe(Start);
        request.ExpiresAt.ShouldBe(Start + Timeout);
        request.DecidedBy.ShouldBeNull();

        // 22 URL-safe characters that decode to 16 random bytes.
        request.Id.Length.ShouldBe(22);
        request.Id.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
        Convert.FromBase64String(request.Id.Replace('-', '+').Replace('_', '/') + "==").Length.ShouldBe(16);
        (await PlaceAsync(10)).Approval!.Id.ShouldNotBe(request.Id);

        var summary = request.Summary;
        summary.Prompt.ShouldBe(Prompt);
        summary.Count.ShouldBe(10);
        summary.Batches.ShouldBe(3);
        summary.ImagesPerCall.ShouldBe(4);
        summary.Provider.ShouldBe("test");
        summary.Model.ShouldBe("test-model");
        summary.EstimatedCost.ShouldBe(0m);
        summary.Reasons.ShouldBe(["10 images is more than the 4 allowed without approval"]);

        // The request is stored as it was shown.
        var stored = (await Orders.FindApprovalAsync(request.Id, Ct)).ShouldNotBeNull();
        stored.Status.ShouldBe(ApprovalStatus.Pending);
        stored.ExpiresAt.ShouldBe(request.ExpiresAt);
        stored.Summary.Reasons.ShouldBe(summary.Reasons);
        stored.Summary.Batches.ShouldBe(3);
        (await Orders.ApprovalForOrderAsync(order.Id, Ct))!.Id.ShouldBe(request.Id);

        var events = await Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind.ToText()).ShouldBe(["requested", "approval_requested"]);
        events[1].Note.ShouldBe("Approval needed: 10 images is more than the 4 allowed without approval. Expires 2026-01-02 00:00:00 UTC.");
    }

    [Fact]
    public async Task An_order_within_the_image_limit_but_over_the_cost_limit_waits_for_approval()
    {
        // 4 images at $0.30 is $1.20, over the $1.00 allowed; 4 images is within the count limit.
        var placed = await PlaceAsync(4, provider: "paid");

        placed.Order.Status.ShouldBe(OrderStatus.AwaitingApproval);
        (await OrderAsync(placed.Order.Id)).EstimatedCost.ShouldBe(1.20m);
        var summary = placed.Approval.ShouldNotBeNull().Summary;
        summary.EstimatedCost.ShouldBe(1.20m);
        summary.Provider.ShouldBe("paid");
        summary.Reasons.ShouldBe(["the worst-case cost $1.20 is more than the $1.00 allowed without approval"]);

        // $0.90 is within the limit.
        (await PlaceAsync(3, provider: "paid")).Order.Status.ShouldBe(OrderStatus.Queued);
    }

    [Fact]
    public async Task Approval_given_up_front_queues_the_order_and_records_the_requester_as_approver()
    {
        var placed = await PlaceAsync(10, approvedUpFront: true);

        var order = await OrderAsync(placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.Queued);
        order.ApprovedCount.ShouldBe(10);
        (await BatchesAsync(order.Id)).ShouldBe([(0, 0, 4), (1, 4, 4), (2, 8, 2)]);

        var request = (await Orders.ApprovalForOrderAsync(order.Id, Ct)).ShouldNotBeNull();
        request.Id.ShouldBe(placed.Approval!.Id);
        request.Status.ShouldBe(ApprovalStatus.Approved);
        request.DecidedBy.ShouldBe("ada");
        request.DecidedAt.ShouldBe(Start);
        request.ApprovedCount.ShouldBe(10);
        request.Note.ShouldNotBeNull().ShouldContain("--yes");
        request.Summary.Reasons.ShouldBe(["10 images is more than the 4 allowed without approval"]);

        var events = await Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind.ToText()).ShouldBe(["requested", "approval_requested", "approved", "queued"]);
        events[2].Actor.ShouldBe("ada");
        events[2].Note!.ShouldContain("--yes");
        events[2].Images.ShouldBe(10);
    }

    // Decisions

    [Fact]
    public async Task Approving_all_queues_every_batch()
    {
        var id = await PlaceAwaitingAsync();
        _time.Advance(TimeSpan.FromMinutes(5));

        var (order, request) = await DecideAsync(id, approve: true, note: "fine");

        order.Status.ShouldBe(OrderStatus.Queued);
        order.ApprovedCount.ShouldBe(10);
        order.TargetCount.ShouldBe(10);
        request.Status.ShouldBe(ApprovalStatus.Approved);
        request.DecidedBy.ShouldBe("bob");
        request.DecidedAt.ShouldBe(Start.AddMinutes(5));
        (await BatchesAsync(order.Id)).ShouldBe([(0, 0, 4), (1, 4, 4), (2, 8, 2)]);

        var stored = (await Orders.FindApprovalAsync(id, Ct))!;
        stored.Status.ShouldBe(ApprovalStatus.Approved);
        stored.DecidedBy.ShouldBe("bob");
        stored.Note.ShouldBe("fine");
        stored.ApprovedCount.ShouldBe(10);

        var events = await Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind.ToText()).ShouldBe(["requested", "approval_requested", "approved", "queued"]);
        events[2].Actor.ShouldBe("bob");
        events[2].Note.ShouldBe("fine");

        (await RunToEndAsync(order.Id)).Status.ShouldBe(OrderStatus.Completed);
        (await _temp.Store.Images.ListByOrderAsync(order.Id, Ct)).Count.ShouldBe(10);
    }

    [Fact]
    public async Task Approving_part_of_an_order_makes_only_that_many_images()
    {
        var id = await PlaceAwaitingAsync(10);

        var (order, request) = await DecideAsync(id, approve: true, count: 6);

        order.Status.ShouldBe(OrderStatus.Queued);
        order.Count.ShouldBe(10);
        order.ApprovedCount.ShouldBe(6);
        order.TargetCount.ShouldBe(6);
        request.ApprovedCount.ShouldBe(6);
        (await BatchesAsync(order.Id)).ShouldBe([(0, 0, 4), (1, 4, 2)]);

        var finished = await RunToEndAsync(order.Id);

        finished.Status.ShouldBe(OrderStatus.Completed);
        finished.Error.ShouldBeNull();
        var images = await _temp.Store.Images.ListByOrderAsync(order.Id, Ct);
        images.Select(i => i.Slot).Order().ShouldBe([0, 1, 2, 3, 4, 5]);
        images.Select(i => i.Seed).Order().ShouldBe([Seed, Seed + 1, Seed + 2, Seed + 3, Seed + 4, Seed + 5]);
        _provider.Requests.Select(r => r.Count).ShouldBe([4, 2]);
        _temp.ImageFiles().Count.ShouldBe(6);

        // A second decision names the partial approval.
        (await RefusalAsync(id, approve: false, by: "carol"))
            .ShouldBe($"Request {id} was already approved by bob at 2026-01-01 00:00:00 UTC (6 of 10 images); the first decision stands.");
    }

    [Fact]
    public async Task Rejecting_ends_the_order_without_making_anything()
    {
        var id = await PlaceAwaitingAsync();

        var (order, request) = await DecideAsync(id, approve: false, note: "too many");

        order.Status.ShouldBe(OrderStatus.Rejected);
        order.Error.ShouldBe("Rejected by bob: too many");
        order.CompletedAt.ShouldBe(Start);
        request.Status.ShouldBe(ApprovalStatus.Rejected);
        (await Orders.FindApprovalAsync(id, Ct))!.Status.ShouldBe(ApprovalStatus.Rejected);
        (await BatchesAsync(order.Id)).ShouldBeEmpty();
        var events = await Orders.EventsAsync(order.Id, Ct);
        events.Select(e => e.Kind.ToText()).ShouldBe(["requested", "approval_requested", "rejected"]);
        events[^1].Actor.ShouldBe("bob");
        events[^1].Note.ShouldBe("too many");
        (await Orders.StartAsync(order.Id, _time.GetUtcNow(), Ct)).ShouldBeFalse();
        _provider.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_request_id_is_refused()
    {
        await PlaceAwaitingAsync();
        var unknown = ApprovalRequest.NewId();

        (await RefusalAsync(unknown)).ShouldBe(
            $"There is no approval request '{unknown}'. Request ids are 22 characters long; `easel orders --status awaiting_approval` lists the orders waiting for a decision.");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("not a request id at all")]
    [InlineData("abcdefghijklmnopqrstu!")]
    [InlineData("")]
    public async Task A_malformed_request_id_is_refused_with_what_an_id_looks_like(string text)
    {
        await PlaceAwaitingAsync();

        (await RefusalAsync(text)).ShouldBe(
            $"There is no approval request '{text}'. Request ids are 22 characters long; `easel orders --status awaiting_approval` lists the orders waiting for a decision.");
    }

    [Fact]
    public async Task A_request_id_with_surrounding_spaces_is_still_found()
    {
        var id = await PlaceAwaitingAsync();

        var (order, _) = await DecideAsync($"  {id}\n", approve: true);

        order.Status.ShouldBe(OrderStatus.Queued);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_first_decision_stands_and_a_second_names_who_decided(bool firstApproves)
    {
        var id = await PlaceAwaitingAsync();
        var (first, _) = await DecideAsync(id, firstApproves, by: "bob");
        _time.Advance(TimeSpan.FromMinutes(1));

        var message = await RefusalAsync(id, approve: !firstApproves, by: "carol");

        message.ShouldBe(firstApproves
            ? $"Request {id} was already approved by bob at 2026-01-01 00:00:00 UTC; the first decision stands."
            : $"Request {id} was already rejected by bob at 2026-01-01 00:00:00 UTC; the first decision stands.");
        var order = await OrderAsync(first.Id);
        order.Status.ShouldBe(firstApproves ? OrderStatus.Queued : OrderStatus.Rejected);
        var request = (await Orders.FindApprovalAsync(id, Ct))!;
        request.DecidedBy.ShouldBe("bob");
        request.DecidedAt.ShouldBe(Start);
        (await EventKindsAsync(order.Id)).Count(k => k is "approved" or "rejected").ShouldBe(1);
        (await BatchesAsync(order.Id)).Count.ShouldBe(firstApproves ? 3 : 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public async Task Approving_a_count_outside_one_to_the_order_size_is_refused(int count)
    {
        var id = await PlaceAwaitingAsync(10);

        (await RefusalAsync(id, count: count))
            .ShouldBe($"Cannot approve {count} images: the order asks for 10, so approve between 1 and 10.");

        (await Orders.FindApprovalAsync(id, Ct))!.Status.ShouldBe(ApprovalStatus.Pending);
        var order = (await Orders.ListAsync(null, 10, Ct)).ShouldHaveSingleItem();
        order.Status.ShouldBe(OrderStatus.AwaitingApproval);
        order.ApprovedCount.ShouldBeNull();
    }

    [Fact]
    public async Task A_decision_after_the_deadline_is_refused_and_the_order_expires()
    {
        var id = await PlaceAwaitingAsync();
        var orderId = (await Orders.FindApprovalAsync(id, Ct))!.OrderId;
        _time.Advance(Timeout + TimeSpan.FromSeconds(1));

        (await RefusalAsync(id)).ShouldBe(
            $"Request {id} expired at 2026-01-02 00:00:00 UTC: order {orderId} ended without generating anything. Place the order again to retry.");

        var order = await OrderAsync(orderId);
        order.Status.ShouldBe(OrderStatus.Expired);
        order.ApprovedCount.ShouldBeNull();
        (await Orders.FindApprovalAsync(id, Ct))!.Status.ShouldBe(ApprovalStatus.Expired);
        (await BatchesAsync(orderId)).ShouldBeEmpty();
        (await Orders.CountImagesAsync(orderId, Ct)).ShouldBe(0);
        (await EventKindsAsync(orderId)).ShouldBe(["requested", "approval_requested", "expired"]);
        _provider.Calls.ShouldBe(0);

        // Asking again says the same thing in the words of an already-ended request.
        (await RefusalAsync(id)).ShouldBe(
            $"Request {id} expired at 2026-01-02 00:00:00 UTC without a decision; order {orderId} ended without generating anything.");
    }

    [Fact]
    public async Task A_decision_on_a_cancelled_order_is_refused()
    {
        var id = await PlaceAwaitingAsync();
        var orderId = (await Orders.FindApprovalAsync(id, Ct))!.OrderId;
        (await _service.CancelAsync(orderId, "carol", "changed my mind", Ct)).Status.ShouldBe(OrderStatus.Cancelled);

        (await RefusalAsync(id)).ShouldBe($"Request {id} no longer applies: order {orderId} was cancelled by carol.");

        (await OrderAsync(orderId)).Status.ShouldBe(OrderStatus.Cancelled);
        (await BatchesAsync(orderId)).ShouldBeEmpty();
        (await EventKindsAsync(orderId)).ShouldBe(["requested", "approval_requested", "cancelled"]);
    }

    // Expiry

    [Fact]
    public async Task Nothing_expires_before_the_deadline()
    {
        var id = await PlaceAwaitingAsync();
        var orderId = (await Orders.FindApprovalAsync(id, Ct))!.OrderId;
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));

        (await _service.ExpireDueAsync(Ct)).ShouldBeEmpty();

        (await OrderAsync(orderId)).Status.ShouldBe(OrderStatus.AwaitingApproval);
        (await Orders.FindApprovalAsync(id, Ct))!.Status.ShouldBe(ApprovalStatus.Pending);
        (await EventKindsAsync(orderId)).ShouldBe(["requested", "approval_requested"]);

        // Still in time: the decision is taken.
        (await DecideAsync(id, approve: true)).Order.Status.ShouldBe(OrderStatus.Queued);
    }

    [Fact]
    public async Task After_the_deadline_an_undecided_order_expires_once()
    {
        var id = await PlaceAwaitingAsync();
        var orderId = (await Orders.FindApprovalAsync(id, Ct))!.OrderId;
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        (await _service.ExpireDueAsync(Ct)).ShouldBeEmpty();
        _time.Advance(TimeSpan.FromSeconds(2));

        (await _service.ExpireDueAsync(Ct)).ShouldBe([orderId]);

        var order = await OrderAsync(orderId);
        order.Status.ShouldBe(OrderStatus.Expired);
        order.CompletedAt.ShouldBe(Start + Timeout + TimeSpan.FromSeconds(1));
        order.Error.ShouldBe("No decision was made by the deadline (2026-01-02 00:00:00 UTC); nothing was generated.");
        (await Orders.FindApprovalAsync(id, Ct))!.Status.ShouldBe(ApprovalStatus.Expired);
        var expired = (await Orders.EventsAsync(orderId, Ct)).Where(e => e.Kind == OrderEventKind.Expired).ShouldHaveSingleItem();
        expired.Actor.ShouldBe(OrderEvent.System);
        expired.Note.ShouldBe(order.Error);

        (await _service.ExpireDueAsync(Ct)).ShouldBeEmpty();
        (await EventKindsAsync(orderId)).Count(k => k == "expired").ShouldBe(1);
    }

    [Fact]
    public async Task Decided_and_cancelled_requests_do_not_expire()
    {
        var approved = await PlaceAwaitingAsync();
        var rejected = await PlaceAwaitingAsync();
        var cancelled = await PlaceAwaitingAsync();
        var pending = await PlaceAwaitingAsync();
        await DecideAsync(approved, approve: true);
        await DecideAsync(rejected, approve: false);
        await _service.CancelAsync((await Orders.FindApprovalAsync(cancelled, Ct))!.OrderId, "carol", null, Ct);
        _time.Advance(Timeout * 2);

        var expired = await _service.ExpireDueAsync(Ct);

        expired.ShouldBe([(await Orders.FindApprovalAsync(pending, Ct))!.OrderId]);
        (await OrderAsync((await Orders.FindApprovalAsync(approved, Ct))!.OrderId)).Status.ShouldBe(OrderStatus.Queued);
        (await OrderAsync((await Orders.FindApprovalAsync(rejected, Ct))!.OrderId)).Status.ShouldBe(OrderStatus.Rejected);
        (await OrderAsync((await Orders.FindApprovalAsync(cancelled, Ct))!.OrderId)).Status.ShouldBe(OrderStatus.Cancelled);
    }
}
