using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Easel.Core.Generation;
using Polly;
using Polly.Retry;

namespace Easel.Providers.Http;

/// <summary>A vendor's answer, read whole (image APIs answer in one body).</summary>
public sealed record VendorResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, byte[] Body, string? RequestId)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? MediaType => ContentHeaders?.ContentType?.MediaType;
}

/// <summary>How one vendor reports errors: turns an unsuccessful answer into a plain-words <see cref="ProviderException"/>.</summary>
public interface IVendorErrors
{
    /// <summary>Response headers that carry the vendor's request id, first found wins.</summary>
    IReadOnlyList<string> RequestIdHeaders { get; }

    ProviderException Map(VendorResponse response);
}

/// <summary>
/// Sends requests to one vendor: each attempt under the connection's timeout, transient failures
/// (429, 5xx, 529, timeouts, dropped connections) retried with exponential backoff and jitter or
/// after the delay the server asked for, anything else turned into a <see cref="ProviderException"/>
/// at once. The key never appears in what it throws.
/// </summary>
public sealed class VendorHttp : IDisposable
{
    private readonly ProviderConnection _connection;
    private readonly IVendorErrors _errors;
    private readonly HttpClient _client;
    private readonly ResiliencePipeline _pipeline;

    public VendorHttp(ProviderConnection connection, IVendorErrors errors)
    {
        _connection = connection;
        _errors = errors;
        // No redirects: a vendor's key header (x-goog-api-key, x-api-key) would follow one to another host.
        _client = new HttpClient(connection.Handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }, disposeHandler: connection.Handler is null)
        {
            // Each attempt has its own deadline below; the client's would count retries and waits too.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _pipeline = connection.Retry.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = connection.Time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ProviderException>(e => e.IsTransient && (connection.Retry.RetryTimeouts || e.Kind != ProviderErrorKind.Timeout)),
                MaxRetryAttempts = connection.Retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = connection.Retry.BaseDelay,
                MaxDelay = connection.Retry.MaxDelay,
                // The server knows best when it will take the call again.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ProviderException { RetryAfter: { } wait } ? (TimeSpan?)Min(wait, connection.Retry.MaxDelay) : null),
            })
            .Build();
    }

    public ProviderConnection Connection => _connection;

    /// <summary>Attempts made over this client's life, retries included (for tests and figures).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    private int _attempts;

    /// <summary>Sends the request built by <paramref name="build"/> (called again for every attempt) and returns a successful answer.</summary>
    /// <exception cref="ProviderException">The vendor refused, failed, or could not be reached after the retries.</exception>
    public async Task<VendorResponse> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async token => await AttemptAsync(build, token), cancellationToken);

    /// <summary>
    /// Like <see cref="SendAsync(Func{HttpRequestMessage}, CancellationToken)"/>, with <paramref name="accept"/> judging each
    /// successful answer inside the retries: a vendor that reports a rate limit or server error in a 200 body is retried too.
    /// </summary>
    public async Task<T> SendAsync<T>(Func<HttpRequestMessage> build, Func<VendorResponse, T> accept, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async token => accept(await AttemptAsync(build, token)), cancellationToken);

    public async Task<T> SendJsonAsync<T>(Func<HttpRequestMessage> build, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await SendAsync(build, cancellationToken);
        return ReadJson(response, type);
    }

    /// <summary>Reads a successful answer's JSON, or says in plain words that the vendor answered something else.</summary>
    public T ReadJson<T>(VendorResponse response, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type)
                ?? throw new JsonException("the body is null");
        }
        catch (JsonException ex)
        {
            throw new ProviderException(_connection.Vendor, ProviderErrorKind.Failed,
                $"{_connection.Vendor} answered with something Easel cannot read ({Short(ex.Message)}){RequestIdText(response.RequestId)}.", response.RequestId, status: (int)response.Status);
        }
    }

    /// <summary>Adds "Authorization: Bearer KEY" when a key is configured.</summary>
    public void Bearer(HttpRequestMessage request)
    {
        if (_connection.ApiKey is { Length: > 0 } key)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    private async Task<VendorResponse> AttemptAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        using var deadline = new CancellationTokenSource(_connection.Timeout, _connection.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = build();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadBoundedAsync(response, linked.Token);
            var result = new VendorResponse(response.StatusCode, response.Headers, response.Content.Headers, body, RequestId(response));
            if (response.IsSuccessStatusCode)
                return result;
            throw _errors.Map(result);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(_connection.Vendor, ProviderErrorKind.Timeout,
                $"{_connection.Vendor} did not answer within {Seconds(_connection.Timeout)}.");
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException(_connection.Vendor, ProviderErrorKind.Unavailable,
                $"{_connection.Vendor} could not be reached at {_connection.BaseUrl.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)}: {Short(ex.Message)}", inner: ex);
        }
    }

    /// <summary>The whole body, refused (not retried) once it passes the connection's limit.</summary>
    private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = _connection.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } length && length > limit)
            throw TooLarge(length);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                throw TooLarge(null);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private ProviderException TooLarge(long? length) => new(_connection.Vendor, ProviderErrorKind.Failed,
        $"{_connection.Vendor} answered with {(length is { } n ? $"{n / (1 << 20)} MB" : "more than that")}; Easel reads at most {_connection.MaxResponseBytes / (1 << 20)} MB from a vendor.");

    private string? RequestId(HttpResponseMessage response)
    {
        foreach (var name in _errors.RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } id)
                return id;
        }
        return null;
    }

    /// <summary>", request id X" or nothing.</summary>
    public static string RequestIdText(string? requestId) => requestId is null ? "" : $", request id {requestId}";

    /// <summary>The delay a 429 or 503 asks for: <c>Retry-After</c> in seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(VendorResponse response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
            return date - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    /// <summary>Vendor text cut to a sentence's length, so an error page never floods the terminal.</summary>
    public static string Short(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 300 ? flat : flat[..300] + "…";
    }

    public void Dispose() => _client.Dispose();
}
