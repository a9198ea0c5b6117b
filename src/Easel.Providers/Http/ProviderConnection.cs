namespace Easel.Providers.Http;

/// <summary>How to reach one vendor: where, with which key, how long to wait and how often to retry.</summary>
public sealed record ProviderConnection
{
    /// <summary>The vendor's name as users know it ("OpenAI"), used in every message.</summary>
    public required string Vendor { get; init; }

    public required Uri BaseUrl { get; init; }

    /// <summary>Sent only in the vendor's auth header; never logged or put in a message.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Longest one attempt may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public RetryOptions Retry { get; init; } = new();

    /// <summary>Largest answer read (base64 images are big, but a misconfigured address must not fill memory).</summary>
    public long MaxResponseBytes { get; init; } = 256L << 20;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Replaces the network stack (tests, or a proxy an installation needs).</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The base URL joined with a relative path ("v1/images/generations").</summary>
    public Uri Url(string path) => new(new Uri(BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl.AbsoluteUri : BaseUrl.AbsoluteUri + "/"), path.TrimStart('/'));
}

/// <summary>Retries on rate limits, overload, server errors and timeouts: exponential backoff with jitter, or the server's own delay.</summary>
public sealed record RetryOptions
{
    public int MaxRetries { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether a call that timed out is made again. Not for a local server that keeps working after the
    /// client gives up (AUTOMATIC1111): a retry would queue the same job behind the one still running.
    /// </summary>
    public bool RetryTimeouts { get; init; } = true;
}
