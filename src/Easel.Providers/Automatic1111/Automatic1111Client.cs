using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Http;

namespace Easel.Providers.Automatic1111;

/// <summary>
/// JSON calls to one AUTOMATIC1111 web UI, shared by the image provider and the upscaler: optional
/// HTTP Basic credentials (the <c>--api-auth user:password</c> the server was started with) and a
/// hint about <c>--api</c> when the server cannot be reached.
/// </summary>
internal sealed class Automatic1111Client : IDisposable
{
    private readonly VendorHttp _http;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string? _credentialsProblem;

    public Automatic1111Client(ProviderConnection connection)
    {
        // The web UI keeps rendering after a client gives up: a retried timeout would queue the same job again.
        _http = new VendorHttp(connection with { Retry = connection.Retry with { RetryTimeouts = false } }, new Automatic1111Errors(connection.Vendor, connection.Time));
        if (connection.ApiKey is { Length: > 0 } key)
        {
            // The web UI splits --api-auth on ':' and has no other kind of key.
            if (key.IndexOf(':') <= 0)
                _credentialsProblem = $"{connection.Vendor} takes HTTP Basic credentials as user:password (what the server's --api-auth was given), and the configured key has no user part: check Providers:automatic1111:ApiKey.";
            else
                _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key)));
        }
    }

    public string Vendor => _http.Connection.Vendor;

    public ProviderConnection Connection => _http.Connection;

    /// <summary>Posts <paramref name="body"/> as JSON to <paramref name="path"/> and reads the answer.</summary>
    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        if (_credentialsProblem is not null)
            throw new ProviderException(Vendor, ProviderErrorKind.Unauthorized, _credentialsProblem);
        // Serialised once: an init image makes the body large, and every retry sends the same bytes.
        var json = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        var url = _http.Connection.Url(path);
        try
        {
            return await _http.SendJsonAsync(() =>
            {
                var content = new ByteArrayContent(json);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                message.Headers.Authorization = _authorization;
                return message;
            }, responseType, cancellationToken);
        }
        catch (ProviderException ex) when (ex.Kind == ProviderErrorKind.Unavailable && ex.InnerException is HttpRequestException)
        {
            throw new ProviderException(Vendor, ProviderErrorKind.Unavailable,
                $"{ex.Message.TrimEnd('.')}; is the web UI running, started with --api?", inner: ex);
        }
    }

    /// <summary>An image the server sent as base64 (with or without a <c>data:</c> prefix), checked to be one.</summary>
    public (byte[] Bytes, string MediaType) Image(string base64)
    {
        var text = base64.StartsWith("data:", StringComparison.Ordinal) && base64.IndexOf(',') is > 0 and var comma ? base64[(comma + 1)..] : base64;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} returned an image that is not valid base64.");
        }
        if (ImageHeader.Sniff(bytes) is not { } format)
            throw new ProviderException(Vendor, ProviderErrorKind.Failed, $"{Vendor} returned data that is not a PNG, JPEG, WebP or GIF image.");
        return (bytes, ImageHeader.MediaTypeOf(format));
    }

    public void Dispose() => _http.Dispose();
}
