using Easel.Core.Generation;

namespace Easel.Core.Orders;

/// <summary>One provider call: images <c>FirstSlot .. FirstSlot + Count - 1</c> of an order.</summary>
public readonly record struct Batch(int Index, int FirstSlot, int Count)
{
    /// <summary>Splits <paramref name="images"/> into calls of at most <paramref name="perCall"/> images.</summary>
    public static IReadOnlyList<Batch> Split(int images, int perCall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perCall, 1);
        var batches = new List<Batch>();
        for (var slot = 0; slot < images; slot += perCall)
            batches.Add(new Batch(batches.Count, slot, Math.Min(perCall, images - slot)));
        return batches;
    }
}

/// <summary>Where a batch stands; kept so a restarted worker neither loses nor repeats work.</summary>
public sealed record BatchState
{
    public required string OrderId { get; init; }
    public required int Index { get; init; }
    public required int FirstSlot { get; init; }
    public required int Count { get; init; }
    public required BatchStatus Status { get; init; }

    /// <summary>Times a call was started for this batch; more than 1 means it was resumed after an interruption.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public decimal? Cost { get; init; }

    /// <summary>Files written for the current attempt before their rows were stored; removed if the attempt is redone.</summary>
    public IReadOnlyList<string> PendingFiles { get; init; } = [];
}

public enum BatchStatus
{
    Pending,
    InFlight,
    Done,
    Failed,
}

/// <summary>How an order will be carried out by one provider.</summary>
public sealed record OrderPlan(IReadOnlyList<Batch> Batches, decimal EstimatedCost)
{
    /// <summary>
    /// Splits <paramref name="spec"/> into batches of at most the provider's per-call maximum and
    /// checks it against what the provider can do. Throws with the reason when it cannot.
    /// </summary>
    public static OrderPlan Create(OrderSpec spec, ProviderCapabilities capabilities, string providerName)
    {
        var problem = FindProblem(spec, capabilities, providerName);
        if (problem is not null)
            throw new OrderRejectedException(problem);
        return new OrderPlan(Batch.Split(spec.Count, capabilities.MaxImagesPerCall), capabilities.PricePerImage * spec.Count);
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
