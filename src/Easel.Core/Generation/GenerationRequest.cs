namespace Easel.Core.Generation;

/// <summary>One call to an image provider: at most its per-call maximum of images.</summary>
/// <param name="Seeds">One seed per image wanted; <c>Seeds.Count</c> is the number of images.</param>
public sealed record GenerationRequest(
    string Prompt,
    string? NegativePrompt,
    ImageSize Size,
    string? Style,
    Background Background,
    IReadOnlyList<long> Seeds)
{
    public int Count => Seeds.Count;

    /// <summary>Images to guide the result; only for providers with <see cref="ProviderCapabilities.MaxReferences"/> above 0.</summary>
    public IReadOnlyList<ReferenceImage> References { get; init; } = [];

    /// <summary>The provider's id of an earlier response to continue from (multi-turn editing), when it supports that.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>Set when the images are to be variations of an existing image.</summary>
    public VariationSource? VariationOf { get; init; }

    /// <summary>Set when the image is to be an enlargement of an existing one (upscalers only).</summary>
    public UpscaleSource? UpscaleOf { get; init; }

    public ImageQuality Quality { get; init; } = ImageQuality.Auto;

    public ImageFormat Format { get; init; } = ImageFormat.Png;

    /// <summary>Where an asynchronous provider records the job it started; null outside an order (tests, tools).</summary>
    public IRemoteJobJournal? Journal { get; init; }
}

/// <summary>An image a provider returned, as encoded bytes.</summary>
/// <param name="ResponseId">The provider's id for the response, for providers that can continue from it.</param>
public sealed record GeneratedImage(byte[] Bytes, string MediaType, long? Seed, string Model, string? ResponseId = null)
{
    /// <summary>What this image actually cost in US dollars, when the provider reports usage; null means "from the price table".</summary>
    public decimal? Cost { get; init; }
}

public enum VariationStrength
{
    /// <summary>Same composition, different details.</summary>
    Subtle,

    /// <summary>Same idea, a new take on it.</summary>
    Strong,
}

/// <summary>The image to enlarge and by how much.</summary>
public sealed record UpscaleSource(byte[] Image, string MediaType, int Scale);

/// <summary>The image to make variations of.</summary>
/// <param name="Image">Its encoded bytes (PNG).</param>
/// <param name="Seed">The seed it was made with, when known: lets seeded providers keep the composition.</param>
public sealed record VariationSource(byte[] Image, string MediaType, long? Seed, VariationStrength Strength);
