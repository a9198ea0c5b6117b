using System.Net.Http.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Google;

/// <summary>
/// Gemini image models through the Gemini API: <c>POST /v1beta/models/{model}:generateContent</c>
/// with the prompt, any reference images inline, and the aspect ratio. One image per call; a
/// refusal is usually a 200 without an image part, told apart by its finish or block reason.
/// </summary>
public sealed class GeminiImageProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "gemini";
    public const string DefaultModel = "gemini-2.5-flash-image";

    /// <summary>About 1,290 output tokens at $30 per million for gemini-2.5-flash-image.</summary>
    public const decimal DefaultPricePerImage = 0.039m;

    /// <summary>The aspect ratios <c>imageConfig.aspectRatio</c> accepts.</summary>
    public static IReadOnlyList<string> SupportedAspectRatios { get; } = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];

    /// <summary>Finish reasons that mean the image was withheld by Google's filters, not lost.</summary>
    internal static IReadOnlySet<string> RefusalReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "NO_IMAGE",
        "SAFETY", "PROHIBITED_CONTENT", "RECITATION", "BLOCKLIST", "SPII",
    };

    /// <summary>Media types Gemini reads inline; anything else is refused before a paid call.</summary>
    private static readonly string[] InlineTypes = ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"];

    private readonly VendorHttp _http;
    private readonly string _model;

    /// <param name="pricePerImage">US dollars per image for models priced unlike the default one.</param>
    public GeminiImageProvider(ProviderConnection connection, string? model = null, decimal? pricePerImage = null)
    {
        _model = GoogleModels.Normalize(model, DefaultModel);
        _http = new VendorHttp(connection, new GoogleErrors(connection, ProviderName));
        Capabilities = new ProviderCapabilities
        {
            Model = _model,
            MaxImagesPerCall = 1,
            MaxConcurrency = 4,
            // Paid tier 1 allows far more requests; a gentle default keeps a new project clear of 429s.
            ImagesPerMinute = 60,
            SupportsNegativePrompt = false,
            SupportsSeed = false,
            SupportsTransparentBackground = false,
            AspectRatios = SupportedAspectRatios,
            Formats = [ImageFormat.Png],
            // Google documents best results with up to three input images.
            MaxReferences = 3,
            SupportsVariations = true,
            PricePerImage = pricePerImage ?? DefaultPricePerImage,
            Timeout = connection.Timeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var vendor = _http.Connection.Vendor;
        if (request.Count != 1)
            throw new ArgumentException($"{vendor} makes one image per call; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > Capabilities.MaxReferences)
            throw new ArgumentException($"{vendor} takes at most {Capabilities.MaxReferences} reference images; {request.References.Count} were given.", nameof(request));

        var prompt = GooglePrompt.Compose(request.Prompt, request.Style);
        var parts = new List<GeminiPart>();
        if (request.VariationOf is { } source)
        {
            parts.Add(new GeminiPart { Text = GooglePrompt.Variation(prompt, source.Strength) });
            parts.Add(Inline(vendor, source.Image, source.MediaType, "the image to vary"));
        }
        else
        {
            parts.Add(new GeminiPart { Text = prompt });
        }
        foreach (var reference in request.References)
            parts.Add(Inline(vendor, reference.Bytes, reference.MediaType, $"reference {reference.Source}"));

        var aspectRatio = Capabilities.Fit(request.Size).AspectRatio!;
        var body = new GenerateContentRequest(
            [new GeminiContent("user", parts)],
            new GeminiGenerationConfig(["TEXT", "IMAGE"], new GeminiImageConfig(aspectRatio)));
        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v1beta/models/{_model}:generateContent"))
            {
                Content = JsonContent.Create(body, GoogleJsonContext.Default.GenerateContentRequest),
            };
            if (_http.Connection.ApiKey is { Length: > 0 } key)
                message.Headers.Add("x-goog-api-key", key);
            return message;
        }, cancellationToken);

        var parsed = _http.ReadJson(response, GoogleJsonContext.Default.GenerateContentResponse);
        var candidate = parsed.Candidates?.FirstOrDefault();
        // Thinking models show interim "thought" images before the final one; only the final one counts.
        var image = candidate?.Content?.Parts?.FirstOrDefault(p => p.Thought != true && p.InlineData is { Data.Length: > 0 });
        if (image?.InlineData?.Data is { } data)
            return [GoogleImages.Read(vendor, data, _model)];

        if (parsed.PromptFeedback?.BlockReason is { Length: > 0 } block && block != "BLOCK_REASON_UNSPECIFIED")
            throw Refused(vendor, block, parsed.PromptFeedback.BlockReasonMessage);
        if (candidate?.FinishReason is { } finish && RefusalReasons.Contains(finish))
            throw Refused(vendor, finish, candidate.FinishMessage);
        var words = string.Join(' ', candidate?.Content?.Parts?.Where(p => p.Thought != true && p.Text is not null).Select(p => p.Text) ?? []);
        var why = words.Length > 0 ? $": \"{VendorHttp.Short(words)}\"" : "";
        throw new ProviderException(vendor, ProviderErrorKind.Failed,
            $"{vendor} answered without an image ({candidate?.FinishReason ?? "no candidate"}){why}.", status: (int)response.Status);
    }

    private static ProviderException Refused(string vendor, string reason, string? message)
    {
        var detail = message is { Length: > 0 } ? $": {VendorHttp.Short(message).TrimEnd('.')}" : "";
        return new ProviderException(vendor, ProviderErrorKind.Refused, $"{vendor} refused the prompt ({reason}){detail}.", status: 200);
    }

    private static GeminiPart Inline(string vendor, byte[] bytes, string mediaType, string what)
    {
        if (!InlineTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            throw new ProviderException(vendor, ProviderErrorKind.Invalid,
                $"{vendor} reads PNG, JPEG, WebP or HEIC images, and {what} is {mediaType}: convert it to PNG first.");
        return new GeminiPart { InlineData = new GeminiBlob(mediaType.ToLowerInvariant(), Convert.ToBase64String(bytes)) };
    }

    public void Dispose() => _http.Dispose();
}
