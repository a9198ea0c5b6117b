using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Http;

namespace Easel.Providers.OpenAI;

/// <summary>
/// OpenAI's Images API: <c>POST /v1/images/generations</c> (JSON) and, with reference images,
/// <c>POST /v1/images/edits</c> (multipart). GPT image models always answer in base64.
/// </summary>
public sealed class OpenAIImageProvider : IImageProvider, IDisposable
{
    public const string ProviderName = "openai";
    public const string DefaultModel = "gpt-image-1.5";

    private static readonly ImageSize[] SupportedSizes = [new(1024, 1024), new(1536, 1024), new(1024, 1536)];

    private readonly VendorHttp _http;
    private readonly string _model;

    public OpenAIImageProvider(ProviderConnection connection, string? model = null)
    {
        _model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model.Trim();
        // High quality can take minutes: never give up on a call sooner than 300 s.
        connection = connection with { Timeout = connection.Timeout < TimeSpan.FromSeconds(300) ? TimeSpan.FromSeconds(300) : connection.Timeout };
        _http = new VendorHttp(connection, new OpenAIErrors(connection.Vendor, connection.Time));
        Capabilities = new ProviderCapabilities
        {
            Model = _model,
            MaxImagesPerCall = 10,
            MaxConcurrency = 4,
            ImagesPerMinute = 20,
            SupportsNegativePrompt = false,
            SupportsSeed = false,
            SupportsTransparentBackground = true,
            Sizes = SupportedSizes,
            Formats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp],
            SupportsQuality = true,
            MaxReferences = 16,
            Timeout = connection.Timeout,
            Price = PriceFor,
        };
    }

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; }

    /// <summary>gpt-image prices per 1024² image (low, medium, high; auto billed as medium); other sizes cost about 1.5 times as much.</summary>
    public static decimal PriceFor(ImageQuality quality, ImageSize size)
    {
        var square = quality switch
        {
            ImageQuality.Low => 0.011m,
            ImageQuality.High => 0.167m,
            _ => 0.042m,
        };
        return size.Width == size.Height ? square : decimal.Round(square * 1.5m, 4);
    }

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"OpenAI makes at most {Capabilities.MaxImagesPerCall} images per call; {request.Count} were asked for.", nameof(request));
        var size = $"{request.Size.Width}x{request.Size.Height}";
        var format = request.Format.ToText();
        var quality = request.Quality.ToText();
        var background = request.Background == Background.Transparent ? "transparent" : "opaque";
        // The Images API has no style field; the model reads it in the prompt.
        var prompt = request.Style is { Length: > 0 } style ? $"{request.Prompt}\n\nStyle: {style}." : request.Prompt;

        VendorResponse response;
        if (request.References.Count == 0)
        {
            var body = new ImagesRequest
            {
                Model = _model, Prompt = prompt, N = request.Count, Size = size, Quality = quality, Background = background, OutputFormat = format,
            };
            response = await _http.SendAsync(() =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("v1/images/generations"))
                {
                    Content = JsonContent.Create(body, OpenAIJsonContext.Default.ImagesRequest),
                };
                _http.Bearer(message);
                return message;
            }, cancellationToken);
        }
        else
        {
            response = await _http.SendAsync(() =>
            {
                var form = new MultipartFormDataContent();
                foreach (var (reference, i) in request.References.Select((r, i) => (r, i)))
                {
                    var part = new ByteArrayContent(reference.Bytes);
                    part.Headers.ContentType = new MediaTypeHeaderValue(reference.MediaType);
                    form.Add(part, "image[]", $"reference-{i + 1}.{reference.MediaType.Split('/')[1]}");
                }
                form.Add(new StringContent(_model), "model");
                form.Add(new StringContent(prompt), "prompt");
                form.Add(new StringContent(request.Count.ToString(CultureInfo.InvariantCulture)), "n");
                form.Add(new StringContent(size), "size");
                form.Add(new StringContent(quality), "quality");
                form.Add(new StringContent(background), "background");
                form.Add(new StringContent(format), "output_format");
                var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url("v1/images/edits")) { Content = form };
                _http.Bearer(message);
                return message;
            }, cancellationToken);
        }

        var parsed = _http.ReadJson(response, OpenAIJsonContext.Default.ImagesResponse);
        var images = new List<GeneratedImage>();
        foreach (var data in parsed.Data ?? [])
        {
            if (data.B64Json is not { Length: > 0 } b64)
                continue; // filtered out
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(b64);
            }
            catch (FormatException)
            {
                throw new ProviderException(Name, ProviderErrorKind.Failed, $"OpenAI returned an image that is not valid base64{VendorHttp.RequestIdText(response.RequestId)}.", response.RequestId);
            }
            var header = ImageHeader.Read(bytes);
            images.Add(new GeneratedImage(bytes, header.MediaType, Seed: null, _model));
        }
        if (images.Count == 0)
            throw new ProviderException(_http.Connection.Vendor, ProviderErrorKind.Refused, $"OpenAI refused the prompt (no image came back{VendorHttp.RequestIdText(response.RequestId)}).", response.RequestId);
        return images;
    }

    public void Dispose() => _http.Dispose();
}
