using Easel.Core.Orders;
using Easel.Workflows;

namespace Easel.Server.Studio;

/// <summary>Reads the studio shares between pages.</summary>
internal static class StudioQueries
{
    /// <summary>Most pending requests the studio lists at once; far beyond what people review by hand.</summary>
    public const int MaxPending = 500;

    public static async Task<int> PendingApprovalCountAsync(EaselServices services, CancellationToken cancellationToken) =>
        (await services.Store.Orders.ListAsync([OrderStatus.AwaitingApproval], MaxPending, cancellationToken)).Count;

    /// <summary>Image providers for pickers and filters: those usable here, then those that need setup.</summary>
    public static IReadOnlyList<ProviderChoice> ImageProviders(EaselServices services)
    {
        var usable = services.Providers.Names.Order(StringComparer.Ordinal).ToList();
        var choices = usable.Select(n => new ProviderChoice(n, null)).ToList();
        foreach (var status in services.ProviderStatuses.Where(s => s.Definition.Kind == Providers.ProviderKind.Image))
        {
            if (!usable.Contains(status.Definition.Name, StringComparer.OrdinalIgnoreCase))
                choices.Add(new ProviderChoice(status.Definition.Name, status.Problem ?? "not available"));
        }
        return choices;
    }
}

/// <param name="Problem">Why it cannot be used yet; null when it can.</param>
internal sealed record ProviderChoice(string Name, string? Problem);
