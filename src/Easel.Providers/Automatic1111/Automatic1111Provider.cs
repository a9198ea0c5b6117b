using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Automatic1111;

/// <summary>
/// A Stable Diffusion web UI (AUTOMATIC1111, or a fork with its API such as Forge) on the user's own
/// machine: <c>POST /sdapi/v1/txt2img</c>, and <c>/sdapi/v1/img2img</c> when a reference image or the
/// parent of a variation is the starting point. Free, one call at a time (the server runs them one
/// after another anyway), seeded: a batch starting at seed s makes s, s+1, …, read back from <c>info</c>.
/// </summary>
public sealed class Automatic1111Provider : IImageProvider, IDisposable
{
    public const string ProviderName = "automatic1111";

    /// <summary>The model name reported when none is configured: whichever checkpoint the server has loaded.</summary>
    public const string LoadedCheckpoint = "loaded-checkpoint";

    /// <summary>Largest side the web UI's sliders allow; sides are multiples of 8.</summary>
    public const int LargestSide = 2048;

    private readonly Automatic1111Client _client;
    private readonly Automatic1111Options _options;
    private readonly string? _checkpoint;

    /// <param name="model">A checkpoint title from <c>GET /sdapi/v1/sd-models</c>, loaded for each call; null uses the one the server has loaded.</param>
    /// <param name="options">Sampling settings and image-to-image strengths; the defaults when null.</param>
    public Automatic1111Provider(ProviderConnection connection, string? model = null, Automatic1111Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new Automatic1111Options();
        _options.Validate();
        _checkpoint = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
        _client = new Automatic1111Client(connection);
        Capabilities = new ProviderCapabilities
        {
            Model = _checkpoint ?? LoadedCheckpoint,
            MaxImagesPerCall = _options.MaxImagesPerCall,
            MaxConcurrency = 1,
            ImagesPerMinute = null,
            SupportsNegativePrompt = true,
            SupportsSeed = true,
            SupportsTransparentBackground = false,
            MinSide = ImageSize.MinSide,
            MaxSide = LargestSide,
            // img2img starts from one image.
            MaxReferences = 1,
            SupportsVariations = true,
            PricePerImage = 0m,
            Formats = [ImageFormat.Png],
            Timeout = connection.Timeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var vendor = _client.Vendor;
        if (request.Count < 1 || request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"{vendor} makes 1 to {Capabilities.MaxImagesPerCall} images per call here; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > Capabilities.MaxReferences)
            throw new ArgumentException($"{vendor} starts image-to-image from one reference image; {request.References.Count} were given.", nameof(request));
        var size = Fit(request.Size, vendor);

        // A variation starts from its parent; otherwise a reference, if any, is the starting point.
        (byte[] Image, double Strength)? init = request.VariationOf is { } parent
            ? (parent.Image, parent.Strength == VariationStrength.Subtle ? _options.SubtleVariationStrength : _options.StrongVariationStrength)
            : request.References.Count > 0 ? (request.References[0].Bytes, _options.ReferenceStrength) : null;

        var body = new DiffusionRequest
        {
            Prompt = WithStyle(request.Prompt, request.Style),
            NegativePrompt = string.IsNullOrWhiteSpace(request.NegativePrompt) ? null : request.NegativePrompt,
            Seed = request.Seeds[0],
            BatchSize = request.Count,
            NIter = 1,
            Steps = _options.Steps,
            CfgScale = _options.CfgScale,
            SamplerName = _options.Sampler,
            Scheduler = _options.Scheduler,
            Width = size.Width,
            Height = size.Height,
            SendImages = true,
            SaveImages = false,
            InitImages = init is { } i ? [Convert.ToBase64String(i.Image)] : null,
            DenoisingStrength = init?.Strength,
            OverrideSettings = _checkpoint is null ? null : new OverrideSettings(_checkpoint),
        };
        var path = init is null ? "sdapi/v1/txt2img" : "sdapi/v1/img2img";
        var response = await _client.PostAsync(path, body,
            Automatic1111JsonContext.Default.DiffusionRequest, Automatic1111JsonContext.Default.DiffusionResponse, cancellationToken);

        var info = ReadInfo(response.Info);
        var first = Math.Max(0, info?.IndexOfFirstImage ?? 0);
        // Extensions (ControlNet's maps) append images after the batch; a grid, when returned, comes first.
        var batch = (response.Images ?? []).Skip(first).Take(request.Count).ToList();
        if (batch.Count == 0)
            throw new ProviderException(vendor, ProviderErrorKind.Failed, $"{vendor} answered without images (is send_images disabled by an extension?).");
        var model = info?.SdModelName is { Length: > 0 } loaded ? loaded : Capabilities.Model;
        var images = new List<GeneratedImage>(batch.Count);
        for (var k = 0; k < batch.Count; k++)
        {
            var (bytes, mediaType) = _client.Image(batch[k]);
            images.Add(new GeneratedImage(bytes, mediaType, SeedOf(k, info, body.Seed), model));
        }
        return images;
    }

    /// <summary>The seed that made image <paramref name="k"/>: the server's own record, else first seed + k as it assigns them.</summary>
    private static long? SeedOf(int k, DiffusionInfo? info, long firstSeed)
    {
        if (info?.AllSeeds is { } all && k < all.Count)
            return all[k];
        if (info?.Seed is { } seed)
            return seed + k;
        return firstSeed >= 0 ? firstSeed + k : null;
    }

    /// <summary><c>info</c> as the web UI writes it (a JSON string), or null when it is missing or unreadable: the images matter more.</summary>
    private static DiffusionInfo? ReadInfo(JsonElement? info)
    {
        try
        {
            return info switch
            {
                { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } text => JsonSerializer.Deserialize(text, Automatic1111JsonContext.Default.DiffusionInfo),
                { ValueKind: JsonValueKind.Object } o => o.Deserialize(Automatic1111JsonContext.Default.DiffusionInfo),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The web UI draws sides that are multiples of 8 (the latent is an eighth of the image).</summary>
    private ImageSize Fit(ImageSize size, string vendor)
    {
        if (size.Width < Capabilities.MinSide || size.Height < Capabilities.MinSide || size.Width > Capabilities.MaxSide || size.Height > Capabilities.MaxSide)
            throw new ArgumentException($"{vendor} draws sides of {Capabilities.MinSide} to {Capabilities.MaxSide} pixels; {size} is outside that.", "request");
        return new ImageSize(RoundTo8(size.Width), RoundTo8(size.Height));
    }

    private int RoundTo8(int side) => Math.Clamp((side + 4) / 8 * 8, Capabilities.MinSide, Capabilities.MaxSide);

    /// <summary>Diffusion models take style as words in the prompt ("watercolor style").</summary>
    private static string WithStyle(string prompt, string? style) =>
        string.IsNullOrWhiteSpace(style) ? prompt : $"{prompt}, {style.Trim().Replace('-', ' ')} style";

    public void Dispose() => _client.Dispose();
}
