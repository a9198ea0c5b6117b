using Easel.Core.Generation;

namespace Easel.Core.Orders;

/// <summary>
/// One provider call: slots <c>FirstSlot .. FirstSlot + Count - 1</c> of an order, with candidates
/// <c>FirstCandidate .. FirstCandidate + Candidates - 1</c> of each, in one iteration of the loop.
/// All images of a call share one prompt.
/// </summary>
public readonly record struct Batch(int Index, int FirstSlot, int Count)
{
    public int Iteration { get; init; } = 1;
    public int FirstCandidate { get; init; }
    public int Candidates { get; init; } = 1;

    /// <summary>The refined prompt of a later iteration; null means the order's prompt.</summary>
    public string? Prompt { get; init; }

    /// <summary>The provider's response to continue from (multi-turn), when it supports that.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>Images the call makes.</summary>
    public int Images => Count * Candidates;

    /// <summary>Splits <paramref name="images"/> into calls of at most <paramref name="perCall"/> images.</summary>
    public static IReadOnlyList<Batch> Split(int images, int perCall) => Plan(images, 1, perCall);

    /// <summary>
    /// The first iteration's calls: <paramref name="slots"/> × <paramref name="candidates"/> images in
    /// calls of at most <paramref name="perCall"/>. Candidates of one slot stay together when they fit in
    /// one call; otherwise each slot's candidates are split across calls.
    /// </summary>
    public static IReadOnlyList<Batch> Plan(int slots, int candidates, int perCall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perCall, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        var batches = new List<Batch>();
        if (candidates <= perCall)
        {
            var slotsPerCall = perCall / candidates;
            for (var slot = 0; slot < slots; slot += slotsPerCall)
                batches.Add(new Batch(batches.Count, slot, Math.Min(slotsPerCall, slots - slot)) { Candidates = candidates });
        }
        else
        {
            for (var slot = 0; slot < slots; slot++)
                batches.AddRange(ForSlot(slot, candidates, perCall, iteration: 1, prompt: null, previousResponseId: null, firstIndex: batches.Count));
        }
        return batches;
    }

    /// <summary>The calls that remake one slot in a later iteration, indexes from <paramref name="firstIndex"/>.</summary>
    public static IReadOnlyList<Batch> ForSlot(int slot, int candidates, int perCall, int iteration, string? prompt, string? previousResponseId, int firstIndex)
    {
        var batches = new List<Batch>();
        for (var c = 0; c < candidates; c += perCall)
        {
            batches.Add(new Batch(firstIndex + batches.Count, slot, 1)
            {
                Iteration = iteration, FirstCandidate = c, Candidates = Math.Min(perCall, candidates - c),
                Prompt = prompt, PreviousResponseId = previousResponseId,
            });
        }
        return batches;
    }

    /// <summary>(slot, candidate) of each image of the call, in the order the provider makes them.</summary>
    public IEnumerable<(int Slot, int Candidate)> Units()
    {
        for (var s = FirstSlot; s < FirstSlot + Count; s++)
        {
            for (var c = FirstCandidate; c < FirstCandidate + Candidates; c++)
                yield return (s, c);
        }
    }

    public bool Covers(int slot) => slot >= FirstSlot && slot < FirstSlot + Count;
}

/// <summary>Where a batch stands; kept so a restarted worker neither loses nor repeats work.</summary>
public sealed record BatchState
{
    public required string OrderId { get; init; }
    public required int Index { get; init; }
    public required int FirstSlot { get; init; }
    public required int Count { get; init; }
    public int Iteration { get; init; } = 1;
    public int FirstCandidate { get; init; }
    public int Candidates { get; init; } = 1;
    public string? Prompt { get; init; }
    public string? PreviousResponseId { get; init; }
    public required BatchStatus Status { get; init; }

    /// <summary>Times a call was started for this batch; more than 1 means it was resumed after an interruption.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public decimal? Cost { get; init; }

