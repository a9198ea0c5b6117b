using Easel.Core.Orders;
using Easel.Server.Hosting;
using Easel.Server.Security;
using Easel.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>
/// Approvals: every pending request with what the approver needs to decide, and the decisions
/// (<see cref="OnPostApproveAllAsync"/>, <see cref="OnPostApprovePartAsync"/>, <see cref="OnPostRejectAsync"/>),
/// which only approvers may take. <see cref="OnGetListAsync"/> renders just the lists for the script.
/// </summary>
internal sealed class ApprovalsModel(EaselServices services, OrderFeed feed) : PageModel
{
    /// <summary>Recent orders searched for decided requests.</summary>
    private const int DecidedScan = 100;

    /// <summary>Decided requests shown.</summary>
    public const int DecidedShown = 20;

    public ApprovalLists Lists { get; private set; } = new([], [], false, DateTimeOffset.MinValue);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Lists = await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetListAsync(CancellationToken cancellationToken) => Partial("_ApprovalLists", await LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostApproveAllAsync(string requestId, string? note, string? returnUrl, CancellationToken cancellationToken) =>
        DecideAsync(requestId, approve: true, count: null, note, returnUrl, cancellationToken);

    public Task<IActionResult> OnPostApprovePartAsync(string requestId, string? count, string? note, string? returnUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(count) || !int.TryParse(count.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k))
            return RefuseAsync(Flash.Bad("Type how many images to approve (a whole number), then choose Approve; or choose Approve all."), StatusCodes.Status400BadRequest, cancellationToken);
        return DecideAsync(requestId, approve: true, k, note, returnUrl, cancellationToken);
    }

    public Task<IActionResult> OnPostRejectAsync(string requestId, string? note, string? returnUrl, CancellationToken cancellationToken) =>
        DecideAsync(requestId, approve: false, count: null, note, returnUrl, cancellationToken);

    private async Task<IActionResult> DecideAsync(string requestId, bool approve, int? count, string? note, string? returnUrl, CancellationToken cancellationToken)
    {
        // Razor Pages has no per-handler policy: the role is checked here, before anything is read or changed.
        if (!User.IsInRole(EaselRoles.Approver))
            return await RefuseAsync(Flash.Bad("Only an approver can approve or reject orders. Sign in with the approver token to decide."), StatusCodes.Status403Forbidden, cancellationToken);
        if (string.IsNullOrWhiteSpace(requestId))
            return await RefuseAsync(Flash.Bad("No request was chosen; use the buttons of a request."), StatusCodes.Status400BadRequest, cancellationToken);
        var cleanNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim().Length > 500 ? note.Trim()[..500] : note.Trim();
        try
        {
            var (order, request) = await services.Orders.DecideAsync(
                new ApprovalDecision(requestId, approve, User.Identity!.Name!, cleanNote, count), cancellationToken);
            services.Nudge();
            feed.Nudge();
            var what = !approve ? "Rejected" : request.ApprovedCount is { } n && n != request.Summary.Count ? $"Approved {n} of {request.Summary.Count} images of" : "Approved";
            Flash.Good($"{what} order {order.Id}.", StudioLinks.Order(order.Id), approve ? "Watch it run" : "Open the order").Keep(TempData);
        }
        catch (ApprovalRefusedException ex)
        {
            Flash.Bad(ex.Message).Keep(TempData);
        }
        return Redirect(LocalOr(returnUrl));
    }

    /// <summary>Shows the page again with the message and an error status (the decision was not taken).</summary>
    private async Task<IActionResult> RefuseAsync(Flash flash, int status, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        flash.Show(ViewData);
        Lists = await LoadAsync(cancellationToken);
        return Page();
    }

    private string LocalOr(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/approvals";

    private async Task<ApprovalLists> LoadAsync(CancellationToken cancellationToken)
    {
        var store = services.Store.Orders;
        var pending = new List<PendingApproval>();
        foreach (var order in await store.ListAsync([OrderStatus.AwaitingApproval], StudioQueries.MaxPending, cancellationToken))
        {
            if (await store.ApprovalForOrderAsync(order.Id, cancellationToken) is { Status: ApprovalStatus.Pending } request)
            {
                var events = await store.EventsAsync(order.Id, cancellationToken);
                pending.Add(new PendingApproval(request, order, events.FirstOrDefault(e => e.Kind == OrderEventKind.Requested)?.Actor));
            }
        }
        var decided = new List<PendingApproval>();
        foreach (var order in await store.ListAsync(null, DecidedScan, cancellationToken))
        {
            if (decided.Count >= DecidedShown)
                break;
            if (order.Status != OrderStatus.AwaitingApproval && await store.ApprovalForOrderAsync(order.Id, cancellationToken) is { } request && request.Status != ApprovalStatus.Pending)
                decided.Add(new PendingApproval(request, order, null));
        }
        return new ApprovalLists(
            pending.OrderBy(p => p.Request.ExpiresAt).ToList(),
            decided.OrderByDescending(d => d.Request.DecidedAt ?? d.Request.CreatedAt).ToList(),
            User.IsInRole(EaselRoles.Approver),
            services.Time.GetUtcNow());
    }
}

/// <param name="RequestedBy">Who placed the order, from its audit trail.</param>
internal sealed record PendingApproval(ApprovalRequest Request, Order Order, string? RequestedBy);

/// <param name="Now">When the page was made, for the remaining time until each request expires.</param>
internal sealed record ApprovalLists(IReadOnlyList<PendingApproval> Pending, IReadOnlyList<PendingApproval> Decided, bool CanDecide, DateTimeOffset Now);
