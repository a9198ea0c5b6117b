using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Server.Hosting;
using Easel.Server.Security;
using Easel.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>
/// One order: status, parameters, live progress, the contact sheet with per-image actions and the
/// final result. <see cref="OnGetSheetAsync"/> renders just the live part for the script.
/// </summary>
internal sealed class OrderModel(EaselServices services, OrderFeed feed) : PageModel
{
    public OrderSheet? Sheet { get; private set; }

    public string? Missing { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var order = await FindAsync(id, cancellationToken);
        if (order is null)
            return NotFoundPage();
        if (order.Id != id)
            return Redirect(StudioLinks.Order(order.Id));
        Sheet = await OrderSheet.LoadAsync(services, order, User.IsInRole(EaselRoles.Approver), cancellationToken);
        return Page();
    }

    /// <summary>The live part of the page (progress, contact sheet, result), for the script to swap in.</summary>
    public async Task<IActionResult> OnGetSheetAsync(string id, CancellationToken cancellationToken)
    {
        var order = await FindAsync(id, cancellationToken);
        if (order is null)
            return NotFound();
        return Partial("_Sheet", await OrderSheet.LoadAsync(services, order, User.IsInRole(EaselRoles.Approver), cancellationToken));
    }

    public Task<IActionResult> OnPostApproveAsync(string id, string imageId, CancellationToken cancellationToken) =>
        ActAsync(id, imageId, c => c.ApproveAsync(imageId, cancellationToken));

    public Task<IActionResult> OnPostRegenerateAsync(string id, string imageId, CancellationToken cancellationToken) =>
        ActAsync(id, imageId, c => c.RegenerateAsync(imageId, cancellationToken));

    public Task<IActionResult> OnPostVaryAsync(string id, string imageId, int? count, string? strength, CancellationToken cancellationToken) =>
        ActAsync(id, imageId, c => c.VaryAsync(imageId, count, strength, cancellationToken));

    public Task<IActionResult> OnPostUpscaleAsync(string id, string imageId, int? scale, CancellationToken cancellationToken) =>
        ActAsync(id, imageId, c => c.UpscaleAsync(imageId, scale, cancellationToken));

    /// <summary>Cancels the order; batches already running finish and keep their images.</summary>
    public async Task<IActionResult> OnPostCancelAsync(string id, CancellationToken cancellationToken)
    {
        var order = await FindAsync(id, cancellationToken);
        if (order is null)
            return NotFoundPage();
        try
        {
            await services.Orders.CancelAsync(order.Id, User.Identity!.Name!, "Cancelled in the studio.", cancellationToken);
            services.Nudge();
            feed.Nudge();
            Flash.Good("Order cancelled. Batches already running finish and keep their images.").Keep(TempData);
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
        {
            Flash.Bad(ex.Message).Keep(TempData);
        }
        return Redirect(StudioLinks.Order(order.Id));
    }

    private async Task<IActionResult> ActAsync(string id, string imageId, Func<ImageCommands, Task<Flash>> action)
    {
        var order = await FindAsync(id, HttpContext.RequestAborted);
        if (order is null)
            return NotFoundPage();
        var flash = await action(new ImageCommands(services, feed, User.Identity!.Name!));
        flash.Keep(TempData);
        var slot = flash.Tone == "good" ? await SlotOfAsync(imageId, HttpContext.RequestAborted) : null;
        return Redirect(StudioLinks.Order(order.Id) + (slot is { } s ? $"#slot-{s + 1}" : ""));
    }

    /// <summary>The slot of the image acted on, to bring it back into view after the redirect.</summary>
    private async Task<int?> SlotOfAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            return (await services.Store.Images.FindAsync(imageId, cancellationToken))?.Slot;
        }
        catch (AmbiguousIdException)
        {
            return null;
        }
    }

    private async Task<Order?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
            return null;
        try
        {
            return await services.Store.Orders.FindAsync(id, cancellationToken);
        }
        catch (AmbiguousIdException)
        {
            return null;
        }
    }

    private PageResult NotFoundPage()
    {
        Missing = "There is no such order. The Orders page lists them all.";
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
