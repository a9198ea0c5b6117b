using System.Globalization;
using System.Net;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Formats;
using Easel.Imaging.Png;
using Easel.Imaging.Resampling;
using Easel.Providers.Http;

namespace Easel.Providers.Stability;

/// <summary>Stability AI's three upscale routes.</summary>
public enum StabilityUpscaleMode
{
    /// <summary><c>/upscale/fast</c>: synchronous, always 4x, inputs 32-1536 px a side.</summary>
    Fast,

    /// <summary><c>/upscale/conservative</c>: synchronous, keeps the image as it is while adding detail.</summary>
    Conservative,

    /// <summary><c>/upscale/creative</c>: a job to poll; reimagines fine detail.</summary>
    Creative,
}

/// <summary>What the conservative and creative upscales are told, and what an upscale costs.</summary>
public sealed record StabilityUpscalerOptions
{
    /// <summary>A description that suits any image; an installation may give a better one.</summary>
    public const string DefaultPrompt = "a sharp, detailed, high quality image";

    /// <summary>What the image shows: the conservative and creative routes require a prompt.</summary>
    public string Prompt { get; init; } = DefaultPrompt;

    /// <summary>How much detail may be invented: conservative 0.2-0.5 (default 0.35), creative 0.1-0.5 (default 0.3).</summary>
    public double? Creativity { get; init; }

    /// <summary>Price of one upscale in US dollars; null takes the published credits (fast 2, conservative 40, creative 60).</summary>
    public decimal? PricePerImage { get; init; }
}

/// <summary>
/// Stability AI's upscalers as <see cref="IImageUpscaler"/>s: "stability-fast",
/// "stability-conservative" and "stability-creative", each enlarging 2x or 4x.
/// </summary>
/// <remarks>
/// Stability decides the output size: fast always makes 4x, conservative and creative about 4
/// megapixels (up to 4K) whatever the input. So that "2x" means twice the width and height, a
/// result of another size is resampled (Lanczos-3) to exactly the factor asked; a 2x fast upscale
/// is the 4x one brought down. Conservative and creative take inputs of 64 px a side up to 1
/// megapixel, from 1:2.5 to 2.5:1. The
/// creative route answers with a job id and is polled at <c>/v2beta/results/{id}</c>: 202 while it
/// runs, the image when done, 404 once the result has expired. It has no journal to resume from,
/// so an interrupted creative upscale is paid again when retried.
/// </remarks>
public sealed class StabilityUpscaler : IImageUpscaler, IDisposable
{
    public const string FastName = "stability-fast";
    public const string ConservativeName = "stability-conservative";
    public const string CreativeName = "stability-creative";

    private const int MaxRequestBytes = 10 * 1024 * 1024;
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestPollDelay = TimeSpan.FromSeconds(10);

    private readonly VendorHttp _http;
    private readonly StabilityUpscaleMode _mode;
    private readonly StabilityUpscalerOptions _options;
    private readonly double _creativity;

    public StabilityUpscaler(ProviderConnection connection, StabilityUpscaleMode mode, StabilityUpscalerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown Stability AI upscale mode.");
        _mode = mode;
        _options = options ?? new StabilityUpscalerOptions();
        var (low, high, fallback) = mode == StabilityUpscaleMode.Creative ? (0.1, 0.5, 0.3) : (0.2, 0.5, 0.35);
        _creativity = _options.Creativity ?? fallback;
        if (mode != StabilityUpscaleMode.Fast && (_creativity < low || _creativity > high))
            throw new ArgumentOutOfRangeException(nameof(options), _creativity, $"Stability AI's {Model} upscale takes a creativity from {low} to {high}.");
        if (mode != StabilityUpscaleMode.Fast && string.IsNullOrWhiteSpace(_options.Prompt))
            throw new ArgumentException($"Stability AI's {Model} upscale needs a prompt describing the image.", nameof(options));
        _http = new VendorHttp(connection, new StabilityErrors(connection.Vendor, connection.Time));
    }

    public string Name => _mode switch
    {
        StabilityUpscaleMode.Fast => FastName,
        StabilityUpscaleMode.Conservative => ConservativeName,
        _ => CreativeName,
    };

    public string Model => _mode.ToString().ToLowerInvariant();

    public IReadOnlyList<int> Scales { get; } = [2, 4];

    public int MaxOutputSide => _mode == StabilityUpscaleMode.Fast ? 1536 * 4 : 4096;

    public decimal PricePerImage => _options.PricePerImage ?? _mode switch
    {
        StabilityUpscaleMode.Fast => 0.02m,
        StabilityUpscaleMode.Conservative => 0.40m,
        _ => 0.60m,
    };

    private string Vendor => _http.Connection.Vendor;

    public async Task<GeneratedImage> UpscaleAsync(byte[] image, string mediaType, int scale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var header = Check(image, scale);
        var started = _http.Connection.Time.GetTimestamp();
        var response = await _http.SendAsync(() => Message(image, header.MediaType), cancellationToken);
        if (_mode == StabilityUpscaleMode.Creative)
            response = await ResultAsync(JobId(response), started, cancellationToken);
        var result = StabilityImages.NotFiltered(StabilityImages.Read(response, Vendor), Vendor, "to upscale the image");
        var bytes = ToExactScale(result, header.Width * scale, header.Height * scale);
        // Seed 0 is Stability's "none".
        return new GeneratedImage(bytes, result.MediaType, result.Seed is > 0 ? result.Seed : null, Model);
    }

