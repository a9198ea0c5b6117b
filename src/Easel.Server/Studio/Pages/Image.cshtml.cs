using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Server.Hosting;
using Easel.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>One image: large view, download, how it was made, its evaluation, review, lineage and actions.</summary>
internal sealed class ImageModel(EaselServices services, OrderFeed feed) : PageModel
{
    /// <summary>Recent orders searched for unfinished ones made from this image.</summary>
    private const int DerivedScan = 300;

    public ImageRecord? Image { get; private set; }

    public Order? Order { get; private set; }

    /// <summary>Where the image came from, oldest first, ending with the image itself.</summary>
    public IReadOnlyList<ImageRecord> Lineage { get; private set; } = [];

    /// <summary>Images made from this one (regenerated, varied, upscaled).</summary>
    public IReadOnlyList<ImageRecord> Children { get; private set; } = [];

    /// <summary>Orders made from this image that have not finished yet (their images are not made yet).</summary>
    public IReadOnlyList<Order> Pending { get; private set; } = [];

    public string? Missing { get; private set; }

    /// <summary>The image's share of what its provider call cost, when the call recorded a cost.</summary>
    public decimal? Cost { get; private set; }

    public int Threshold => Order?.Loop.Threshold ?? Core.Quality.LoopSettings.DefaultThreshold;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var image = await FindAsync(id, cancellationToken);
        if (image is null)
            return NotFoundPage(id);
        if (image.Id != id)
            return Redirect(StudioLinks.Image(image.Id));
        Image = image;
        Order = await services.Store.Orders.FindAsync(image.OrderId, cancellationToken);
        Lineage = await services.Images.LineageAsync(image, cancellationToken);
        Children = await services.Store.Images.ChildrenAsync(image.Id, cancellationToken);
        var batch = (await services.Store.Orders.BatchesAsync(image.OrderId, cancellationToken)).FirstOrDefault(b =>
            b.Covers(image.Slot) && b.Iteration == image.Iteration && image.Candidate >= b.FirstCandidate && image.Candidate < b.FirstCandidate + b.Candidates);
        if (batch?.Cost is { } callCost)
            Cost = callCost / Math.Max(1, batch.Count * batch.Candidates);
        var made = Children.Select(c => c.OrderId).ToHashSet(StringComparer.Ordinal);
        Pending = (await services.Store.Orders.ListAsync(null, DerivedScan, cancellationToken))
            .Where(o => o.Source?.ImageId == image.Id && !o.Status.IsFinished() && !made.Contains(o.Id))
            .ToList();
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, c => c.ApproveAsync(id, cancellationToken));

    public Task<IActionResult> OnPostRegenerateAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, c => c.RegenerateAsync(id, cancellationToken));

    public Task<IActionResult> OnPostVaryAsync(string id, int? count, string? strength, CancellationToken cancellationToken) =>
        ActAsync(id, c => c.VaryAsync(id, count, strength, cancellationToken));

    public Task<IActionResult> OnPostUpscaleAsync(string id, int? scale, CancellationToken cancellationToken) =>
        ActAsync(id, c => c.UpscaleAsync(id, scale, cancellationToken));

    private async Task<IActionResult> ActAsync(string id, Func<ImageCommands, Task<Flash>> action)
    {
        var image = await FindAsync(id, HttpContext.RequestAborted);
        if (image is null)
            return NotFoundPage(id);
        (await action(new ImageCommands(services, feed, User.Identity!.Name!))).Keep(TempData);
        return Redirect(StudioLinks.Image(image.Id));
    }

    private async Task<ImageRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
            return null;
        try
        {
            return await services.Store.Images.FindAsync(id, cancellationToken);
        }
        catch (AmbiguousIdException)
        {
            return null;
        }
    }

    private PageResult NotFoundPage(string id)
    {
        Missing = $"There is no image '{StudioFormat.Excerpt(id, 40)}'. The gallery lists them all.";
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
