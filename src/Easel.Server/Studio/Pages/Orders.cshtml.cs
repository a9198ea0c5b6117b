using Easel.Core.Orders;
using Easel.Workflows;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>Orders: the most recent orders, newest first, optionally of one status.</summary>
internal sealed class OrdersModel(EaselServices services) : PageModel
{
    public const int Limit = 100;

    public IReadOnlyList<Order> Orders { get; private set; } = [];

    /// <summary>Request ids of the orders that wait for a decision, by order id.</summary>
    public Dictionary<string, string> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>The status filter as given (?status=running); null for all.</summary>
    public string? Status { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? status, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<OrderStatus>? statuses = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (OrderStatusExtensions.TryParse(status.Trim(), out var parsed))
            {
                statuses = [parsed];
                Status = parsed.ToText();
            }
            else
            {
                Problem = $"'{StudioFormat.Excerpt(status, 30)}' is not an order status; showing every order.";
            }
        }
        Orders = await services.Store.Orders.ListAsync(statuses, Limit, cancellationToken);
        foreach (var order in Orders.Where(o => o.Status == OrderStatus.AwaitingApproval))
        {
            if (await services.Store.Orders.ApprovalForOrderAsync(order.Id, cancellationToken) is { Status: ApprovalStatus.Pending } request)
                Requests[order.Id] = request.Id;
        }
    }
}
