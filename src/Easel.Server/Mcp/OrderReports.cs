using System.Globalization;
using System.Text;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Server.Api;
using Easel.Server.Studio;
using Easel.Workflows;
using ModelContextProtocol;

namespace Easel.Server.Mcp;

/// <summary>Where an order stands, as generate_images and get_order tell the model; and waiting for it to finish.</summary>
internal static class OrderReports
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(150);

    // Tool calls run concurrently; becoming the worker is done by one at a time.

    public static async Task<OrderStatusView> ViewAsync(EaselServices services, Order order, CancellationToken cancellationToken)
    {
        var store = services.Store.Orders;
        var approval = await store.ApprovalForOrderAsync(order.Id, cancellationToken);
        var batches = await store.BatchesAsync(order.Id, cancellationToken);
        var images = await services.Store.Images.ListByOrderAsync(order.Id, cancellationToken);
        var result = OrderResult.Build(order, images, batches);
        var finals = result.FinalImages;
        return new OrderStatusView(
            order.Id, order.Status, order.Prompt, order.Count, order.ApprovedCount, order.TargetCount, order.Size.ToString(),
            order.Provider, order.Model, order.EstimatedCost, result.Cost, order.CreatedAt, order.CompletedAt, order.Error,
            approval is null ? null : ApprovalStateView.From(approval),
            await FinishedSlotsAsync(services, order, cancellationToken),
            finals.Select(OrderImageView.From).ToList(),
            order.Status == OrderStatus.AwaitingApproval && approval is { Status: ApprovalStatus.Pending } ? HowToApprove(services, approval) : null);
    }

    /// <summary>
    /// Waits until the order has finished, or waits for a person, or <paramref name="wait"/> has
    /// passed, reporting images done out of the total whenever it changes. This process runs the
    /// work unless another Easel process already does; if that one stops, this one takes over.
    /// </summary>
    public static async Task<Order> WaitAsync(
        EaselServices services, string orderId, TimeSpan wait, Func<ProgressNotificationValue, Task> progress, CancellationToken cancellationToken)
    {
        var deadline = services.Time.GetUtcNow() + wait;
        var reported = -1;
        while (true)
        {
            await EnsureWorkerAsync(services, cancellationToken);
            var order = await services.Store.Orders.FindAsync(orderId, cancellationToken)
                ?? throw new InvalidOperationException($"Order {orderId} disappeared from the store.");
            var done = await FinishedSlotsAsync(services, order, cancellationToken);
            if (done != reported)
            {
                reported = done;
                await progress(new ProgressNotificationValue
                {
                    Progress = done,
                    Total = order.TargetCount,
                    Message = $"{done} of {order.TargetCount} images done",
                });
            }
            if (order.Status.IsFinished() || order.Status == OrderStatus.AwaitingApproval || services.Time.GetUtcNow() >= deadline)
                return order;
            await Task.Delay(Poll, services.Time, cancellationToken);
        }
    }

    /// <summary>Makes this process the worker unless another Easel process already is (then that one runs the orders).</summary>
    public static async Task EnsureWorkerAsync(EaselServices services, CancellationToken cancellationToken)
    {
        if (services.Worker is null)
            await services.TryStartWorkerAsync(cancellationToken);
    }

    /// <summary>Slots whose final image is chosen (refinements make more images than slots).</summary>
    private static async Task<int> FinishedSlotsAsync(EaselServices services, Order order, CancellationToken cancellationToken)
    {
        var slots = await services.Store.Orders.SlotsAsync(order.Id, cancellationToken);
        return slots.Count > 0
            ? slots.Count(s => s.Status == SlotStatus.Done)
            : Math.Min(order.TargetCount, await services.Store.Orders.CountImagesAsync(order.Id, cancellationToken));
    }

    public static HowToApproveView HowToApprove(EaselServices services, ApprovalRequest request)
    {
        var site = (services.Settings.Server.PublicUrl ?? new Uri(ServerOptions.DefaultUrl)).GetLeftPart(UriPartial.Authority);
        return new HowToApproveView(
            [$"easel approve {request.Id}", $"easel approve {request.Id} --count K", $"easel reject {request.Id} --note \"why\""],
            site + StudioLinks.Approval(request.Id),
            $"POST {site}{ApiLinks.Decision(request.Id)} with the approver token and {{\"approve\": true}} (or \"count\": K, or false to reject)");
    }

    /// <summary>The order in a few lines the model can relay: status, approval, images, and what to call next.</summary>
    public static string Describe(OrderStatusView view, string? lead = null)
    {
        var text = new StringBuilder();
        if (lead is not null)
            text.AppendLine(lead);
        text.Append(CultureInfo.InvariantCulture, $"Order {view.OrderId}: {view.Status.ToText().Replace('_', ' ')}, {view.ImagesDone} of {view.TargetCount} images done");
        if (view.ApprovedCount is { } approved && approved != view.Count)
            text.Append(CultureInfo.InvariantCulture, $" ({approved} of the {view.Count} asked for were approved)");
        text.AppendLine(CultureInfo.InvariantCulture, $". Prompt: \"{view.Prompt}\"; {view.Provider} ({view.Model}), {view.Size}; cost so far {Money.Format(view.Cost)}.");
        if (view.Approval is { } a)
        {
            text.AppendLine(a.Status switch
            {
                ApprovalStatus.Pending => $"Approval request {a.RequestId} is pending ({string.Join("; ", a.Reasons)}); it expires {Time(a.ExpiresAt)}.",
                ApprovalStatus.Approved => $"Approved by {a.DecidedBy}{(a.ApprovedCount is { } k && k != view.Count ? $" ({k} of {view.Count} images)" : "")}{Note(a.Note)}.",
                ApprovalStatus.Rejected => $"Rejected by {a.DecidedBy}{Note(a.Note)}. Nothing was generated.",
                ApprovalStatus.Expired => $"The approval request expired at {Time(a.ExpiresAt)} without a decision. Nothing was generated.",
                _ => $"Approval request {a.RequestId}: {a.Status.ToString().ToLowerInvariant()}.",
            });
        }
        // A rejection or expiry is the order's "error" too; the approval line above already says it.
        if (view.Error is { } error && view.Status is not (OrderStatus.Rejected or OrderStatus.Expired))
            text.AppendLine(CultureInfo.InvariantCulture, $"Problem: {error}");
        foreach (var image in view.Images)
        {
            var score = image.Score is { } s ? s.ToString(CultureInfo.InvariantCulture) : "not scored";
            var refined = image.Prompt != view.Prompt ? $", refined prompt \"{image.Prompt}\"" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"- image {image.Id}: slot {image.Slot + 1}, {image.Width}x{image.Height}, score {score}{refined}");
        }
        if (view.Images.Count > 0)
            text.AppendLine("Call get_image with an image id to see the image and how it was made.");
        if (view.Status is OrderStatus.Queued or OrderStatus.Running)
            text.AppendLine(CultureInfo.InvariantCulture, $"The order is still being made; call get_order with order_id {view.OrderId} later to get its images.");
        return text.ToString().TrimEnd();
    }

    /// <summary>How a person decides, for a model that cannot: every way, and that it is the person's call.</summary>
    public static string AskAPerson(OrderStatusView view, ApprovalRequest request, HowToApproveView how, string? why)
    {
        var s = request.Summary;
        var text = new StringBuilder();
        if (why is not null)
            text.AppendLine(why);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Order {view.OrderId} waits for a person's approval before anything is made or spent: {string.Join("; ", s.Reasons)}.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"It asks for {s.Count} images of \"{s.Prompt}\" from {s.Provider} ({s.Model}); worst-case cost {Money.Format(s.EstimatedCost)}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Approval request id: {request.Id} (expires {Time(request.ExpiresAt)}).");
        text.AppendLine("You cannot approve it. Ask the user to decide in one of these ways:");
        text.AppendLine(CultureInfo.InvariantCulture, $"- on the machine Easel runs on: `{how.Commands[0]}` (or `{how.Commands[1]}` to approve only K images, `{how.Commands[2]}` to refuse)");
        text.AppendLine(CultureInfo.InvariantCulture, $"- in the Easel studio (`easel serve`): the Approvals page, {how.Studio}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- through the REST API: {how.Api}");
        text.Append(CultureInfo.InvariantCulture, $"Then call get_order with order_id {view.OrderId} to follow it and get its images.");
        return text.ToString();
    }

    private static string Note(string? note) => note is null ? "" : $" (note: \"{note}\")";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
