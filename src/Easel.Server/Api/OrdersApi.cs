using System.Globalization;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Server.Hosting;
using Easel.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Easel.Server.Api;

/// <summary>/api/v1/orders and the live event streams.</summary>
internal static class OrdersApi
{
    private const string EventStream = "text/event-stream";

    /// <summary>Most orders one list returns.</summary>
    public const int MaxListLimit = 200;

    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders").WithApiErrors();

        orders.MapGet("", ListAsync)
            .WithName("ListOrders")
            .WithSummary("List orders, newest first")
            .WithDescription("Filter with status (one or more of planned, awaiting_approval, queued, running, completed, partially_completed, failed, rejected, expired, cancelled, comma-separated) and limit (1-200, default 50).");

        orders.MapPost("", CreateAsync)
            .WithName("CreateOrder")
            .WithSummary("Place an order")
            .WithDescription(
                "Takes an order as JSON, or as multipart/form-data with the same fields and reference image files in 'references'. " +
                "Orders above the approval limits wait for an approver (status awaiting_approval, with the approval request). " +
                "With dryRun=true nothing is stored: the answer is the plan (as POST /orders/quote), after every field and reference is checked.")
            .WithBody<OrderInput>("application/json", "multipart/form-data")
            .Produces<OrderView>(StatusCodes.Status201Created)
            .Produces<QuoteView>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithRequestSizeLimit(OrderForms.MaxUploadRequestBytes);

        orders.MapPost("/quote", QuoteAsync)
            .WithName("QuoteOrder")
            .WithSummary("Show what an order would do, without placing it")
            .WithDescription("The size the provider will make, the calls, the cost range (first-iteration minimum and worst case) and whether a person must approve. Reference URLs are counted, not downloaded.")
            .WithBody<OrderInput>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        orders.MapGet("/{id}", GetAsync)
            .WithName("GetOrder")
            .WithSummary("An order with its approval, progress, batches, slots and images")
            .WithDescription("The id may be a unique prefix of at least 4 characters.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelOrder")
            .WithSummary("Cancel an order that has not finished")
            .WithDescription("Body (optional): {\"note\": \"why\"}. Batches already running finish and keep their images.")
            .WithOptionalBody<CancelRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapGet("/{id}/events", OrderEventsAsync)
            .WithName("GetOrderEvents")
            .WithSummary("An order's audit trail, or its live progress as server-sent events")
            .WithDescription(
                "A JSON array of events, oldest first. With 'Accept: text/event-stream' the events stream live: each has id = seq, " +
                "event = the kind (e.g. batch_finished) and the event as JSON data; the stream ends after the order's last event, " +
                "and a reconnect with Last-Event-ID resumes after that event (204 when the order has finished and nothing is left). " +
                "after=SEQ skips events up to SEQ.")
            .Produces<List<EventView>>(StatusCodes.Status200OK, "application/json", EventStream)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/events", AllEventsAsync)
            .WithTags("Orders")
            .WithApiErrors()
            .WithName("FollowEvents")
            .WithSummary("Live events of every order, as server-sent events")
            .WithDescription(
                "Streams each new event of any order (id = seq, event = kind, data = the event as JSON) until the client disconnects. " +
                "Starts with the next event, or after Last-Event-ID (or after=SEQ) to resume.")
            .Produces<EventView>(StatusCodes.Status200OK, EventStream);

        // Anything else under /api/v1 (mapped once, here): a problem that says where the endpoints are listed.
        api.MapFallback("{*path}", (HttpRequest request) => Problems.Result(StatusCodes.Status404NotFound, "No such endpoint",
                $"There is no {request.Method} {Requests.Shorten(request.Path.Value ?? "", 120)} in the Easel API; {ApiLinks.Root}/openapi.json lists every endpoint."))
            .ExcludeFromDescription();

