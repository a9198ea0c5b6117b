using Easel.Core.Orders;
using Spectre.Console;

namespace Easel.Cli.Commands;

/// <summary>
/// Follows an order to its end, showing progress over images. This process does the work itself
/// unless another one (`easel worker`, `easel serve`, another `generate`) already does; if that
/// one stops, this one takes over.
/// </summary>
internal static class OrderFollower
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static async Task<Order> FollowAsync(CliConsole console, EaselServices services, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            var order = await FindAsync(services, orderId, cancellationToken);
            if (!order.Status.IsFinished())
            {
                if (console.ErrorIsTerminal)
                    order = await WithProgressBarAsync(console, services, order, cancellationToken);
                else
                    order = await WithLogLinesAsync(console, services, order, cancellationToken);
            }
            // Done with this order: let running batches of other orders finish before exiting.
            await services.StopWorkerAsync(abandonRunning: false);
            return order;
        }
        catch (OperationCanceledException)
        {
            await services.StopWorkerAsync(abandonRunning: true);
            console.Log($"Stopped following {orderId}. Stored images are kept; `easel orders wait {orderId}` or `easel worker` carries on, `easel orders cancel {orderId}` cancels it.");
            throw;
        }
    }

    private static async Task<Order> WithProgressBarAsync(CliConsole console, EaselServices services, Order order, CancellationToken cancellationToken) =>
        await console.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Describe(order), maxValue: order.TargetCount);
                return await LoopAsync(services, order.Id, (current, made) =>
                {
                    task.Description = Describe(current);
                    task.MaxValue = current.TargetCount;
                    task.Value = made;
                }, cancellationToken);
            });

    private static Task<Order> WithLogLinesAsync(CliConsole console, EaselServices services, Order order, CancellationToken cancellationToken)
    {
        var last = -1;
        var waiting = false;
        return LoopAsync(services, order.Id, (current, made) =>
        {
            if (current.Status == OrderStatus.AwaitingApproval && !waiting)
                console.Log($"Order {current.Id} waits for approval.");
            waiting = current.Status == OrderStatus.AwaitingApproval;
            if (made != last && made > 0 && current.TargetCount > 1)
                console.Log($"{made}/{current.TargetCount} images");
            last = made;
        }, cancellationToken);
    }

    private static async Task<Order> LoopAsync(EaselServices services, string orderId, Action<Order, int> report, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Whoever waits for work does it, unless another process already is.
            if (services.Worker is null)
                await services.TryStartWorkerAsync(cancellationToken);
            var order = await FindAsync(services, orderId, cancellationToken);
            report(order, await FinishedSlotsAsync(services, orderId, cancellationToken));
            if (order.Status.IsFinished())
                return order;
            await Task.Delay(Poll, services.Time, cancellationToken);
        }
    }

    /// <summary>Slots whose final image is chosen (refinements make more images than slots).</summary>
    private static async Task<int> FinishedSlotsAsync(EaselServices services, string orderId, CancellationToken cancellationToken)
    {
        var slots = await services.Store.Orders.SlotsAsync(orderId, cancellationToken);
        return slots.Count > 0
            ? slots.Count(s => s.Status == SlotStatus.Done)
            : await services.Store.Orders.CountImagesAsync(orderId, cancellationToken);
    }

    private static async Task<Order> FindAsync(EaselServices services, string orderId, CancellationToken cancellationToken) =>
        await services.Store.Orders.FindAsync(orderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {orderId} disappeared from the store.");

    private static string Describe(Order order) => order.Status switch
    {
        OrderStatus.AwaitingApproval => $"Waiting for approval of {order.Count} images",
        OrderStatus.Queued => $"Queued: {order.TargetCount} images",
        _ => $"Generating {order.TargetCount} images",
    };
}