    /// <summary>Files written for the current attempt before their rows were stored; removed if the attempt is redone.</summary>
    public IReadOnlyList<string> PendingFiles { get; init; } = [];

    /// <summary>The job an asynchronous vendor started for this batch, kept across attempts so a resumed call polls it.</summary>
    public string? RemoteJobId { get; init; }

    public Batch ToBatch() => new(Index, FirstSlot, Count)
    {
        Iteration = Iteration, FirstCandidate = FirstCandidate, Candidates = Candidates, Prompt = Prompt, PreviousResponseId = PreviousResponseId,
    };

    public bool IsOpen => Status is BatchStatus.Pending or BatchStatus.InFlight;

    public bool Covers(int slot) => slot >= FirstSlot && slot < FirstSlot + Count;
}

/// <summary>Where one slot of an order stands in the quality loop.</summary>
/// <param name="Iteration">The iteration being made, or the last one made once the slot is settled.</param>
/// <param name="Prompt">The prompt of that iteration.</param>
public sealed record SlotState(string OrderId, int Slot, int Iteration, SlotStatus Status, string Prompt, string? BestImageId, int? BestScore);

public enum SlotStatus
{
    /// <summary>An iteration is being made or waits to be judged.</summary>
    Generating,

    /// <summary>Reached the threshold, the iteration limit, or could go no further; its best image is final.</summary>
    Done,
}

public enum BatchStatus
{
    Pending,
    InFlight,
    Done,
    Failed,
}

/// <summary>How an order will be carried out by one provider.</summary>
/// <param name="MinCost">US dollars if every slot passes at the first iteration.</param>
/// <param name="EstimatedCost">US dollars in the worst case: every slot refined up to the iteration limit.</param>
public sealed record OrderPlan(IReadOnlyList<Batch> Batches, decimal MinCost, decimal EstimatedCost)
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
        var first = spec.Count * spec.Loop.Candidates;
        var price = capabilities.PriceFor(spec.Quality, spec.Size);
        return new OrderPlan(
            Batch.Plan(spec.Count, spec.Loop.Candidates, capabilities.MaxImagesPerCall),
            price * first,
            price * first * spec.Loop.MaxIterations);
    }

    private static string? FindProblem(OrderSpec spec, ProviderCapabilities caps, string provider)
    {
        var size = spec.Size;
        if (size.Width < caps.MinSide || size.Height < caps.MinSide || size.Width > caps.MaxSide || size.Height > caps.MaxSide)
            return $"{provider} makes images between {caps.MinSide} and {caps.MaxSide} pixels a side; {size} is outside that.";
        if (spec.Background == Background.Transparent && !caps.SupportsTransparentBackground)
            return $"{provider} cannot make transparent backgrounds.";
        if (spec.Background == Background.Transparent && spec.Format == ImageFormat.Jpeg)
            return "A JPEG cannot be transparent: use --format png or webp.";
        if (!caps.Formats.Contains(spec.Format))
            return $"{provider} makes {string.Join(", ", caps.Formats.Select(f => f.ToText()))} images, not {spec.Format.ToText()}.";
        if (spec.Quality != ImageQuality.Auto && !caps.SupportsQuality)
            return $"{provider} has no quality setting: leave out --quality (or use auto).";
        if (spec.NegativePrompt is not null && !caps.SupportsNegativePrompt)
            return $"{provider} does not take a negative prompt.";
        if (spec.Seed is not null && !caps.SupportsSeed)
            return $"{provider} does not take a seed.";
        if (spec.References.Count > caps.MaxReferences)
            return caps.MaxReferences == 0
                ? $"{provider} does not take reference images."
                : $"{provider} takes at most {caps.MaxReferences} reference images; {spec.References.Count} were given.";
        if (spec.Source is { Kind: Derivation.Variation } && !caps.SupportsVariations)
            return $"{provider} cannot make variations of an image.";
        return null;
    }
}

/// <summary>An order that cannot be carried out as asked; the message says why, in plain words.</summary>
public sealed class OrderRejectedException(string message) : Exception(message);
