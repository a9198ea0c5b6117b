using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Automatic1111;

/// <summary>
/// The web UI's "Extras" upscaling, <c>POST /sdapi/v1/extra-single-image</c>: an upscaling model
/// (R-ESRGAN by default) enlarges by 2 or 4. Free, on the user's own GPU.
/// </summary>
public sealed class Automatic1111Upscaler : IImageUpscaler, IDisposable
{
    public const string UpscalerName = "automatic1111-upscale";
    public const string DefaultUpscaler = "R-ESRGAN 4x+";

    private readonly Automatic1111Client _client;

    /// <param name="upscaler">A name from <c>GET /sdapi/v1/upscalers</c>; <see cref="DefaultUpscaler"/> when null.</param>
    public Automatic1111Upscaler(ProviderConnection connection, string? upscaler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Model = string.IsNullOrWhiteSpace(upscaler) ? DefaultUpscaler : upscaler.Trim();
        _client = new Automatic1111Client(connection);
    }

    public string Name => UpscalerName;

    public string Model { get; }

    public IReadOnlyList<int> Scales { get; } = [2, 4];

    /// <summary>The web UI sets no limit of its own; this keeps results within what Easel stores and shows.</summary>
    public int MaxOutputSide => 8192;

    public decimal PricePerImage => 0m;

    public async Task<GeneratedImage> UpscaleAsync(byte[] image, string mediaType, int scale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!Scales.Contains(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"{_client.Vendor} upscaling enlarges by 2 or 4; {scale} was asked for.");
        var body = new UpscaleRequest { Image = Convert.ToBase64String(image), UpscalingResize = scale, Upscaler1 = Model };
        var response = await _client.PostAsync("sdapi/v1/extra-single-image", body,
            Automatic1111JsonContext.Default.UpscaleRequest, Automatic1111JsonContext.Default.UpscaleResponse, cancellationToken);
        if (response.Image is not { Length: > 0 } b64)
            throw new ProviderException(_client.Vendor, ProviderErrorKind.Failed, $"{_client.Vendor} answered the upscale without an image.");
        var (bytes, type) = _client.Image(b64);
        return new GeneratedImage(bytes, type, Seed: null, Model);
    }

    public void Dispose() => _client.Dispose();
}
