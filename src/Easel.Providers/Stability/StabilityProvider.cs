using System.Globalization;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Stability;

/// <summary>Limits and prices an installation may change; the defaults follow Stability AI's published figures.</summary>
public sealed record StabilityOptions
{
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>
    /// Stability allows 150 requests in any 10 s and then blocks for 60 s; 150 a minute keeps every
    /// 10 s window within that, whatever the burst.
    /// </summary>
    public int ImagesPerMinute { get; init; } = 150;

    /// <summary>Price of one image in US dollars; null takes it from the model's credits (1 credit = $0.01).</summary>
    public decimal? PricePerImage { get; init; }
}

/// <summary>
/// Stability AI's Stable Image API: <c>POST /v2beta/stable-image/generate/{core|ultra|sd3}</c> as
/// multipart, answered with the image's bytes and its <c>finish-reason</c> and <c>seed</c> headers.
/// One image per call.
/// </summary>
/// <remarks>
/// The model picks the route: "core" (the default) and "ultra" have their own; any other name
/// (sd3.5-large, sd3.5-large-turbo, sd3.5-medium) goes to the sd3 route as its <c>model</c> field.
/// Easel's styles become Stability's <c>style_preset</c> on core where one matches (cyberpunk and
/// neon are "neon-punk"); others are said in the prompt. Ultra and SD 3.5 make variations from
/// the source image with a strength. Seeds are sent within Stability's 1..4294967294 (0 would mean
/// "random") and the seed Stability reports is the one kept.
/// </remarks>
public sealed class StabilityProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "stability";
    public const string DefaultModel = "core";

    /// <summary>The largest seed Stability takes.</summary>
    public const long MaxSeed = 4_294_967_294;

    public static readonly IReadOnlyList<string> SupportedAspectRatios = ["16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"];

    /// <summary>Stability's style presets (core).</summary>
    public static readonly IReadOnlyList<string> StylePresets =
    [
        "3d-model", "analog-film", "anime", "cinematic", "comic-book", "digital-art", "enhance", "fantasy-art", "isometric",
        "line-art", "low-poly", "modeling-compound", "neon-punk", "origami", "photographic", "pixel-art", "tile-texture",
    ];

    private readonly VendorHttp _http;
    private readonly string _model;
    private readonly string _route;

    public StabilityProvider(ProviderConnection connection, string? model = null, StabilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new StabilityOptions();
        _model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim().ToLowerInvariant();
        _route = _model switch
        {
            "core" or "ultra" => _model,
            _ when _model.StartsWith("sd3", StringComparison.Ordinal) => "sd3",
            _ => throw new ArgumentException($"'{model}' is not a Stability AI image model: use core, ultra, or an SD 3.5 model (sd3.5-large, sd3.5-large-turbo, sd3.5-medium).", nameof(model)),
        };
        _http = new VendorHttp(connection, new StabilityErrors(connection.Vendor, connection.Time));
        Capabilities = new ProviderCapabilities
        {
            Model = _model,
            MaxImagesPerCall = 1,
            MaxConcurrency = Math.Max(1, options.MaxConcurrency),
            ImagesPerMinute = options.ImagesPerMinute > 0 ? options.ImagesPerMinute : null,
            // The turbo model ignores a negative prompt.
            SupportsNegativePrompt = !_model.EndsWith("-turbo", StringComparison.Ordinal),
            SupportsSeed = true,
            SupportsTransparentBackground = false,
            SupportsVariations = _route != "core",
            AspectRatios = SupportedAspectRatios,
            Formats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp],
            PricePerImage = options.PricePerImage ?? PriceOf(_model),
            Timeout = connection.Timeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    private string Vendor => _http.Connection.Vendor;

    /// <summary>Credits per image (core 3, ultra 8, SD 3.5 large 6.5, large turbo 4, medium 3.5) in dollars; an SD 3.x model not listed is priced as large.</summary>
    public static decimal PriceOf(string model) => model.Trim().ToLowerInvariant() switch
    {
        "core" => 0.03m,
        "ultra" => 0.08m,
        "sd3.5-large-turbo" => 0.04m,
        "sd3.5-medium" => 0.035m,
        _ => 0.065m,
    };

    /// <summary>Easel's seed within 1..<see cref="MaxSeed"/>: Stability reads 0 as "pick one at random".</summary>
    public static long StabilitySeed(long seed)
    {
        if (seed is >= 1 and <= MaxSeed)
            return seed;
        var folded = ((seed % MaxSeed) + MaxSeed) % MaxSeed;
        return folded == 0 ? MaxSeed : folded;
    }

    /// <summary>Stability's preset for an Easel style, or null when none fits (the style then goes into the prompt).</summary>
    public static string? StylePreset(string? style)
    {
        if (string.IsNullOrWhiteSpace(style))
            return null;
        var key = ImageStyles.Normalize(style) ?? style.Trim().ToLowerInvariant();
        return key switch
        {
            "cyberpunk" or "neon" => "neon-punk",
            _ when StylePresets.Contains(key) => key,
            _ => null,
        };
    }

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count != 1)
            throw new ArgumentException($"{Vendor} makes one image per call; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > 0)
            throw new ArgumentException($"{Vendor} takes no reference images; use a variation of one image instead.", nameof(request));
        if (request.VariationOf is not null && !Capabilities.SupportsVariations)
            throw new ArgumentException($"{Vendor}'s {_model} model cannot make variations; ultra and the SD 3.5 models can.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.Prompt) || request.Prompt.Length > 10_000)
            throw new ArgumentException($"{Vendor} takes a prompt of 1 to 10,000 characters; this one has {request.Prompt?.Length ?? 0}.", nameof(request));

        var seed = StabilitySeed(request.Seeds[0]);
        var response = await _http.SendAsync(() => Message(request, seed), cancellationToken);
        var image = StabilityImages.NotFiltered(StabilityImages.Read(response, Vendor), Vendor, "the prompt");
        return [new GeneratedImage(image.Bytes, image.MediaType, image.Seed ?? seed, _model)];
    }

    private HttpRequestMessage Message(GenerationRequest request, long seed)
    {
        var form = new MultipartFormDataContent();
        var preset = _route == "core" ? StylePreset(request.Style) : null;
        var prompt = preset is null && !string.IsNullOrWhiteSpace(request.Style)
            ? $"{request.Prompt}, {request.Style.Trim().Replace('-', ' ')} style"
            : request.Prompt;
        StabilityImages.Field(form, "prompt", prompt);
        if (request.NegativePrompt is { Length: > 0 } negative && Capabilities.SupportsNegativePrompt)
            StabilityImages.Field(form, "negative_prompt", negative);
        if (request.VariationOf is { } source)
        {
            // The source sets the shape; the strength how far the new image may stray from it.
            StabilityImages.Image(form, source.Image, source.MediaType);
            StabilityImages.Field(form, "strength", source.Strength == VariationStrength.Subtle ? 0.35 : 0.7);
            if (_route == "sd3")
                StabilityImages.Field(form, "mode", "image-to-image");
        }
        else
        {
            StabilityImages.Field(form, "aspect_ratio", Capabilities.Fit(request.Size).AspectRatio ?? "1:1");
            if (_route == "sd3")
                StabilityImages.Field(form, "mode", "text-to-image");
        }
        if (_route == "sd3")
            StabilityImages.Field(form, "model", _model);
        if (preset is not null)
            StabilityImages.Field(form, "style_preset", preset);
        StabilityImages.Field(form, "seed", seed.ToString(CultureInfo.InvariantCulture));
        StabilityImages.Field(form, "output_format", request.Format.ToText());
        var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v2beta/stable-image/generate/{_route}")) { Content = form };
        _http.Bearer(message);
        message.Headers.Accept.ParseAdd("image/*");
        return message;
    }

    public void Dispose() => _http.Dispose();
}
