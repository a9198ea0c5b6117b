using System.Globalization;
using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Workflows;

namespace Easel.Server.Studio;

/// <summary>
/// Everything the Order page shows about an order, and what its live part re-renders on each event:
/// progress, the contact sheet (each slot's current image and earlier tries), the final result and
/// the orders made from its images.
/// </summary>
internal sealed record OrderSheet(
    Order Order,
    ApprovalRequest? Approval,
    IReadOnlyList<SlotView> Slots,
    int ImagesMade,
    int SlotsDone,
    int BatchesDone,
    int BatchesTotal,
    int BatchesFailed,
    decimal Cost,
    IReadOnlyList<Order> Derived,
    IReadOnlyList<OrderEvent> Events,
    bool CanDecide)
{
    /// <summary>Recent orders searched for ones made from this order's images.</summary>
    private const int DerivedScan = 300;

    public bool Finished => Order.Status.IsFinished();

    /// <summary>Orders whose progress changes this page: the order itself until it ends, and unfinished orders made from its images.</summary>
    public IReadOnlyList<string> Watch =>
        [.. (Finished ? [] : new[] { Order.Id }), .. Derived.Where(d => !d.Status.IsFinished()).Select(d => d.Id)];

    public IReadOnlyList<ImageRecord> Current => Slots.Where(s => s.Current is not null).Select(s => s.Current!).ToList();

    /// <summary>The final result: each slot's current image once a person approved it.</summary>
    public IReadOnlyList<ImageRecord> Approved => Current.Where(i => i.Review == ReviewStatus.Approved).ToList();

    public bool AllApproved => Finished && Current.Count > 0 && Approved.Count == Current.Count;

    /// <summary>One sentence for the live region: where the order stands.</summary>
    public string StatusText
    {
        get
        {
            var status = StudioFormat.Status(Order.Status);
            var text = Order.Status switch
            {
                OrderStatus.AwaitingApproval => "Waiting for approval; nothing is made until someone decides.",
                OrderStatus.Queued => "Queued; the worker starts it shortly.",
                OrderStatus.Running => string.Create(CultureInfo.InvariantCulture, $"Running: {SlotsDone} of {Order.TargetCount} images done, {ImagesMade} made so far."),
                OrderStatus.Completed or OrderStatus.PartiallyCompleted => AllApproved
                    ? string.Create(CultureInfo.InvariantCulture, $"Finished and reviewed: all {Approved.Count} images approved.")
                    : string.Create(CultureInfo.InvariantCulture, $"Finished: {Current.Count} of {Order.TargetCount} images. {Approved.Count} approved so far."),
                _ => char.ToUpperInvariant(status[0]) + status[1..] + (Order.Error is { } e ? ": " + e : "."),
            };
            return text;
        }
    }

    public static async Task<OrderSheet> LoadAsync(EaselServices services, Order order, bool canDecide, CancellationToken cancellationToken)
    {
        var store = services.Store;
        var images = await store.Images.ListByOrderAsync(order.Id, cancellationToken);
        var batches = await store.Orders.BatchesAsync(order.Id, cancellationToken);
        var states = await store.Orders.SlotsAsync(order.Id, cancellationToken);
        var approval = await store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken);
        var events = await store.Orders.EventsAsync(order.Id, cancellationToken);
        var result = OrderResult.Build(order, images, batches);

        var slots = new List<SlotView>();
        var current = new Dictionary<int, ImageRecord>();
        foreach (var slot in result.Slots)
        {
            // Only a regenerated image can have been replaced: the others need no look-up.
            if (slot.Best is { } best)
                current[slot.Slot] = best.Review == ReviewStatus.Regenerated ? await services.Images.CurrentAsync(best, cancellationToken) : best;
        }

        // Orders made from this order's images (or from the images now standing in its slots).
        var sources = images.Select(i => i.Id).Concat(current.Values.Select(i => i.Id)).ToHashSet(StringComparer.Ordinal);
        var recent = await store.Orders.ListAsync(null, DerivedScan, cancellationToken);
        var derived = recent.Where(o => o.Id != order.Id && o.Source is { } s && sources.Contains(s.ImageId)).ToList();

        var showEmpty = order.Status is OrderStatus.Queued or OrderStatus.Running;
        foreach (var slot in result.Slots)
        {
            var image = current.GetValueOrDefault(slot.Slot);
            if (image is null && !showEmpty && slot.Images.Count == 0)
                continue;
            var regenerating = image is null ? null
                : derived.FirstOrDefault(o => o.Source!.ImageId == image.Id && o.Source.Kind == Derivation.Regenerate && !o.Status.IsFinished());
            slots.Add(new SlotView(
                slot.Slot,
                image,
                slot.Images.Where(i => i.Id != image?.Id).ToList(),
                states.FirstOrDefault(s => s.Slot == slot.Slot),
                regenerating));
        }

        var slotsDone = states.Count > 0
            ? states.Count(s => s.Status == SlotStatus.Done)
            : order.Status.IsFinished() ? result.FinalImages.Count : 0;
        return new OrderSheet(
            order,
            approval,
            slots,
            images.Count,
            Math.Min(slotsDone, order.TargetCount),
            batches.Count(b => b.Status == BatchStatus.Done),
            batches.Count,
            batches.Count(b => b.Status == BatchStatus.Failed),
            result.Cost,
            derived,
            events,
            canDecide);
    }
}

/// <summary>One slot of the contact sheet.</summary>
/// <param name="Current">The image standing in the slot now (a regeneration's when it was regenerated); null while none is made.</param>
/// <param name="Earlier">Other images this order made for the slot: earlier iterations and candidates.</param>
/// <param name="Regenerating">An unfinished order regenerating <paramref name="Current"/>.</param>
internal sealed record SlotView(int Slot, ImageRecord? Current, IReadOnlyList<ImageRecord> Earlier, SlotState? State, Order? Regenerating);
