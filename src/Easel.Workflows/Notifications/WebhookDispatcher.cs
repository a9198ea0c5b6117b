using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Easel.Core;
using Easel.Core.Notifications;
using Easel.Core.Orders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Easel.Workflows.Notifications;

/// <summary>
/// Tells the configured webhooks what happens to orders. It tails the audit trail of every order
/// (written by this process or any other on the same store), turns approval requests into
/// <c>approval_needed</c> and order ends into <c>order_finished</c> deliveries kept in the store's
/// outbox, and posts each one, signed, until the receiver answers 2xx: retried with growing,
/// jittered waits, given up after <see cref="MaxAttempts"/> attempts or a 410 Gone. The outbox keeps
/// the audit-trail cursor and each delivery's state, so a restart neither loses nor repeats one.
/// </summary>
public sealed class WebhookDispatcher
{
    /// <summary>How often the audit trail and the outbox are read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Longest an attempt may take, connecting included.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before a delivery is given up (about ten hours with the default 10 s first wait).</summary>
    public const int MaxAttempts = 8;

    /// <summary>Wait after the nth failed attempt, in units of the hook's first wait: 10 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h by default.</summary>
    private static readonly int[] BackoffFactors = [1, 3, 12, 60, 360, 1080, 2160];

    /// <summary>
    /// A claimed attempt is due again this long after its timeout, should the sender have died
    /// mid-send (the receiver may then see it twice: the delivery id tells the two apart).
    /// </summary>
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromMinutes(1);

    /// <summary>Most of a failing answer's body kept in the error and the log.</summary>
    private const int ExcerptLength = 200;

    private const int BatchSize = 100;

    private readonly IOrderStore _orders;
    private readonly IWebhookOutbox _outbox;
    private readonly IReadOnlyList<WebhookSettings> _hooks;
    private readonly string[] _hookNames;
    private readonly Uri _publicUrl;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long? _cursor;