    /// <summary>The input's header, after checking it is one Stability takes for this mode and factor.</summary>
    private ImageHeaderInfo Check(byte[] image, int scale)
    {
        if (!Scales.Contains(scale))
            throw new ArgumentException($"{Name} enlarges by {string.Join(" or ", Scales)}; {scale} was asked for.", nameof(scale));
        var header = ImageHeader.Read(image);
        if (header.Format is not (ImageFileFormat.Png or ImageFileFormat.Jpeg or ImageFileFormat.WebP))
            throw new ArgumentException($"{Name} takes PNG, JPEG or WebP images; this one is {header.MediaType}.", nameof(image));
        if (image.Length > MaxRequestBytes - 64 * 1024)
            throw new ArgumentException($"{Name} takes images under 10 MiB; this one is {image.Length / (1024.0 * 1024):0.#} MiB.", nameof(image));
        var size = $"{header.Width}x{header.Height}";
        if (_mode == StabilityUpscaleMode.Fast)
        {
            if (header.Width is < 32 or > 1536 || header.Height is < 32 or > 1536 || header.Pixels is < 1024 or > 1_048_576)
                throw new ArgumentException($"{Name} takes images 32 to 1536 pixels a side and at most 1 megapixel; this one is {size}.", nameof(image));
            return header;
        }
        if (header.Width < 64 || header.Height < 64 || header.Pixels > 1_048_576)
            throw new ArgumentException($"{Name} takes images at least 64 pixels a side and at most 1 megapixel; this one is {size}.", nameof(image));
        var ratio = (double)header.Width / header.Height;
        if (ratio is < 0.4 or > 2.5)
            throw new ArgumentException($"{Name} takes images from 1:2.5 to 2.5:1; this one is {size}.", nameof(image));
        if (header.Width * scale > MaxOutputSide || header.Height * scale > MaxOutputSide)
            throw new ArgumentException($"{Name} makes images up to {MaxOutputSide} pixels a side; {size} enlarged {scale}x would be larger.", nameof(scale));
        return header;
    }

    private HttpRequestMessage Message(byte[] image, string mediaType)
    {
        var form = new MultipartFormDataContent();
        StabilityImages.Image(form, image, mediaType);
        if (_mode != StabilityUpscaleMode.Fast)
        {
            StabilityImages.Field(form, "prompt", _options.Prompt);
            StabilityImages.Field(form, "creativity", _creativity);
        }
        // PNG, so the result can be brought to the exact factor here.
        StabilityImages.Field(form, "output_format", "png");
        var message = new HttpRequestMessage(HttpMethod.Post, _http.Connection.Url($"v2beta/stable-image/upscale/{Model}")) { Content = form };
        _http.Bearer(message);
        message.Headers.Accept.ParseAdd(_mode == StabilityUpscaleMode.Creative ? "application/json" : "image/*");
        return message;
    }

    private string JobId(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
            // Reported below.
        }
        throw new ProviderException(Vendor, ProviderErrorKind.Failed,
            $"{Vendor} started the creative upscale but sent no job id to collect it by{VendorHttp.RequestIdText(response.RequestId)}.", response.RequestId, status: (int)response.Status);
    }

    /// <summary>Polls the creative job with backoff until its image is ready, within the connection's timeout.</summary>
    private async Task<VendorResponse> ResultAsync(string id, long started, CancellationToken cancellationToken)
    {
        var time = _http.Connection.Time;
        var budget = _http.Connection.Timeout;
        var delay = FirstPollDelay;
        var waited = TimeSpan.Zero;
        while (true)
        {
            // Waits count even under a clock that does not move (tests), so polling always ends.
            var elapsed = time.GetElapsedTime(started);
            if ((elapsed > waited ? elapsed : waited) + delay > budget)
                throw new ProviderException(Vendor, ProviderErrorKind.Timeout,
                    $"{Vendor}'s creative upscale {id} did not finish within {budget.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.", id);
            await Task.Delay(delay, time, cancellationToken);
            waited += delay;
            delay = delay * 2 < LongestPollDelay ? delay * 2 : LongestPollDelay;
            VendorResponse response;
            try
            {
                response = await _http.SendAsync(() =>
                {
                    var message = new HttpRequestMessage(HttpMethod.Get, _http.Connection.Url($"v2beta/results/{Uri.EscapeDataString(id)}"));
                    _http.Bearer(message);
                    message.Headers.Accept.ParseAdd("image/*");
                    return message;
                }, cancellationToken);
            }
            catch (ProviderException ex) when (ex.Kind == ProviderErrorKind.NotFound)
            {
                throw new ProviderException(Vendor, ProviderErrorKind.NotFound,
                    $"{Vendor} has no result for creative upscale {id} (404{VendorHttp.RequestIdText(ex.RequestId)}): it expired or never existed, so the upscale must be started again.",
                    ex.RequestId, status: 404, inner: ex);
            }
            if (response.Status != HttpStatusCode.Accepted)
                return response;
        }
    }

    /// <summary>The result resampled to exactly <paramref name="width"/> x <paramref name="height"/> when Stability made another size.</summary>
    private byte[] ToExactScale(StabilityImage result, int width, int height)
    {
        if (result.MediaType != "image/png")
            return result.Bytes;
        var header = ImageHeader.Read(result.Bytes);
        if (header.Width == width && header.Height == height)
            return result.Bytes;
        try
        {
            var decoded = PngDecoder.Decode(result.Bytes).Image;
            return PngEncoder.Encode(Resampler.Resize(decoded, width, height));
        }
        catch (Exception ex) when (ex is ImageFormatException or InvalidDataException)
        {
            throw new ProviderException(Vendor, ProviderErrorKind.Failed,
                $"{Vendor} returned an upscaled PNG Easel cannot decode ({ex.Message.TrimEnd('.')}{VendorHttp.RequestIdText(result.RequestId)}).", result.RequestId, inner: ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
