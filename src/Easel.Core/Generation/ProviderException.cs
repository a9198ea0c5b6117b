namespace Easel.Core.Generation;

/// <summary>What went wrong at a provider, as far as Easel needs to know to retry or to explain.</summary>
public enum ProviderErrorKind
{
    /// <summary>429: too many requests now; worth retrying after the provider's delay.</summary>
    RateLimited,

    /// <summary>5xx, Anthropic's 529, a dropped connection: worth retrying.</summary>
    Unavailable,

    /// <summary>The provider did not answer within the provider's timeout.</summary>
    Timeout,

    /// <summary>The provider's content policy refused the prompt or the result: never retried.</summary>
    Refused,

    /// <summary>The request was invalid (400, 422): never retried.</summary>
    Invalid,

    /// <summary>401/403: the key is missing, wrong or lacks permission.</summary>
    Unauthorized,

    /// <summary>The account has no credit or quota left: retrying will not help.</summary>
    QuotaExceeded,

    /// <summary>The model or job does not exist (404).</summary>
    NotFound,

    /// <summary>Anything else the provider reported.</summary>
    Failed,
}

/// <summary>
/// A provider's failure in one plain sentence that names the provider and, when it gave one, its
/// request id ("OpenAI refused the prompt (moderation_blocked, request id req_123)."). Never holds
/// a key or a request header.
/// </summary>
public sealed class ProviderException(
    string provider, ProviderErrorKind kind, string message, string? requestId = null, TimeSpan? retryAfter = null, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Provider { get; } = provider;
    public ProviderErrorKind Kind { get; } = kind;
    public string? RequestId { get; } = requestId;

    /// <summary>How long the provider asked to wait (Retry-After, Gemini's RetryInfo), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public int? Status { get; } = status;

    /// <summary>Worth trying again: rate limits, overload, server errors and timeouts.</summary>
    public bool IsTransient => Kind is ProviderErrorKind.RateLimited or ProviderErrorKind.Unavailable or ProviderErrorKind.Timeout;
}