    /// <param name="publicUrl">Where people reach the studio and API, for the links in bodies.</param>
    /// <param name="http">Posts the events; <see cref="CreateHttpClient"/> makes one that never follows redirects.</param>
    public WebhookDispatcher(
        IOrderStore orders, IWebhookOutbox outbox, IReadOnlyList<WebhookSettings> hooks, Uri publicUrl, HttpClient http, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(publicUrl);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _orders = orders;
        _outbox = outbox;
        _hooks = hooks;
        _hookNames = [.. hooks.Select(h => h.Name)];
        _publicUrl = publicUrl;
        _http = http;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Picks the wait factor's jitter (0 to 1); tests make it predictable.</summary>
    internal Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>An HTTP client for webhooks: no redirects (a body must not travel on to another address), no cookies, no overall timeout (each attempt has its own).</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = AttemptTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("Easel-Webhooks", "1") } },
    };

    /// <summary>Queues and sends until <paramref name="cancellationToken"/> stops it; a failing store is retried at the next poll.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = PollInterval;
            try
            {
                await RunOnceAsync(cancellationToken);
                // Sooner when a retry falls due before the next poll. Deliveries left due (their hook failed this round) wait for the poll.
                var now = _time.GetUtcNow();
                if (await _outbox.NextDueAsync(_hookNames, cancellationToken) is { } next && next > now && next - now < wait)
                    wait = next - now;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A busy or briefly unreadable store: the next round starts from the same place.
                _logger.LogWarning(ex, "Webhooks: reading or updating the outbox failed; trying again shortly.");
            }
            try
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: queues deliveries for new audit events, then sends those due.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await EnqueueNewAsync(cancellationToken);
        await SendDueAsync(cancellationToken);
    }

    /// <summary>Turns audit events after the cursor into deliveries; returns how many were queued.</summary>
    internal async Task<int> EnqueueNewAsync(CancellationToken cancellationToken)
    {
        var queued = 0;
        _cursor ??= await _outbox.CursorAsync(await _orders.LastEventSeqAsync(cancellationToken), cancellationToken);
        while (true)
        {
            var from = _cursor.Value;
            var events = await _orders.EventsAfterAsync(from, BatchSize, cancellationToken);
            if (events.Count == 0)
                return queued;
            var deliveries = new List<WebhookDelivery>();
            foreach (var e in events)
                deliveries.AddRange(await DeliveriesForAsync(e, cancellationToken));
            if (await _outbox.EnqueueAsync(from, events[^1].Seq, deliveries, cancellationToken))
            {
                _cursor = events[^1].Seq;
                queued += deliveries.Count;
            }
            else
            {
                // Another process on this store queued them first.
                _cursor = await _outbox.CursorAsync(0, cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<WebhookDelivery>> DeliveriesForAsync(OrderEvent e, CancellationToken cancellationToken)
    {
        if (WebhookPayloads.EventFor(e.Kind) is not { } kind)
            return [];
        var hooks = _hooks.Where(h => h.Wants(kind)).ToList();
        if (hooks.Count == 0)
            return [];
        var order = await _orders.FindAsync(e.OrderId, cancellationToken);
        if (order is null)
        {
            _logger.LogError("Webhooks: event {Seq} names order {OrderId}, which does not exist; not announced.", e.Seq, e.OrderId);
            return [];
        }

        Func<string, string> payload;
        if (kind == WebhookEvent.ApprovalNeeded)
        {
            var approval = await _orders.ApprovalForOrderAsync(e.OrderId, cancellationToken);
            // Decided already (approved up front, or while Easel was not sending): nobody needs asking.
            if (approval is not { Status: ApprovalStatus.Pending })
                return [];
            payload = id => WebhookPayloads.ApprovalNeeded(id, e, order, approval, _publicUrl);
        }
        else
        {
            var events = await _orders.EventsAsync(e.OrderId, cancellationToken);
            var cost = events.Where(x => x.Kind == OrderEventKind.BatchFinished).Sum(x => x.Cost ?? 0);
            var images = e.Images ?? await _orders.CountImagesAsync(e.OrderId, cancellationToken);
            payload = id => WebhookPayloads.OrderFinished(id, e, order, cost, images, _publicUrl);
        }

        var now = _time.GetUtcNow();
        return hooks.Select(h =>
        {
            var id = Ids.New("dlv", now);
            return new WebhookDelivery
            {
                Id = id,
                EventSeq = e.Seq,
                Hook = h.Name,
                Type = kind.ToText(),
                OrderId = e.OrderId,
                Payload = payload(id),
                CreatedAt = now,
                NextAttemptAt = now,
            };
        }).ToList();
    }

    /// <summary>Sends every due delivery: hooks side by side, each hook's in event order; returns how many were delivered.</summary>
    internal async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await _outbox.DueAsync(_hookNames, _time.GetUtcNow(), BatchSize, cancellationToken);
        var results = await Task.WhenAll(due.GroupBy(d => d.Hook).Select(g => SendInOrderAsync(_hooks.First(h => h.Name == g.Key), g, cancellationToken)));
        return results.Sum();
    }

    private async Task<int> SendInOrderAsync(WebhookSettings hook, IEnumerable<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var delivery in deliveries)
        {
            var outcome = await SendAsync(hook, delivery, cancellationToken);
            if (outcome is null)
                continue;
            if (outcome.Status != WebhookDeliveryStatus.Delivered)
                // A receiver that is down would make every other delivery wait out its timeout too; they follow once it answers.
                return delivered;
            delivered++;
        }
        return delivered;
    }

    /// <summary>One attempt; null when another sender had taken the delivery.</summary>
    private async Task<WebhookAttempt?> SendAsync(WebhookSettings hook, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var started = _time.GetUtcNow();
        if (!await _outbox.ClaimAsync(delivery.Id, delivery.Attempts, started, started + AttemptTimeout + ClaimMargin, cancellationToken))
            return null;

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("Easel-Event", delivery.Type);
        request.Headers.Add("Easel-Delivery", delivery.Id);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(hook.Secret, started, body));

        int? status = null;
        string? error;
        using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : await DescribeAsync(response, linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the attempt is due again at once on the next start rather than after its claim runs out.
            await _outbox.RecordAsync(new WebhookAttempt(
                delivery.Id, attempt, WebhookDeliveryStatus.Pending, _time.GetUtcNow(), _time.GetUtcNow(), null, "Interrupted: Easel stopped during the attempt."), CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            error = $"No answer within {Durations.Format(AttemptTimeout)}.";
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and port at most, never the path (which may hold a token).
            error = $"Could not reach the receiver: {ex.Message}";
        }

        var now = _time.GetUtcNow();
        WebhookAttempt outcome;
        if (error is null)
        {
            outcome = new WebhookAttempt(delivery.Id, attempt, WebhookDeliveryStatus.Delivered, now, null, status, null);
            _logger.LogInformation("Webhook {Hook}: delivered {Type} {DeliveryId} for order {OrderId} (attempt {Attempt}).",
                hook.Name, delivery.Type, delivery.Id, delivery.OrderId, attempt);
        }
        else if (status == (int)HttpStatusCode.Gone || attempt >= MaxAttempts)
        {
            var why = status == (int)HttpStatusCode.Gone ? "the receiver answered 410 Gone" : $"{attempt} attempts failed";
            outcome = new WebhookAttempt(delivery.Id, attempt, WebhookDeliveryStatus.Failed, now, null, status, error);
            _logger.LogError("Webhook {Hook}: gave up {Type} {DeliveryId} for order {OrderId}: {Why}. Last error: {Error}",
                hook.Name, delivery.Type, delivery.Id, delivery.OrderId, why, error);
        }
        else
        {
            var next = now + Backoff(hook, attempt);
            outcome = new WebhookAttempt(delivery.Id, attempt, WebhookDeliveryStatus.Pending, now, next, status, error);
            _logger.LogWarning("Webhook {Hook}: {Type} {DeliveryId} for order {OrderId} failed (attempt {Attempt} of {MaxAttempts}): {Error} Trying again at {Next:u}.",
                hook.Name, delivery.Type, delivery.Id, delivery.OrderId, attempt, MaxAttempts, error, next);
        }
        await _outbox.RecordAsync(outcome, CancellationToken.None);
        return outcome;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: the hook's first wait times a growing factor, ±20% so that many senders do not retry in step.</summary>
    internal TimeSpan Backoff(WebhookSettings hook, int attempt) =>
        hook.RetryDelay * BackoffFactors[Math.Clamp(attempt, 1, BackoffFactors.Length) - 1] * (0.8 + 0.4 * Jitter());

    /// <summary>"Answered 500 Internal Server Error: …" with at most a short, single-line excerpt of the body.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var text = $"Answered {code} {response.ReasonPhrase}".TrimEnd();
        if (code is >= 300 and < 400)
            return text + " (redirects are not followed: configure the address the receiver redirects to).";
        var excerpt = "";
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ExcerptLength * 2];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            excerpt = new string([.. Encoding.UTF8.GetString(buffer, 0, read).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status says enough.
        }
        if (excerpt.Length > ExcerptLength)
            excerpt = excerpt[..ExcerptLength] + "…";
        return excerpt.Length > 0 ? $"{text}: {excerpt}" : text + ".";
    }
}
