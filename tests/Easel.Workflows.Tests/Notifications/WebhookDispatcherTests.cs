using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Easel.Core.Generation;
using Easel.Core.Notifications;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Storage;
using Easel.Testing;
using Easel.Workflows.Notifications;
using Microsoft.Extensions.Logging;

namespace Easel.Workflows.Tests.Notifications;

/// <summary>
/// Webhooks end to end below the server: orders on a real SQLite store, the dispatcher posting to a
/// real HTTP listener on a loopback port, and a manual clock for every wait.
/// </summary>
public sealed partial class WebhookDispatcherTests : IAsyncLifetime
{
    private const string Secret = "webhook-secret-0123456789";
    private const string Prompt = "a lighthouse at dusk";

    /// <summary>Behind a proxy at a path: links must keep it.</summary>
    private static readonly Uri PublicUrl = new("https://easel.example/studio/");

    private readonly TempStore _temp = new();
    private readonly ManualTimeProvider _time = new();
    private readonly TestImageProvider _provider = new(perCall: 4);
    private readonly TestImageProvider _paid = new("paid", perCall: 4, pricePerImage: 0.25m);
    private readonly HttpClient _http = WebhookDispatcher.CreateHttpClient();
    private readonly ListLogger _log = new();
    private readonly ProviderRegistry _providers;
    private WebhookListener _listener = null!;

    public WebhookDispatcherTests() => _providers = new ProviderRegistry([_provider, _paid]);

    public async ValueTask InitializeAsync() => _listener = await WebhookListener.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OrderService Service => new(_providers, _temp.Store.Orders, _temp.Store.Blobs, TestQuality.Passing, _time);

    private WebhookSettings Hook(string name = "approvals", WebhookEvent[]? events = null, string secret = Secret) =>
        new(name, _listener.Url, secret, events);

    /// <summary>A dispatcher on <paramref name="store"/> (the test's store by default) whose jitter is always the middle: waits are exactly 10 s, 30 s, 2 min ….</summary>
    private WebhookDispatcher Dispatcher(EaselStore? store = null, params WebhookSettings[] hooks)
    {
        store ??= _temp.Store;
        return new WebhookDispatcher(store.Orders, store.Webhooks, hooks.Length > 0 ? hooks : [Hook()], PublicUrl, _http, _time, _log) { Jitter = () => 0.5 };
    }

    /// <summary>A dispatcher that has looked at the store once, as a started server's has.</summary>
    private async Task<WebhookDispatcher> StartedAsync(params WebhookSettings[] hooks)
    {
        var dispatcher = Dispatcher(null, hooks);
        await dispatcher.RunOnceAsync(Ct);
        return dispatcher;
    }

    private async Task<PlacedOrder> PlaceAsync(int count, string provider = TestImageProvider.DefaultName, bool approvedUpFront = false) =>
        await Service.PlaceAsync(
            new OrderSpec { Prompt = Prompt, Count = count, Size = new ImageSize(64, 64), Seed = 7, Provider = provider, Loop = LoopSettings.Once },
            new PlaceOptions(new ApprovalOptions(), "ada", approvedUpFront),
            Ct);

    private async Task<WebhookDelivery> DeliveryAsync(string orderId, string type) =>
        (await _temp.Store.Webhooks.ListAsync(orderId, 100, Ct)).Single(d => d.Type == type);

    /// <summary>Runs every batch of a queued order, as the worker would.</summary>
    private async Task RunToEndAsync(string orderId)
    {
        var store = _temp.Store;
        var quality = TestQuality.Passing;
        var loop = new QualityLoop(store.Orders, store.Images, store.Blobs, quality.Evaluator, quality.Prompter, quality.FindPreset, _providers, _time);
        var runner = new BatchRunner(_providers, store.Orders, store.Images, store.Blobs, new ProviderGates(_time), loop, _time);
        (await store.Orders.StartAsync(orderId, _time.GetUtcNow(), Ct)).ShouldBeTrue();
        foreach (var batch in await store.Orders.BatchesAsync(orderId, Ct))
            await runner.RunAsync(orderId, batch.Index, Ct);
    }

