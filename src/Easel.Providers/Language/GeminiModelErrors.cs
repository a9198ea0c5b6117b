using System.Globalization;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>
/// Google's error body <c>{"error":{"code","message","status","details":[…]}}</c> in plain words:
/// the retry delay comes from the <c>google.rpc.RetryInfo</c> detail, a bad key is a 400 with
/// reason <c>API_KEY_INVALID</c>, and a used-up daily quota is not a rate limit.
/// </summary>
internal sealed class GeminiModelErrors(string vendor, TimeProvider time) : IVendorErrors
{
    public IReadOnlyList<string> RequestIdHeaders { get; } = [];

    public ProviderException Map(VendorResponse response)
    {
        var error = Read(response);
        var status = (int)response.Status;
        var tag = error.Status ?? status.ToString(CultureInfo.InvariantCulture);
        var detail = error.Message is null ? "" : $": {VendorHttp.Short(error.Message)}";
        var kind = Classify(status, error);
        var text = kind switch
        {
            ProviderErrorKind.RateLimited => $"{vendor} is rate-limiting these calls ({tag}){detail}",
            ProviderErrorKind.QuotaExceeded => $"{vendor} says the daily quota is used up ({tag}){detail}",
            ProviderErrorKind.Unauthorized => $"{vendor} did not accept the API key ({status}, {error.Reason ?? tag}): check GEMINI_API_KEY or Providers:gemini:ApiKey",
            ProviderErrorKind.NotFound => $"{vendor} does not know this model or route ({status}, {tag}){detail}",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({tag}){detail}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}, {tag}){detail}",
            _ => $"{vendor} failed ({status}, {tag}){detail}",
        };
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", null, error.RetryDelay ?? VendorHttp.RetryAfter(response, time), status);
    }

    private static ProviderErrorKind Classify(int status, GeminiError error)
    {
        if (error.Reason is "API_KEY_INVALID" or "API_KEY_SERVICE_BLOCKED")
            return ProviderErrorKind.Unauthorized;
        if (status == 429 || error.Status == "RESOURCE_EXHAUSTED")
            return error.DailyQuota ? ProviderErrorKind.QuotaExceeded : ProviderErrorKind.RateLimited;
        return (status, error.Status) switch
        {
            (401 or 403, _) or (_, "PERMISSION_DENIED" or "UNAUTHENTICATED") => ProviderErrorKind.Unauthorized,
            (404, _) or (_, "NOT_FOUND") => ProviderErrorKind.NotFound,
            ( >= 500, _) => ProviderErrorKind.Unavailable,
            (400 or 413 or 422, _) or (_, "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE") => ProviderErrorKind.Invalid,
            _ => ProviderErrorKind.Failed,
        };
    }

    private sealed record GeminiError(string? Message, string? Status, string? Reason, TimeSpan? RetryDelay, bool DailyQuota);

    private static GeminiError Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            // Some Google front ends wrap the error in a one-element array.
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
                root = root[0];
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
                return new GeminiError(null, null, null, null, false);
            string? reason = null;
            TimeSpan? delay = null;
            var daily = false;
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in details.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Object))
                {
                    var type = Text(d, "@type") ?? "";
                    if (type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal))
                        delay = Duration(Text(d, "retryDelay"));
                    else if (type.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal))
                        reason ??= Text(d, "reason");
                    else if (type.EndsWith("google.rpc.QuotaFailure", StringComparison.Ordinal) && d.TryGetProperty("violations", out var violations) && violations.ValueKind == JsonValueKind.Array)
                        daily |= violations.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Object && Text(v, "quotaId")?.Contains("PerDay", StringComparison.Ordinal) == true);
                }
            }
            return new GeminiError(Text(error, "message"), Text(error, "status"), reason, delay, daily);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status says enough.
            return new GeminiError(null, null, null, null, false);
        }
    }

    /// <summary>A protobuf Duration as JSON writes it: "3.2s".</summary>
    internal static TimeSpan? Duration(string? text) =>
        text is { Length: > 1 } && text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
