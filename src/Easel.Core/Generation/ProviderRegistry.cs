namespace Easel.Core.Generation;

/// <summary>The image providers and upscalers this installation knows, by name.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IImageProvider> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IImageProvider> _upscalers = new(StringComparer.OrdinalIgnoreCase);

    public ProviderRegistry(IEnumerable<IImageProvider> providers, IEnumerable<IImageUpscaler>? upscalers = null)
    {
        foreach (var provider in providers)
            _providers.Add(provider.Name, provider);
        foreach (var upscaler in upscalers ?? [])
            _upscalers.Add(upscaler.Name, new UpscalingProvider(upscaler));
    }

    /// <summary>Name used when the user does not choose one.</summary>
    public const string DefaultProvider = "sketch";

    /// <summary>Upscaler used when the user does not choose one.</summary>
    public const string DefaultUpscaler = "builtin";

    public IReadOnlyCollection<string> Names => _providers.Keys;

    public IReadOnlyCollection<string> UpscalerNames => _upscalers.Keys;

    public bool TryGet(string name, out IImageProvider provider) => _providers.TryGetValue(name, out provider!);

    /// <summary>An upscaler, seen as a provider that makes one image per call from <see cref="GenerationRequest.UpscaleOf"/>.</summary>
    public bool TryGetUpscaler(string name, out IImageProvider upscaler) => _upscalers.TryGetValue(name, out upscaler!);
}

/// <summary>Lets an upscaler run as an order's provider: same planning, limits and bookkeeping as generation.</summary>
internal sealed class UpscalingProvider(IImageUpscaler upscaler) : IImageProvider
{
    public string Name => upscaler.Name;

    public IImageUpscaler Upscaler => upscaler;

    public ProviderCapabilities Capabilities { get; } = new()
    {
        Model = upscaler.Model,
        MaxImagesPerCall = 1,
        MaxConcurrency = 1,
        // The source image's prompt and parameters are kept as they were; nothing new is asked of the upscaler.
        SupportsNegativePrompt = true,
        SupportsSeed = true,
        SupportsTransparentBackground = true,
        MaxSide = upscaler.MaxOutputSide,
        PricePerImage = upscaler.PricePerImage,
    };

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var source = request.UpscaleOf ?? throw new ArgumentException($"{Name} enlarges an existing image; none was given.", nameof(request));
        if (!upscaler.Scales.Contains(source.Scale))
            throw new ArgumentException($"{Name} enlarges by {string.Join(" or ", upscaler.Scales)}; {source.Scale} was asked for.", nameof(request));
        var image = await upscaler.UpscaleAsync(source.Image, source.MediaType, source.Scale, cancellationToken);
        return [image];
    }
}
