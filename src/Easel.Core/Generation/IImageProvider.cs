namespace Easel.Core.Generation;

/// <summary>A source of images: the built-in sketch renderer or a vendor's API.</summary>
public interface IImageProvider
{
    /// <summary>The name users pass to <c>--provider</c>.</summary>
    string Name { get; }

    ProviderCapabilities Capabilities { get; }

    /// <summary>Generates <c>request.Count</c> images (never more than the per-call maximum).</summary>
    Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken);
}

/// <summary>What a provider can do; the planner splits and checks orders against it.</summary>
public sealed record ProviderCapabilities
{
    public required string Model { get; init; }

    /// <summary>Most images one call may return (4 for flux-schnell and the sketch renderer).</summary>
    public required int MaxImagesPerCall { get; init; }

    /// <summary>Calls that may run at the same time (configurable per installation).</summary>
    public required int MaxConcurrency { get; init; }

    /// <summary>Images the provider allows per minute; null when it sets no limit (configurable per installation).</summary>
    public int? ImagesPerMinute { get; init; }

    public required bool SupportsNegativePrompt { get; init; }
    public required bool SupportsSeed { get; init; }
    public required bool SupportsTransparentBackground { get; init; }
    public int MinSide { get; init; } = ImageSize.MinSide;
    public int MaxSide { get; init; } = ImageSize.MaxSide;

    /// <summary>Reference images one call accepts (0 when the provider takes none).</summary>
    public int MaxReferences { get; init; }

    /// <summary>Can continue from an earlier response (<see cref="GenerationRequest.PreviousResponseId"/>).</summary>
    public bool SupportsPreviousResponse { get; init; }

    /// <summary>Can make variations of an existing image (<see cref="GenerationRequest.VariationOf"/>).</summary>
    public bool SupportsVariations { get; init; }

    /// <summary>Price of one image in US dollars (0 for the offline renderer).</summary>
    public decimal PricePerImage { get; init; }
}
