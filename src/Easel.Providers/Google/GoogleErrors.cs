using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Google;

/// <summary>
/// Google's error body <c>{"error":{"code","message","status","details":[…]}}</c> in plain words.
/// The delay a 429 asks for is in the <c>google.rpc.RetryInfo</c> detail ("3.2s"), not in a header.
/// </summary>
internal sealed partial class GoogleErrors(ProviderConnection connection, string providerName) : IVendorErrors
{
    private const string RetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";
    private const string ErrorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";

    /// <summary>Google's answers carry no request id header worth quoting.</summary>
    public IReadOnlyList<string> RequestIdHeaders { get; } = [];

    public ProviderException Map(VendorResponse response)
    {
        var error = Read(response.Body);
        var vendor = connection.Vendor;
        var code = (int)response.Status;
        var id = VendorHttp.RequestIdText(response.RequestId);
        var said = error.Message is { Length: > 0 } m ? Scrub(VendorHttp.Short(m)).TrimEnd('.') : null;
        var detail = said is null ? "" : $": {said}";
        var status = error.Status ?? code.ToString(CultureInfo.InvariantCulture);
        var codeAndStatus = error.Status is { } named ? $"{code} {named}" : status;
        var kind = Classify(code, error);
        var text = kind switch
        {
            ProviderErrorKind.Refused => $"{vendor} refused the prompt (Responsible AI filter{id}){detail}",
            ProviderErrorKind.QuotaExceeded => $"{vendor} says this project has no quota for this model ({status}{id}){detail}",
            ProviderErrorKind.RateLimited => $"{vendor} is rate-limiting these calls ({status}{id}){detail}",
            ProviderErrorKind.Unauthorized => $"{vendor} did not accept the API key ({codeAndStatus}{id}{detail}); check GEMINI_API_KEY or Providers:{providerName}:ApiKey",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({status}{id}){detail}",
            ProviderErrorKind.NotFound => $"{vendor} does not know this model or route ({codeAndStatus}{id}){detail}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({codeAndStatus}{id}){detail}",
            _ => $"{vendor} failed ({codeAndStatus}{id}){detail}",
        };
        var retryAfter = error.RetryDelay ?? VendorHttp.RetryAfter(response, connection.Time) ?? RetryInMessage(error.Message);
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", response.RequestId, retryAfter, code);
    }

    private static ProviderErrorKind Classify(int code, GoogleError error)
    {
        // A wrong key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID; a missing one is a 403.
        if (error.Reason is { } reason && reason.StartsWith("API_KEY_", StringComparison.Ordinal))
            return ProviderErrorKind.Unauthorized;
        return code switch
        {
            // The free tier's image models have a quota of zero: waiting will never help.
            429 when error.Message is { } m && NoQuota().IsMatch(m) => ProviderErrorKind.QuotaExceeded,
            429 => ProviderErrorKind.RateLimited,
            401 or 403 => ProviderErrorKind.Unauthorized,
            404 => ProviderErrorKind.NotFound,
            // Imagen has been seen to refuse a prompt this way rather than with raiFilteredReason (tolerated, unverified).
            400 when error.Message?.Contains("Responsible AI", StringComparison.OrdinalIgnoreCase) == true => ProviderErrorKind.Refused,
            400 or 413 or 422 => ProviderErrorKind.Invalid,
            >= 500 => ProviderErrorKind.Unavailable,
            _ => ProviderErrorKind.Failed,
        };
    }

    /// <summary>Google never echoes a key, but a message must not carry one even if it did.</summary>
    private string Scrub(string text) =>
        connection.ApiKey is { Length: > 0 } key ? text.Replace(key, "[key]", StringComparison.Ordinal) : text;

    internal sealed record GoogleError(string? Message, string? Status, string? Reason, TimeSpan? RetryDelay);

    internal static GoogleError Read(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            // Some Google front ends wrap the error in a one-element array.
            var root = doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0 ? doc.RootElement[0] : doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
                return new GoogleError(null, null, null, null);
            string? reason = null;
            TimeSpan? delay = null;
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in details.EnumerateArray())
                {
                    if (d.ValueKind != JsonValueKind.Object)
                        continue;
                    var type = Text(d, "@type");
                    if (type == RetryInfoType && Text(d, "retryDelay") is { } retry)
                        delay ??= ParseDuration(retry);
                    else if (type == ErrorInfoType)
                        reason ??= Text(d, "reason");
                }
            }
            return new GoogleError(Text(error, "message"), Text(error, "status"), reason, delay);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status code says enough.
            return new GoogleError(null, null, null, null);
        }
    }

    /// <summary>A protobuf Duration in its JSON form: seconds with an optional fraction and an "s" ("3.2s", "7s").</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        var t = text.Trim();
        if (!t.EndsWith('s'))
            return null;
        return double.TryParse(t[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    /// <summary>"… Please retry in 11.893074872s." when the RetryInfo detail is missing.</summary>
    private static TimeSpan? RetryInMessage(string? message) =>
        message is not null && RetryIn().Match(message) is { Success: true } match ? ParseDuration(match.Groups[1].Value + "s") : null;

    [GeneratedRegex(@"\blimit: 0(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex NoQuota();

    [GeneratedRegex(@"retry in (\d+(?:\.\d+)?)s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RetryIn();

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
