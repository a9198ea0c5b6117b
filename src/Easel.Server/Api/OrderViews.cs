using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Workflows;

namespace Easel.Server.Api;

/// <summary>Builds the order and approval views from the store.</summary>
internal static class OrderViews
{
    public static async Task<OrderView> DetailAsync(EaselServices services, Order order, CancellationToken cancellationToken)
    {
        var store = services.Store.Orders;
        var approval = await store.ApprovalForOrderAsync(order.Id, cancellationToken);
        var batches = await store.BatchesAsync(order.Id, cancellationToken);
        var states = (await store.SlotsAsync(order.Id, cancellationToken)).ToDictionary(s => s.Slot);
        var images = await services.Store.Images.ListByOrderAsync(order.Id, cancellationToken);
        var result = OrderResult.Build(order, images, batches);
        var actions = services.Images;

        var slots = new List<SlotView>(result.Slots.Count);
        foreach (var slot in result.Slots)
        {
            states.TryGetValue(slot.Slot, out var state);
            var status = state?.Status switch
            {
                SlotStatus.Done => SlotProgress.Done,
                SlotStatus.Generating => SlotProgress.Generating,
                // Orders stored before slots were tracked, or not yet started.
                _ => order.Status.IsFinished() ? SlotProgress.Done : order.Status == OrderStatus.Running ? SlotProgress.Generating : SlotProgress.Waiting,
            };
            var current = slot.Best is null ? null : (await actions.CurrentAsync(slot.Best, cancellationToken)).Id;
            slots.Add(new SlotView(
                slot.Slot, status, state?.Iteration ?? slot.Iterations, slot.Iterations, state?.Prompt ?? slot.PromptHistory[^1],
                slot.Best?.Id, slot.FinalScore, current));
        }

        var finals = result.FinalImages.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        return new OrderView(
            order.Id, order.Status, order.Prompt, order.NegativePrompt, order.Count, order.ApprovedCount, order.TargetCount,
            order.Size.ToString(), order.Size.Width, order.Size.Height, order.AspectRatio, order.Style, order.Background, order.Seed,
            order.Provider, order.Model, order.Quality, order.Format, order.ImagesPerCall, order.EstimatedCost, result.Cost,
            order.CreatedAt, order.CompletedAt, order.Error, LoopView.From(order.Loop), SourceView.From(order.Source),
            order.References.Select(ReferenceView.From).ToList(),
            approval is null ? null : ApprovalView.From(approval, await RequestedByAsync(services, order.Id, cancellationToken)),
            new ProgressView(
                images.Count, slots.Count(s => s.Status == SlotProgress.Done), order.TargetCount,
                batches.Count(b => b.Status == BatchStatus.Done), batches.Count(b => b.Status == BatchStatus.Failed), batches.Count),
            batches.Select(BatchView.From).ToList(),
            slots,
            images.Select(i => ImageSummaryView.From(i, finals.Contains(i.Id))).ToList(),
            ApiLinks.Order(order.Id),
            ApiLinks.OrderEvents(order.Id));
    }

    /// <summary>Who placed the order, from the first line of its audit trail.</summary>
    public static async Task<string?> RequestedByAsync(EaselServices services, string orderId, CancellationToken cancellationToken) =>
        (await services.Store.Orders.EventsAsync(orderId, cancellationToken)).FirstOrDefault(e => e.Kind == OrderEventKind.Requested)?.Actor;

    public static async Task<OrderSummaryView> SummaryAsync(EaselServices services, Order order, CancellationToken cancellationToken)
    {
        string? approvalId = null;
        if (order.Status == OrderStatus.AwaitingApproval)
            approvalId = (await services.Store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken))?.Id;
        return OrderSummaryView.From(order, approvalId);
    }
}
