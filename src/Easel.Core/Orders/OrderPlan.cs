using Easel.Core.Generation;

namespace Easel.Core.Orders;

/// <summary>One provider call: images <c>FirstSlot .. FirstSlot + Count - 1</c> of an order.</summary>
public readonly record struct Batch(int Index, int FirstSlot, int Count);

/// <summary>How an order will be carried out by one provider.</summary>
public sealed record OrderPlan(IReadOnlyList<Batch> Batches, decimal EstimatedCost)
{
    /// <summary>
    /// Splits <paramref name="spec"/> into batches of at most the provider's per-call maximum and
    /// checks it against what the provider can do. Returns the reason when it cannot.
    /// </summary>
    public static OrderPlan Create(OrderSpec spec, ProviderCapabilities capabilities, string providerName)
    {
        var problem = FindProblem(spec, capabilities, providerName);
        if (problem is not null)
            throw new OrderRejectedException(problem);

        var batches = new List<Batch>();
        for (var slot = 0; slot < spec.Count; slot += capabilities.MaxImagesPerCall)
            batches.Add(new Batch(batches.Count, slot, Math.Min(capabilities.MaxImagesPerCall, spec.Count - slot)));
        return new OrderPlan(batches, capabilities.PricePerImage * spec.Count);
    }

    private static string? FindProblem(OrderSpec spec, ProviderCapabilities caps, string provider)
    {
        var size = spec.Size;
        if (size.Width < caps.MinSide || size.Height < caps.MinSide || size.Width > caps.MaxSide || size.Height > caps.MaxSide)
            return $"{provider} makes images between {caps.MinSide} and {caps.MaxSide} pixels a side; {size} is outside that.";
        if (spec.Background == Background.Transparent && !caps.SupportsTransparentBackground)
            return $"{provider} cannot make transparent backgrounds.";
        if (spec.NegativePrompt is not null && !caps.SupportsNegativePrompt)
            return $"{provider} does not take a negative prompt.";
        if (spec.Seed is not null && !caps.SupportsSeed)
            return $"{provider} does not take a seed.";
        return null;
    }
}

/// <summary>An order that cannot be carried out as asked; the message says why, in plain words.</summary>
public sealed class OrderRejectedException(string message) : Exception(message);
