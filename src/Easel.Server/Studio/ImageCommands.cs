using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Server.Hosting;
using Easel.Workflows;

namespace Easel.Server.Studio;

/// <summary>
/// What the Order and Image pages do with an image: approve it, or order a regeneration, variations
/// or an upscale (each a new order). Each returns the message to show; problems come back as a bad message.
/// </summary>
internal sealed class ImageCommands(EaselServices services, OrderFeed feed, string actor)
{
    public const int DefaultVariations = 4;

    public async Task<Flash> ApproveAsync(string imageId, CancellationToken cancellationToken) => await RunAsync(imageId, async () =>
    {
        var image = await services.Images.ApproveAsync(imageId, actor, cancellationToken);
        return Flash.Good($"Approved image {image.Slot + 1} ({image.Id}).");
    });

    public async Task<Flash> RegenerateAsync(string imageId, CancellationToken cancellationToken) => await RunAsync(imageId, async () =>
    {
        var image = await services.Images.FindAsync(imageId, cancellationToken);
        var placed = await services.Images.RegenerateAsync(image.Id, Options, cancellationToken);
        return Placed(placed, $"Regenerating image {image.Slot + 1} in a new order, {placed.Order.Id}");
    });

    public async Task<Flash> VaryAsync(string imageId, int? count, string? strength, CancellationToken cancellationToken) => await RunAsync(imageId, async () =>
    {
        var n = count ?? DefaultVariations;
        var kind = string.Equals(strength, "strong", StringComparison.OrdinalIgnoreCase) ? VariationStrength.Strong : VariationStrength.Subtle;
        var placed = await services.Images.VaryAsync(imageId, n, kind, Options, cancellationToken);
        return Placed(placed, $"{n} {kind.ToString().ToLowerInvariant()} variation{(n == 1 ? "" : "s")} ordered as a new order, {placed.Order.Id}");
    });

    public async Task<Flash> UpscaleAsync(string imageId, int? scale, CancellationToken cancellationToken) => await RunAsync(imageId, async () =>
    {
        var factor = scale ?? 2;
        if (factor is not (2 or 4))
            return Flash.Bad($"Upscale by 2 or 4; got {factor}.");
        var placed = await services.Images.UpscaleAsync(imageId, factor, ProviderRegistry.DefaultUpscaler, Options, cancellationToken);
        return Placed(placed, $"A {factor}× upscale ordered as a new order, {placed.Order.Id}");
    });

    private PlaceOptions Options => new(services.Settings.Approval, actor);

    private Flash Placed(PlacedOrder placed, string what)
    {
        services.Nudge();
        feed.Nudge();
        var waits = placed.Order.Status == OrderStatus.AwaitingApproval;
        return Flash.Good(
            what + (waits ? "; it waits for approval." : "."),
            waits && placed.Approval is { } request ? StudioLinks.Approval(request.Id) : StudioLinks.Order(placed.Order.Id),
            waits ? "Go to the approval" : "Follow the new order");
    }

    private static async Task<Flash> RunAsync(string imageId, Func<Task<Flash>> action)
    {
        if (string.IsNullOrWhiteSpace(imageId) || imageId.Length > 100)
            return Flash.Bad("No image was chosen; use the buttons under an image.");
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is KeyNotFoundException or OrderRejectedException or AmbiguousIdException or InvalidOperationException)
        {
            return Flash.Bad(ex.Message);
        }
    }
}
