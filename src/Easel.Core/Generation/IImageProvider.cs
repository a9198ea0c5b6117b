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

    /// <summary>The price table when it depends on quality and size; <see cref="PricePerImage"/> otherwise.</summary>
    public Func<ImageQuality, ImageSize, decimal>? Price { get; init; }

    /// <summary>The only sizes the provider makes, when it has a fixed list (OpenAI); null when any size within the bounds will do.</summary>
    public IReadOnlyList<ImageSize>? Sizes { get; init; }

    /// <summary>The aspect ratios ("16:9") the provider takes instead of pixel sizes, when that is how it is asked; null otherwise.</summary>
    public IReadOnlyList<string>? AspectRatios { get; init; }

    public IReadOnlyList<ImageFormat> Formats { get; init; } = [ImageFormat.Png];

    /// <summary>Takes <c>--quality low|medium|high</c>.</summary>
    public bool SupportsQuality { get; init; }

    /// <summary>How long one call may take before it is abandoned (at least 300 s for OpenAI at high quality).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Price of one image of this quality and size.</summary>
    public decimal PriceFor(ImageQuality quality, ImageSize size) => Price?.Invoke(quality, size) ?? PricePerImage;

    /// <summary>
    /// The size this provider will make for <paramref name="requested"/>: the same when it takes any
    /// size, else the supported size (or aspect ratio) nearest in shape and then in area.
    /// </summary>
    public (ImageSize Size, string? AspectRatio) Fit(ImageSize requested)
    {
        if (Sizes is { Count: > 0 } sizes)
            return (sizes.MinBy(s => Distance(s.Width, s.Height, requested))!, null);
        if (AspectRatios is { Count: > 0 } ratios)
        {
            var best = ratios.MinBy(r => Math.Abs(Math.Log(Ratio(r)) - Math.Log((double)requested.Width / requested.Height)))!;
            return ImageSize.TryFromAspectRatio(best, (long)requested.Width * requested.Height, out var size, out _) ? (size, best) : (requested, best);
        }
        return (requested, null);
    }

    private static double Ratio(string ratio)
    {
        var parts = ratio.Split(':');
        return double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) / double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Shape first (log of the aspect ratio), then area.</summary>
    private static double Distance(int width, int height, ImageSize to) =>
        Math.Abs(Math.Log((double)width / height) - Math.Log((double)to.Width / to.Height)) * 1000
        + Math.Abs(Math.Log((double)width * height / ((double)to.Width * to.Height)));
}