        return api;
    }

    private static async Task<Ok<ItemsView<OrderSummaryView>>> ListAsync(string? status, string? limit, EaselServices services, CancellationToken cancellationToken)
    {
        var statuses = new List<OrderStatus>();
        foreach (var part in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!OrderStatusExtensions.TryParse(part, out var s))
            {
                throw ApiProblemException.Invalid("status",
                    $"Unknown status '{Requests.Shorten(part)}'. Use {string.Join(", ", Enum.GetValues<OrderStatus>().Select(v => v.ToText()))}.");
            }
            statuses.Add(s);
        }
        var count = QueryValues.Int("limit", limit, 1, MaxListLimit, 50);
        var orders = await services.Store.Orders.ListAsync(statuses, count, cancellationToken);
        var items = new List<OrderSummaryView>(orders.Count);
        foreach (var order in orders)
            items.Add(await OrderViews.SummaryAsync(services, order, cancellationToken));
        return TypedResults.Ok(new ItemsView<OrderSummaryView>(items));
    }

    private static async Task<Results<Created<OrderView>, Ok<QuoteView>>> CreateAsync(
        HttpContext context, string? dryRun, ClaimsPrincipal user, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var onlyPlan = QueryValues.Bool("dryRun", dryRun);
        var (input, uploads) = await OrderForms.ReadAsync(context, services);
        var spec = await input.ToSpecAsync(services, uploads, cancellationToken);
        if (onlyPlan)
            return TypedResults.Ok(QuoteView.From(services.Orders.Quote(spec, services.Settings.Approval), spec.References.Count));

        // Never approved up front here: an order above the limits waits for someone with the approver token.
        var placed = await services.Orders.PlaceAsync(spec, new PlaceOptions(services.Settings.Approval, Requests.UserName(user, services)), cancellationToken);
        Requests.Nudge(services, feed);
        return TypedResults.Created(ApiLinks.Order(placed.Order.Id), await OrderViews.DetailAsync(services, placed.Order, cancellationToken));
    }

    private static async Task<Ok<QuoteView>> QuoteAsync(HttpContext context, EaselServices services)
    {
        var input = await Requests.ReadJsonAsync<OrderInput>(context, required: true);
        // A quote downloads nothing: URLs stand in as placeholders, so only their number is checked.
        var urls = (input!.References ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        input.References = null;
        var placeholders = urls.Select(u => new ReferenceImage(u, [], "image/png", 1, 1, "")).ToList();
        var spec = await input.ToSpecAsync(services, placeholders, context.RequestAborted);
        return TypedResults.Ok(QuoteView.From(services.Orders.Quote(spec, services.Settings.Approval), spec.References.Count));
    }

    private static async Task<Ok<OrderView>> GetAsync(string id, EaselServices services, CancellationToken cancellationToken)
    {
        var order = await Requests.FindOrderAsync(services, id, cancellationToken);
        return TypedResults.Ok(await OrderViews.DetailAsync(services, order, cancellationToken));
    }

    /// <summary>Longest note kept with a decision or cancellation.</summary>
    public const int MaxNoteLength = 2000;

    private static async Task<Ok<OrderView>> CancelAsync(string id, HttpContext context, ClaimsPrincipal user, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var order = await Requests.FindOrderAsync(services, id, cancellationToken);
        var body = await Requests.ReadJsonAsync<CancelRequest>(context, required: false);
        var note = QueryValues.Note(body?.Note);
        Order cancelled;
        try
        {
            cancelled = await services.Orders.CancelAsync(order.Id, Requests.UserName(user, services), note, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw ApiProblemException.Conflict("Order already finished", ex.Message);
        }
        Requests.Nudge(services, feed);
        return TypedResults.Ok(await OrderViews.DetailAsync(services, cancelled, cancellationToken));
    }

    private static async Task<IResult> OrderEventsAsync(string id, string? after, HttpContext context, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var order = await Requests.FindOrderAsync(services, id, cancellationToken);
        var since = LastEventId(context.Request) ?? QueryValues.Long("after", after) ?? 0;
        if (!WantsEventStream(context.Request))
        {
            var events = await services.Store.Orders.EventsAsync(order.Id, cancellationToken);
            return TypedResults.Ok(events.Where(e => e.Seq > since).Select(EventView.From).ToList());
        }
        if (order.Status.IsFinished())
        {
            // A reconnect after the last event: 204 tells EventSource to stop reconnecting.
            var events = await services.Store.Orders.EventsAsync(order.Id, cancellationToken);
            if (!events.Any(e => e.Seq > since))
                return TypedResults.NoContent();
        }
        return TypedResults.ServerSentEvents(ToItems(context, feed.FollowAsync(order.Id, since, cancellationToken), endWithOrder: true));
    }

    private static async Task<IResult> AllEventsAsync(string? after, HttpContext context, EaselServices services, OrderFeed feed)
    {
        var cancellationToken = context.RequestAborted;
        var since = LastEventId(context.Request) ?? QueryValues.Long("after", after) ?? await services.Store.Orders.LastEventSeqAsync(cancellationToken);
        return TypedResults.ServerSentEvents(ToItems(context, feed.FollowAsync(null, since, cancellationToken), endWithOrder: false));
    }

    /// <summary>Each event as a server-sent event: id = seq, event = kind, data = the event as JSON.</summary>
    private static async IAsyncEnumerable<SseItem<EventView>> ToItems(HttpContext context, IAsyncEnumerable<OrderEvent> events, bool endWithOrder)
    {
        // Enumerated once the result has set the content type: send the headers now, so the client
        // sees the stream open before the first event, and tell proxies not to hold events back.
        var response = context.Response;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(context.RequestAborted);
        await foreach (var e in events.WithCancellation(context.RequestAborted))
        {
            yield return new SseItem<EventView>(EventView.From(e), e.Kind.ToText()) { EventId = e.Seq.ToString(CultureInfo.InvariantCulture) };
            if (endWithOrder && IsLast(e.Kind))
                yield break;
        }
    }

    /// <summary>Events after which an order changes no more.</summary>
    private static bool IsLast(OrderEventKind kind) => kind is OrderEventKind.Completed or OrderEventKind.PartiallyCompleted or OrderEventKind.Failed
        or OrderEventKind.Rejected or OrderEventKind.Expired or OrderEventKind.Cancelled;

    private static bool WantsEventStream(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(EventStream, StringComparison.OrdinalIgnoreCase));

    private static long? LastEventId(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].ToString();
        if (text.Length == 0)
            return null;
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            return seq;
        throw ApiProblemException.BadRequest("Bad Last-Event-ID", $"Last-Event-ID must be the id (a number) of the last event received; got '{Requests.Shorten(text)}'.");
    }
}

/// <summary>Query string values checked one by one, so a bad one is named in the answer.</summary>
internal static class QueryValues
{
    public static int Int(string name, string? text, int min, int max, int fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw ApiProblemException.Invalid(name, $"'{name}' must be a whole number from {min} to {max}; got '{Requests.Shorten(text)}'.");
        return value;
    }

    public static int? Int(string name, string? text, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return Int(name, text, min, max, 0);
    }

    public static long? Long(string name, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw ApiProblemException.Invalid(name, $"'{name}' must be a whole number of 0 or more; got '{Requests.Shorten(text)}'.");
        return value;
    }

    public static bool Bool(string name, string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        _ => throw ApiProblemException.Invalid(name, $"'{name}' must be true or false; got '{Requests.Shorten(text)}'."),
    };

    /// <summary>A person's note: trimmed, null when blank, refused when longer than <see cref="OrdersApi.MaxNoteLength"/>.</summary>
    public static string? Note(string? note)
    {
        var text = note?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (text.Length > OrdersApi.MaxNoteLength)
            throw ApiProblemException.Invalid("note", $"The note is {text.Length} characters long; keep it to {OrdersApi.MaxNoteLength}.");
        return text;
    }
}
