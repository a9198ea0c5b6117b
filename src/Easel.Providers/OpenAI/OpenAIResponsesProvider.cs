using System.Net.Http.Json;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Formats;
using Easel.Providers.Http;

namespace Easel.Providers.OpenAI;

/// <summary>
/// OpenAI's Responses API with the <c>image_generation</c> tool: <c>POST /v1/responses</c>, one
/// image per call. Each answer has a response id, and a later call can pass it as
/// <c>previous_response_id</c> to edit that image further (the quality loop does this), so the
/// reference images go with the first turn only.
/// </summary>
public sealed class OpenAIResponsesProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "openai-responses";

    /// <summary>The mainline model that calls the image tool; the tool's own GPT Image model is OpenAI's choice unless set.</summary>
    public const string DefaultModel = "gpt-5";

    /// <summary>Input images one turn may carry, as for the Images API's edits.</summary>
    public const int MaxReferenceImages = 16;

    private static readonly ImageSize[] SupportedSizes = [new(1024, 1024), new(1536, 1024), new(1024, 1536)];

    private readonly VendorHttp _http;
    private readonly string _model;
    private readonly string? _imageModel;

    /// <param name="model">The mainline model (default <see cref="DefaultModel"/>).</param>
    /// <param name="imageModel">The GPT Image model the tool uses ("gpt-image-1.5"); null lets OpenAI choose.</param>
    public OpenAIResponsesProvider(ProviderConnection connection, string? model = null, string? imageModel = null)
    {
        _model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        _imageModel = string.IsNullOrWhiteSpace(imageModel) ? null : imageModel.Trim();
        // The image tool can take minutes: never give up on a call sooner than 300 s.
        connection = connection with { Timeout = connection.Timeout < TimeSpan.FromSeconds(300) ? TimeSpan.FromSeconds(300) : connection.Timeout };
        _http = new VendorHttp(connection, new OpenAIErrors(connection.Vendor, connection.Time, ProviderName));
        Capabilities = new ProviderCapabilities
        {
            Model = _model,
            MaxImagesPerCall = 1,
            MaxConcurrency = 4,
            ImagesPerMinute = 20,
            SupportsNegativePrompt = false,
            SupportsSeed = false,
            SupportsTransparentBackground = true,
            Sizes = SupportedSizes,
            Formats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp],
            SupportsQuality = true,
            MaxReferences = MaxReferenceImages,
            SupportsPreviousResponse = true,
            // The image is billed as by the Images API; the mainline model's tokens come on top.
            Price = OpenAIImageProvider.PriceFor,
            // High quality can take minutes.
            Timeout = connection.Timeout < TimeSpan.FromSeconds(300) ? TimeSpan.FromSeconds(300) : connection.Timeout,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    private string Vendor => _http.Connection.Vendor;

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        Check(request);
        var body = Body(request);
        // Judged inside the retries: a rate limit or server error reported in a 200 body is retried like a 429 or 5xx.
        return await _http.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("v1/responses"))
            {
                Content = JsonContent.Create(body, OpenAIResponsesJsonContext.Default.ResponsesRequest),
            };
            _http.Bearer(message);
            return message;
        }, response => (IReadOnlyList<GeneratedImage>)[Image(_http.ReadJson(response, OpenAIResponsesJsonContext.Default.ResponsesResponse), response.RequestId)],
        cancellationToken);
    }

    private void Check(GenerationRequest request)
    {
        if (request.Count != 1)
            throw new ArgumentException($"{Vendor}'s image tool makes one image per call; {request.Count} were asked for.", nameof(request));
        if (!SupportedSizes.Contains(request.Size))
            throw new ArgumentException($"{Vendor}'s image tool makes {string.Join(", ", SupportedSizes)} images; {request.Size} was asked for.", nameof(request));
        if (request.Background == Background.Transparent && request.Format == ImageFormat.Jpeg)
            throw new ArgumentException("A JPEG cannot be transparent: ask for png or webp.", nameof(request));
        if (request.PreviousResponseId is null && request.References.Count > MaxReferenceImages)
            throw new ArgumentException($"{Vendor}'s image tool takes at most {MaxReferenceImages} reference images; {request.References.Count} were given.", nameof(request));
        if (request.VariationOf is not null || request.UpscaleOf is not null)
            throw new ArgumentException($"{Vendor}'s image tool makes neither variations nor enlargements of an image.", nameof(request));
    }

    private ResponsesRequest Body(GenerationRequest request)
    {
        // The mainline model reads the input, so a named style can simply be said.
        var text = request.Style is { Length: > 0 } style ? $"{request.Prompt}\n\nStyle: {style}." : request.Prompt;
        var content = new List<ResponsesInputContent> { new() { Type = "input_text", Text = text } };
        // A later turn continues from a response that already holds the references.
        if (request.PreviousResponseId is null)
        {
            foreach (var reference in request.References)
            {
                content.Add(new ResponsesInputContent
                {
                    Type = "input_image",
                    ImageUrl = $"data:{reference.MediaType};base64,{Convert.ToBase64String(reference.Bytes)}",
                    Detail = "auto",
                });
            }
        }
        return new ResponsesRequest
        {
            Model = _model,
            Input = [new ResponsesInputMessage("user", content)],
            Tools =
            [
                new ImageGenerationTool
                {
                    Model = _imageModel,
                    Size = request.Size.ToString(),
                    Quality = request.Quality.ToText(),
                    OutputFormat = request.Format.ToText(),
                    Background = request.Background == Background.Transparent ? "transparent" : "opaque",
                },
            ],
            ToolChoice = new ResponsesToolChoice("image_generation"),
            PreviousResponseId = request.PreviousResponseId,
        };
    }

    /// <summary>The image in a response, or why there is none, in plain words.</summary>
    private GeneratedImage Image(ResponsesResponse response, string? requestId)
    {
        var id = VendorHttp.RequestIdText(requestId);
        switch (response.Status)
        {
            case null or "completed":
                break;
            case "failed":
                throw Failure(response.Error, requestId);
            case "incomplete":
                throw new ProviderException(Vendor, ProviderErrorKind.Refused,
                    $"{Vendor} refused the prompt (incomplete: {response.IncompleteDetails?.Reason ?? "no reason given"}{id}).", requestId, status: 200);
            default:
                // A call without background mode should never end unfinished.
                throw new ProviderException(Vendor, ProviderErrorKind.Failed,
                    $"{Vendor} answered before the image was made (status {response.Status}{id}).", requestId, status: 200);
        }

        var call = response.Output?.FirstOrDefault(o => o.Type == "image_generation_call" && o.Result is { Length: > 0 });
        if (call?.Result is not { } b64)
        {
            var said = string.Join(' ', (response.Output ?? [])
                .Where(o => o.Type == "message")
                .SelectMany(o => o.Content ?? [])
                .Select(c => c.Text ?? c.Refusal)
                .Where(t => !string.IsNullOrWhiteSpace(t)));
            var reason = said.Length == 0 ? "no image came back" : $"no image: {VendorHttp.Short(said).TrimEnd('.')}";
            throw new ProviderException(Vendor, ProviderErrorKind.Refused, $"{Vendor} refused the prompt ({reason}{id}).", requestId, status: 200);
        }

        byte[] bytes;
        ImageHeaderInfo header;
        try
        {
            bytes = Convert.FromBase64String(b64);
            header = ImageHeader.Read(bytes);
        }
        catch (Exception ex) when (ex is FormatException or ImageFormatException)
        {
            throw new ProviderException(Vendor, ProviderErrorKind.Failed,
                $"{Vendor} returned an image Easel cannot read ({VendorHttp.Short(ex.Message).TrimEnd('.')}{id}).", requestId, status: 200, inner: ex);
        }
        return new GeneratedImage(bytes, header.MediaType, Seed: null, _model, response.Id);
    }

    /// <summary>A response that ended as <c>failed</c>: its error code says whether it was refused, throttled or broken.</summary>
    private ProviderException Failure(ResponsesError? error, string? requestId)
    {
        var code = error?.Code;
        var tag = code ?? "failed";
        var id = VendorHttp.RequestIdText(requestId);
        var detail = error?.Message is { Length: > 0 } m ? $": {VendorHttp.Short(m).TrimEnd('.')}" : "";
        var kind = code switch
        {
            "rate_limit_exceeded" => ProviderErrorKind.RateLimited,
            "server_error" => ProviderErrorKind.Unavailable,
            "insufficient_quota" => ProviderErrorKind.QuotaExceeded,
            // invalid_prompt is how a flagged prompt comes back; the rest of the image_* and invalid_* codes are about the input images.
            "invalid_prompt" => ProviderErrorKind.Refused,
            not null when code.StartsWith("image_", StringComparison.Ordinal) && code != "image_content_policy_violation"
                || code.StartsWith("invalid_", StringComparison.Ordinal)
                || code is "unsupported_image_media_type" or "empty_image_file" or "failed_to_download_image" => ProviderErrorKind.Invalid,
            // image_content_policy_violation, or a failure that gives no reason.
            _ => ProviderErrorKind.Refused,
        };
        var text = kind switch
        {
            ProviderErrorKind.RateLimited => $"{Vendor} is rate-limiting these calls ({tag}{id}){detail}.",
            ProviderErrorKind.Unavailable => $"{Vendor} failed with a server error ({tag}{id}){detail}.",
            ProviderErrorKind.QuotaExceeded => $"{Vendor} says the account has no quota left ({tag}{id}){detail}.",
            ProviderErrorKind.Invalid => $"{Vendor} rejected the request ({tag}{id}){detail}.",
            _ => $"{Vendor} refused the prompt ({tag}{id}){detail}.",
        };
        return new ProviderException(Vendor, kind, text, requestId, status: 200);
    }

    public void Dispose() => _http.Dispose();
}
