using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Stability;

/// <summary>Stability AI's error body <c>{"id","name","errors":[…]}</c> in plain words.</summary>
internal sealed class StabilityErrors(string vendor, TimeProvider time) : IVendorErrors
{
    /// <summary>After a 429 Stability blocks the caller for 60 s; that is the wait when it sends no Retry-After.</summary>
    internal static readonly TimeSpan RateLimitBlock = TimeSpan.FromSeconds(60);

    public IReadOnlyList<string> RequestIdHeaders { get; } = ["x-request-id"];

    public ProviderException Map(VendorResponse response)
    {
        var (bodyId, name, errors) = Read(response);
        var requestId = response.RequestId ?? bodyId;
        var status = (int)response.Status;
        var id = VendorHttp.RequestIdText(requestId);
        var detail = errors is null ? "" : $": {VendorHttp.Short(errors)}";
        var kind = name == "content_moderation"
            ? ProviderErrorKind.Refused
            : status switch
            {
                429 => ProviderErrorKind.RateLimited,
                401 or 403 => ProviderErrorKind.Unauthorized,
                402 => ProviderErrorKind.QuotaExceeded,
                404 => ProviderErrorKind.NotFound,
                400 or 413 or 422 => ProviderErrorKind.Invalid,
                >= 500 => ProviderErrorKind.Unavailable,
                _ => ProviderErrorKind.Failed,
            };
        var text = kind switch
        {
            ProviderErrorKind.Refused => $"{vendor} refused the prompt ({name}{id}){detail}",
            ProviderErrorKind.RateLimited => $"{vendor} is rate-limiting these calls ({name ?? "rate_limit_exceeded"}{id}){detail}",
            ProviderErrorKind.Unauthorized => $"{vendor} did not accept the API key ({status}{id}): check STABILITY_API_KEY or Providers:stability:ApiKey",
            ProviderErrorKind.QuotaExceeded => $"{vendor} says the account has no credits left ({name ?? "payment_required"}{id}){detail}",
            ProviderErrorKind.NotFound => $"{vendor} does not know this route or result ({name ?? "not_found"}{id}){detail}",
            ProviderErrorKind.Invalid when status == 413 => $"{vendor} rejected the request as too large ({name ?? "payload_too_large"}{id}): a request may be at most 10 MiB",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({name ?? "invalid"}{id}){detail}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}{id}){detail}",
            _ => $"{vendor} failed ({status}{id}){detail}",
        };
        var wait = VendorHttp.RetryAfter(response, time) ?? (kind == ProviderErrorKind.RateLimited ? RateLimitBlock : null);
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", requestId, wait, status);
    }

    private static (string? Id, string? Name, string? Errors) Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null, null);
            string? errors = null;
            if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
                errors = string.Join("; ", list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()));
            errors ??= Text(root, "message");
            return (Text(root, "id"), Text(root, "name"), string.IsNullOrWhiteSpace(errors) ? null : errors);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status says enough.
            return (null, null, null);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