    /// <summary>Checks the signature the way the README tells receivers to: HMAC-SHA256 of "t.body" with the secret, hex.</summary>
    private static void ShouldBeSignedWith(ReceivedWebhook request, string secret)
    {
        var match = SignatureFormat().Match(request.Header("Easel-Signature") ?? "");
        match.Success.ShouldBeTrue($"Easel-Signature is '{request.Header("Easel-Signature")}'");
        var signed = Encoding.UTF8.GetBytes(match.Groups["t"].Value + ".").Concat(request.Body).ToArray();
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)).ShouldBe(match.Groups["v1"].Value);
    }

    [GeneratedRegex("^t=(?<t>[0-9]+),v1=(?<v1>[0-9a-f]{64})$")]
    private static partial Regex SignatureFormat();

    [Fact]
    public async Task An_order_that_needs_approval_is_posted_signed_with_what_to_decide_and_links_to_decide_it()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        var request = placed.Approval.ShouldNotBeNull();

        await dispatcher.RunOnceAsync(Ct);

        var received = _listener.Requests.ShouldHaveSingleItem();
        received.Path.ShouldBe(WebhookListener.HookPath);
        received.Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        received.Type.ShouldBe("approval_needed");
        received.DeliveryId.ShouldStartWith("dlv_");
        ShouldBeSignedWith(received, Secret);
        WebhookSignature.Verify(Secret, received.Header("Easel-Signature"), received.Body, _time.GetUtcNow()).ShouldBeTrue();
        received.Header("Easel-Signature")!.ShouldStartWith($"t={_time.GetUtcNow().ToUnixTimeSeconds()},");

        var body = received.Json;
        body["id"]!.GetValue<string>().ShouldBe(received.DeliveryId);
        body["type"]!.GetValue<string>().ShouldBe("approval_needed");
        body["createdAt"]!.GetValue<string>().ShouldBe("2026-01-01T00:00:00.000Z");
        var order = body["order"]!;
        order["id"]!.GetValue<string>().ShouldBe(placed.Order.Id);
        order["status"]!.GetValue<string>().ShouldBe("awaiting_approval");
        order["prompt"]!.GetValue<string>().ShouldBe(Prompt);
        order["count"]!.GetValue<int>().ShouldBe(6);
        order["provider"]!.GetValue<string>().ShouldBe("test");
        order["links"]!["studio"]!.GetValue<string>().ShouldBe($"https://easel.example/studio/orders/{placed.Order.Id}");
        var approval = body["approval"]!;
        approval["id"]!.GetValue<string>().ShouldBe(request.Id);
        approval["expiresAt"]!.GetValue<string>().ShouldBe("2026-01-02T00:00:00.000Z");
        approval["summary"]!.GetValue<string>().ShouldBe("6 images of \u201ca lighthouse at dusk\u201d from test (test-model) in 2 calls, estimated cost $0.00");
        approval["cost"]!.GetValue<decimal>().ShouldBe(0m);
        approval["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["6 images is more than the 4 allowed without approval"]);
        approval["links"]!["studio"]!.GetValue<string>().ShouldBe($"https://easel.example/studio/approvals#{request.Id}");
        approval["links"]!["api"]!.GetValue<string>().ShouldBe($"https://easel.example/studio/api/v1/approvals/{request.Id}/decision");

        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Id.ShouldBe(received.DeliveryId);
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Delivered);
        delivery.Attempts.ShouldBe(1);
        delivery.ResponseStatus.ShouldBe(200);
        delivery.LastError.ShouldBeNull();
    }

    [Fact]
    public async Task Every_way_an_order_ends_is_posted_as_order_finished_with_its_status_images_and_cost()
    {
        var dispatcher = await StartedAsync();
        var rejected = await PlaceAsync(6);
        var expired = await PlaceAsync(8);
        var completed = await PlaceAsync(2, provider: "paid");
        var cancelled = await PlaceAsync(3);
        await dispatcher.RunOnceAsync(Ct);
        _listener.Requests.Select(r => r.Type).ShouldBe(["approval_needed", "approval_needed"]);

        await Service.DecideAsync(new ApprovalDecision(rejected.Approval!.Id, Approve: false, "bob", "Too many for now."), Ct);
        await RunToEndAsync(completed.Order.Id);
        await Service.CancelAsync(cancelled.Order.Id, "ada", "Changed my mind.", Ct);
        _time.Advance(TimeSpan.FromHours(25));
        (await Service.ExpireDueAsync(Ct)).ShouldBe([expired.Order.Id]);
        await dispatcher.RunOnceAsync(Ct);

        var finished = _listener.Requests.Skip(2).ToList();
        finished.ShouldAllBe(r => r.Type == "order_finished");
        var orders = finished.Select(r => r.Json["order"]!).ToDictionary(o => o["id"]!.GetValue<string>());
        orders.Keys.ShouldBe([rejected.Order.Id, completed.Order.Id, cancelled.Order.Id, expired.Order.Id], ignoreOrder: false);
        orders[rejected.Order.Id]["status"]!.GetValue<string>().ShouldBe("rejected");
        orders[rejected.Order.Id]["error"]!.GetValue<string>().ShouldBe("Rejected by bob: Too many for now.");
        orders[rejected.Order.Id]["images"]!.GetValue<int>().ShouldBe(0);
        orders[completed.Order.Id]["status"]!.GetValue<string>().ShouldBe("completed");
        orders[completed.Order.Id]["images"]!.GetValue<int>().ShouldBe(2);
        orders[completed.Order.Id]["cost"]!.GetValue<decimal>().ShouldBe(0.50m);
        orders[completed.Order.Id]["provider"]!.GetValue<string>().ShouldBe("paid");
        orders[cancelled.Order.Id]["status"]!.GetValue<string>().ShouldBe("cancelled");
        orders[cancelled.Order.Id]["error"]!.GetValue<string>().ShouldBe("Cancelled by ada: Changed my mind.");
        orders[expired.Order.Id]["status"]!.GetValue<string>().ShouldBe("expired");
        finished.ShouldAllBe(r => r.Json["approval"] == null);
        foreach (var r in finished)
            ShouldBeSignedWith(r, Secret);
    }

    [Fact]
    public async Task Each_hook_gets_only_the_events_it_lists_signed_with_its_own_secret()
    {
        const string otherSecret = "another-secret-9876543210";
        var dispatcher = await StartedAsync(Hook("everything"), Hook("finished-only", [WebhookEvent.OrderFinished], otherSecret));
        var placed = await PlaceAsync(6);
        await dispatcher.RunOnceAsync(Ct);
        await Service.DecideAsync(new ApprovalDecision(placed.Approval!.Id, Approve: false, "bob"), Ct);
        await dispatcher.RunOnceAsync(Ct);

        var requests = _listener.Requests.ToList();
        requests.Select(r => r.Type).ShouldBe(["approval_needed", "order_finished", "order_finished"], ignoreOrder: true);
        requests.Select(r => r.DeliveryId).Distinct().Count().ShouldBe(3);
        var deliveries = await _temp.Store.Webhooks.ListAsync(placed.Order.Id, 10, Ct);
        deliveries.Select(d => (d.Hook, d.Type)).ShouldBe(
            [("everything", "approval_needed"), ("everything", "order_finished"), ("finished-only", "order_finished")], ignoreOrder: true);
        var finishedOnly = deliveries.Single(d => d.Hook == "finished-only").Id;
        foreach (var r in requests)
            ShouldBeSignedWith(r, r.DeliveryId == finishedOnly ? otherSecret : Secret);
    }

    [Fact]
    public async Task An_order_approved_up_front_is_not_announced_as_needing_approval()
    {
        var dispatcher = await StartedAsync();
        await PlaceAsync(6, approvedUpFront: true);

        await dispatcher.RunOnceAsync(Ct);

        _listener.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Orders_from_before_the_first_start_are_not_announced_and_later_ones_are()
    {
        await PlaceAsync(6);
        var dispatcher = Dispatcher();
        await dispatcher.RunOnceAsync(Ct);
        _listener.Requests.ShouldBeEmpty();

        var later = await PlaceAsync(7);
        await dispatcher.RunOnceAsync(Ct);

        _listener.Requests.ShouldHaveSingleItem().Json["order"]!["id"]!.GetValue<string>().ShouldBe(later.Order.Id);
    }

    [Fact]
    public async Task A_failed_attempt_is_sent_again_unchanged_after_growing_waits_until_the_receiver_takes_it()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        _listener.Answer(500, "database unavailable");
        _listener.Answer(503);

        await dispatcher.RunOnceAsync(Ct);
        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Pending);
        delivery.Attempts.ShouldBe(1);
        delivery.ResponseStatus.ShouldBe(500);
        delivery.LastError.ShouldBe("Answered 500 Internal Server Error: database unavailable");
        delivery.NextAttemptAt.ShouldBe(_time.GetUtcNow() + TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9));
        await dispatcher.RunOnceAsync(Ct);
        _listener.Requests.Count.ShouldBe(1);

        _time.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.RunOnceAsync(Ct);
        _listener.Requests.Count.ShouldBe(2);
        (await DeliveryAsync(placed.Order.Id, "approval_needed")).NextAttemptAt.ShouldBe(_time.GetUtcNow() + TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(30));
        await dispatcher.RunOnceAsync(Ct);

        var requests = _listener.Requests.ToList();
        requests.Count.ShouldBe(3);
        requests.Select(r => r.DeliveryId).Distinct().ShouldHaveSingleItem().ShouldBe(delivery.Id);
        requests.Select(r => Encoding.UTF8.GetString(r.Body)).Distinct().Count().ShouldBe(1);
        // Signed afresh each time, so the receiver's replay window holds for retries too.
        requests[2].Header("Easel-Signature").ShouldNotBe(requests[0].Header("Easel-Signature"));
        WebhookSignature.Verify(Secret, requests[2].Header("Easel-Signature"), requests[2].Body, _time.GetUtcNow()).ShouldBeTrue();
        delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Delivered);
        delivery.Attempts.ShouldBe(3);
        delivery.ResponseStatus.ShouldBe(200);
        delivery.LastError.ShouldBeNull();
        delivery.NextAttemptAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_delivery_is_given_up_after_eight_failed_attempts()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        for (var i = 0; i < 20; i++)
            _listener.Answer(500);

        await dispatcher.RunOnceAsync(Ct);
        // 10 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h.
        foreach (var wait in new[] { 10, 30, 120, 600, 3600, 10800, 21600 })
        {
            _time.Advance(TimeSpan.FromSeconds(wait));
            await dispatcher.RunOnceAsync(Ct);
        }
        _time.Advance(TimeSpan.FromDays(2));
        await dispatcher.RunOnceAsync(Ct);

        _listener.Requests.Count.ShouldBe(WebhookDispatcher.MaxAttempts);
        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Failed);
        delivery.Attempts.ShouldBe(8);
        delivery.ResponseStatus.ShouldBe(500);
        delivery.NextAttemptAt.ShouldBeNull();
        _log.Messages.ShouldContain(m => m.Level == LogLevel.Error && m.Text.Contains("gave up approval_needed") && m.Text.Contains("8 attempts failed"));
    }

    [Fact]
    public async Task A_receiver_that_answers_410_gone_is_not_tried_again()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        _listener.Answer(410, "no such hook");

        await dispatcher.RunOnceAsync(Ct);
        _time.Advance(TimeSpan.FromDays(1));
        await dispatcher.RunOnceAsync(Ct);

        _listener.Requests.Count.ShouldBe(1);
        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Failed);
        delivery.Attempts.ShouldBe(1);
        delivery.ResponseStatus.ShouldBe(410);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        _listener.Answer(307, headers: new Dictionary<string, string> { ["Location"] = new Uri(_listener.Url, "/elsewhere").ToString() });

        await dispatcher.RunOnceAsync(Ct);

        _listener.Requests.ShouldHaveSingleItem().Path.ShouldBe(WebhookListener.HookPath);
        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Pending);
        delivery.ResponseStatus.ShouldBe(307);
        delivery.LastError!.ShouldContain("redirects are not followed");
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_is_given_up_on_after_ten_seconds_and_tried_again_later()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        _listener.Hang();

        var round = dispatcher.RunOnceAsync(Ct);
        await _listener.WaitForRequestsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(10));
        await round;

        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Pending);
        delivery.ResponseStatus.ShouldBeNull();
        delivery.LastError.ShouldBe("No answer within 10s.");

        _time.Advance(TimeSpan.FromSeconds(10));
        await dispatcher.RunOnceAsync(Ct);
        (await DeliveryAsync(placed.Order.Id, "approval_needed")).Status.ShouldBe(WebhookDeliveryStatus.Delivered);
    }

    [Fact]
    public async Task Failures_are_logged_with_a_short_excerpt_of_the_answer_and_never_the_secret()
    {
        var dispatcher = await StartedAsync();
        var placed = await PlaceAsync(6);
        _listener.Answer(500, "Stack trace:\n" + new string('x', 5000) + "END-OF-BODY");

        await dispatcher.RunOnceAsync(Ct);
        _time.Advance(TimeSpan.FromSeconds(10));
        await dispatcher.RunOnceAsync(Ct);

        var delivery = await DeliveryAsync(placed.Order.Id, "approval_needed");
        delivery.Status.ShouldBe(WebhookDeliveryStatus.Delivered);
        var failure = _log.Messages.Single(m => m.Level == LogLevel.Warning);
        failure.Text.ShouldContain("Webhook approvals: approval_needed");
        failure.Text.ShouldContain("Answered 500 Internal Server Error: Stack trace: xxx");
        failure.Text.ShouldNotContain("END-OF-BODY");
        failure.Text.Length.ShouldBeLessThan(600);
        _log.Messages.ShouldContain(m => m.Level == LogLevel.Information && m.Text.Contains("delivered approval_needed"));
        _log.Messages.ShouldAllBe(m => !m.Text.Contains(Secret));
    }

    [Fact]
    public async Task After_a_restart_nothing_delivered_is_sent_again_and_nothing_that_happened_meanwhile_is_lost()
    {
        var dispatcher = await StartedAsync();
        var first = await PlaceAsync(6);
        var second = await PlaceAsync(7);
        _listener.Answer(200);
        _listener.Answer(500);
        await dispatcher.RunOnceAsync(Ct);
        _listener.Requests.Count.ShouldBe(2);
        var retried = (await DeliveryAsync(second.Order.Id, "approval_needed")).Id;

        // While nothing sends: one order is rejected, another placed.
        await Service.DecideAsync(new ApprovalDecision(first.Approval!.Id, Approve: false, "bob"), Ct);
        var third = await PlaceAsync(8);
        var store = _temp.Reopen();
        _time.Advance(TimeSpan.FromSeconds(10));

        await Dispatcher(store).RunOnceAsync(Ct);

        var after = _listener.Requests.Skip(2).ToList();
        after.Select(r => (r.Type, (string)r.Json["order"]!["id"]!)).ShouldBe(
            [("approval_needed", second.Order.Id), ("order_finished", first.Order.Id), ("approval_needed", third.Order.Id)], ignoreOrder: true);
        after.Single(r => r.Type == "approval_needed" && (string)r.Json["order"]!["id"]! == second.Order.Id).DeliveryId.ShouldBe(retried);
        (await store.Webhooks.ListAsync(null, 100, Ct)).ShouldAllBe(d => d.Status == WebhookDeliveryStatus.Delivered);

        _time.Advance(TimeSpan.FromDays(1));
        await Dispatcher(_temp.Reopen()).RunOnceAsync(Ct);
        _listener.Requests.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Two_processes_on_one_store_send_each_delivery_once()
    {
        var one = await StartedAsync();
        var two = Dispatcher(_temp.OpenAnother());
        var placed = new List<string>();
        for (var i = 0; i < 5; i++)
            placed.Add((await PlaceAsync(6 + i)).Order.Id);

        await Task.WhenAll(one.RunOnceAsync(Ct), two.RunOnceAsync(Ct));
        await Task.WhenAll(one.RunOnceAsync(Ct), two.RunOnceAsync(Ct));

        _listener.Requests.Select(r => (string)r.Json["order"]!["id"]!).ShouldBe(placed, ignoreOrder: true);
        (await _temp.Store.Webhooks.ListAsync(null, 100, Ct)).Count.ShouldBe(5);
    }

    [Fact]
    public void A_signature_is_accepted_only_with_the_right_secret_body_and_a_recent_time()
    {
        var now = _time.GetUtcNow();
        var body = "{\"id\":\"dlv_1\"}"u8.ToArray();
        var header = WebhookSignature.Sign(Secret, now, body);

        SignatureFormat().IsMatch(header).ShouldBeTrue();
        WebhookSignature.Verify(Secret, header, body, now).ShouldBeTrue();
        WebhookSignature.Verify(Secret, header, body, now + TimeSpan.FromMinutes(4)).ShouldBeTrue();
        WebhookSignature.Verify("another-secret-0123456789", header, body, now).ShouldBeFalse();
        WebhookSignature.Verify(Secret, header, "{\"id\":\"dlv_2\"}"u8.ToArray(), now).ShouldBeFalse();
        WebhookSignature.Verify(Secret, header, body, now + TimeSpan.FromMinutes(6)).ShouldBeFalse();
        WebhookSignature.Verify(Secret, header.Replace("t=", "t=1", StringComparison.Ordinal), body, now).ShouldBeFalse();
        WebhookSignature.Verify(Secret, null, body, now).ShouldBeFalse();
        WebhookSignature.Verify(Secret, "v1=abc", body, now).ShouldBeFalse();
        // While a secret is replaced a receiver may be sent several v1 values; one matching is enough.
        WebhookSignature.Verify(Secret, header + ",v1=" + new string('0', 64), body, now).ShouldBeTrue();
    }
}

/// <summary>Keeps what was logged, formatted, for tests to read.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string Text)> _messages = [];

    public IReadOnlyList<(LogLevel Level, string Text)> Messages
    {
        get
        {
            lock (_lock)
                return [.. _messages];
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
            _messages.Add((logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
