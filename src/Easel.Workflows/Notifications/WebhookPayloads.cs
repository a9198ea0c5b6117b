using System.Globalization;
using System.Text.Json.Nodes;
using Easel.Core.Orders;

namespace Easel.Workflows.Notifications;

/// <summary>
/// The JSON bodies webhooks receive: camelCase, times in UTC (ISO 8601), money in US dollars,
/// statuses as snake_case words, as in the REST API.
/// </summary>
internal static class WebhookPayloads
{
    /// <summary>The webhook event an audit event announces, or null for the steps in between.</summary>
    public static WebhookEvent? EventFor(OrderEventKind kind) => kind switch
    {
        OrderEventKind.ApprovalRequested => WebhookEvent.ApprovalNeeded,
        OrderEventKind.Completed or OrderEventKind.PartiallyCompleted or OrderEventKind.Failed
            or OrderEventKind.Rejected or OrderEventKind.Expired or OrderEventKind.Cancelled => WebhookEvent.OrderFinished,
        _ => null,
    };

    /// <summary><c>approval_needed</c>: the order, what the approver is asked, and where to decide.</summary>
    public static string ApprovalNeeded(string deliveryId, OrderEvent e, Order order, ApprovalRequest approval, Uri publicUrl)
    {
        var s = approval.Summary;
        var body = Envelope(deliveryId, WebhookEvent.ApprovalNeeded, e);
        body["order"] = OrderNode(order, OrderStatus.AwaitingApproval, publicUrl);
        body["approval"] = new JsonObject
        {
            ["id"] = approval.Id,
            ["expiresAt"] = Time(approval.ExpiresAt),
            ["summary"] = Summary(s),
            ["cost"] = s.EstimatedCost,
            ["minCost"] = s.MinCost ?? s.EstimatedCost,
            ["reasons"] = new JsonArray([.. s.Reasons.Select(r => JsonValue.Create(r))]),
            ["links"] = new JsonObject
            {
                // The studio's approval queue, opened at this request.
                ["studio"] = Link(publicUrl, $"/approvals#{Uri.EscapeDataString(approval.Id)}"),
                // POST {"approve": true|false, "count": K, "note": "…"} with the approver's token.
                ["api"] = Link(publicUrl, $"/api/v1/approvals/{Uri.EscapeDataString(approval.Id)}/decision"),
            },
        };
        return body.ToJsonString();
    }

    /// <summary><c>order_finished</c>: how the order ended, what it made and what it cost.</summary>
    /// <param name="cost">US dollars the provider calls cost.</param>
    /// <param name="images">Images made.</param>
    public static string OrderFinished(string deliveryId, OrderEvent e, Order order, decimal cost, int images, Uri publicUrl)
    {
        var body = Envelope(deliveryId, WebhookEvent.OrderFinished, e);
        var node = OrderNode(order, FinishedStatus(e.Kind), publicUrl);
        node["approvedCount"] = order.ApprovedCount;
        node["images"] = images;
        node["cost"] = cost;
        node["finishedAt"] = Time(e.At);
        node["error"] = order.Error;
        body["order"] = node;
        return body.ToJsonString();
    }

    private static JsonObject Envelope(string deliveryId, WebhookEvent kind, OrderEvent e) => new()
    {
        ["id"] = deliveryId,
        ["type"] = kind.ToText(),
        ["createdAt"] = Time(e.At),
    };

    private static JsonObject OrderNode(Order order, OrderStatus status, Uri publicUrl) => new()
    {
        ["id"] = order.Id,
        ["status"] = status.ToText(),
        ["prompt"] = order.Prompt,
        ["count"] = order.Count,
        ["provider"] = order.Provider,
        ["model"] = order.Model,
        ["estimatedCost"] = order.EstimatedCost,
        ["createdAt"] = Time(order.CreatedAt),
        ["links"] = new JsonObject
        {
            ["studio"] = Link(publicUrl, $"/orders/{Uri.EscapeDataString(order.Id)}"),
            ["api"] = Link(publicUrl, $"/api/v1/orders/{Uri.EscapeDataString(order.Id)}"),
        },
    };

    // The audit event, not the order row, says how it ended: the row may have been read later.
    private static OrderStatus FinishedStatus(OrderEventKind kind) => kind switch
    {
        OrderEventKind.Completed => OrderStatus.Completed,
        OrderEventKind.PartiallyCompleted => OrderStatus.PartiallyCompleted,
        OrderEventKind.Failed => OrderStatus.Failed,
        OrderEventKind.Rejected => OrderStatus.Rejected,
        OrderEventKind.Expired => OrderStatus.Expired,
        OrderEventKind.Cancelled => OrderStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an event that ends an order."),
    };

    /// <summary>One sentence for chat messages and e-mails: "6 images of “a cat” from sketch (sketch-1) in 2 calls, estimated cost $0.00".</summary>
    private static string Summary(ApprovalSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Count} {(s.Count == 1 ? "image" : "images")} of \u201c{s.Prompt}\u201d from {s.Provider} ({s.Model}) in {s.Batches} {(s.Batches == 1 ? "call" : "calls")}, estimated cost {CostText(s)}");

    private static string CostText(ApprovalSummary s) =>
        s.MinCost is { } min && min != s.EstimatedCost ? $"{Money.Format(min)} to {Money.Format(s.EstimatedCost)}" : Money.Format(s.EstimatedCost);

    // "Z" rather than "+00:00": the form every JSON date parser reads.
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A path below the public address, which may itself have a path (a proxy's prefix).</summary>
    private static string Link(Uri publicUrl, string path) => publicUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + path;
}
