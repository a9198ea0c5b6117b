using Easel.Core.Generation;
using Easel.Core.Quality;

namespace Easel.Core.Orders;

/// <summary>What the user asked for, already parsed and validated for shape (not yet for a provider).</summary>
public sealed record OrderSpec
{
    /// <summary>Upper bound on images in one order: large enough for bulk work, small enough to catch typos.</summary>
    public const int MaxCount = 1000;

    /// <summary>Longest prompt accepted (the most any supported vendor takes).</summary>
    public const int MaxPromptLength = 32_000;

    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public int Count { get; init; } = 1;
    public ImageSize Size { get; init; } = new(1024, 1024);

    /// <summary>"W:H" when the size was derived from an aspect ratio, for the record.</summary>
    public string? AspectRatio { get; init; }

    public string? Style { get; init; }
    public Background Background { get; init; } = Background.Opaque;

    /// <summary>Seed of the first image; random when null.</summary>
    public long? Seed { get; init; }

    public string Provider { get; init; } = ProviderRegistry.DefaultProvider;

    public LoopSettings Loop { get; init; } = new();

    public ImageQuality Quality { get; init; } = ImageQuality.Auto;

    public ImageFormat Format { get; init; } = ImageFormat.Png;

    /// <summary>Images to guide generation (<c>--refs</c>), already checked and loaded.</summary>
    public IReadOnlyList<ReferenceImage> References { get; init; } = [];

    /// <summary>The image this order derives from (regenerate, vary, upscale), or null.</summary>
    public OrderSource? Source { get; init; }
}
