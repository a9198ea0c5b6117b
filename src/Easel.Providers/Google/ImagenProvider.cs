using System.Net.Http.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Google;

/// <summary>
/// Imagen through the Gemini API: <c>POST /v1beta/models/{model}:predict</c>, up to four images a
/// call. Images the safety filter withholds come back as <c>raiFilteredReason</c> (or not at all):
/// the rest are returned, and a call that lost every image is a refusal.
/// </summary>
public sealed class ImagenProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "imagen";
    public const string DefaultModel = "imagen-4.0-generate-001";

    /// <summary>The aspect ratios <c>parameters.aspectRatio</c> accepts.</summary>
    public static IReadOnlyList<string> SupportedAspectRatios { get; } = ["1:1", "3:4", "4:3", "9:16", "16:9"];

    /// <summary>Adults may appear; children are not generated (the setting allowed in every region).</summary>
    private const string PersonGeneration = "allow_adult";

    private readonly VendorHttp _http;
    private readonly string _model;

    public ImagenProvider(ProviderConnection connection, string? model = null)
    {
        _model = GoogleModels.Normalize(model, DefaultModel);
        _http = new VendorHttp(connection, new GoogleErrors(connection, ProviderName));
        Capabilities = new ProviderCapabilities
        {
            Model = _model,
            MaxImagesPerCall = 4,
            MaxConcurrency = 2,
            // Tier 1 allows about ten requests a minute.
            ImagesPerMinute = 20,
            SupportsNegativePrompt = false,
            SupportsSeed = false,
            SupportsTransparentBackground = false,
            AspectRatios = SupportedAspectRatios,
            Formats = [ImageFormat.Png],
            PricePerImage = PriceFor(_model),
            Timeout = connection.Timeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    /// <summary>US dollars per image by model family: fast $0.02, standard $0.04, ultra $0.06.</summary>
    public static decimal PriceFor(string model)
    {
        if (model.Contains("ultra", StringComparison.OrdinalIgnoreCase))
            return 0.06m;
        if (model.Contains("fast", StringComparison.OrdinalIgnoreCase))
            return 0.02m;
        return 0.04m;
    }

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var vendor = _http.Connection.Vendor;
        if (request.Count is < 1 or > 4)
            throw new ArgumentException($"{vendor} makes 1 to 4 images per call; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > 0 || request.VariationOf is not null)
            throw new ArgumentException($"{vendor} makes images from words alone: it takes no reference image or image to vary.", nameof(request));

        var body = new PredictRequest(
            [new ImagenInstance(GooglePrompt.Compose(request.Prompt, request.Style))],
            new ImagenParameters(request.Count, Capabilities.Fit(request.Size).AspectRatio!, PersonGeneration, IncludeRaiReason: true));
        var response = await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v1beta/models/{_model}:predict"))
            {
                Content = JsonContent.Create(body, GoogleJsonContext.Default.PredictRequest),
            };
            if (_http.Connection.ApiKey is { Length: > 0 } key)
                message.Headers.Add("x-goog-api-key", key);
            return message;
        }, cancellationToken);

        var parsed = _http.ReadJson(response, GoogleJsonContext.Default.PredictResponse);
        var images = new List<GeneratedImage>();
        string? filtered = null;
        foreach (var prediction in parsed.Predictions ?? [])
        {
            if (prediction.BytesBase64Encoded is { Length: > 0 } data)
                images.Add(GoogleImages.Read(vendor, data, _model));
            else
                filtered ??= prediction.RaiFilteredReason;
        }
        if (images.Count == 0)
        {
            var reason = filtered is { Length: > 0 } ? VendorHttp.Short(filtered).TrimEnd('.') : "no image came back";
            throw new ProviderException(vendor, ProviderErrorKind.Refused, $"{vendor} refused the prompt ({reason}).", status: (int)response.Status);
        }
        // Never more than asked for, should the service ever send extra.
        return images.Count > request.Count ? images[..request.Count] : images;
    }

    public void Dispose() => _http.Dispose();
}
