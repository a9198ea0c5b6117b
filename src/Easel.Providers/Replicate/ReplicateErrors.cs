using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Replicate;

/// <summary>Replicate's problem bodies <c>{"title","detail","status"}</c> (or a bare <c>{"detail"}</c>) in plain words.</summary>
internal sealed partial class ReplicateErrors(string vendor, TimeProvider time) : IVendorErrors
{
    /// <summary>Replicate documents no request id header; the prediction id names a job once there is one.</summary>
    public IReadOnlyList<string> RequestIdHeaders { get; } = [];

    public ProviderException Map(VendorResponse response)
    {
        var (title, raw) = Read(response);
        var detail = Clean(raw);
        var status = (int)response.Status;
        var id = VendorHttp.RequestIdText(response.RequestId);
        var said = detail ?? title;
        var tail = said is null ? "" : $": {VendorHttp.Short(said)}";
        var kind = status switch
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
            ProviderErrorKind.RateLimited => $"{vendor} is rate-limiting these calls ({status}{id}){tail}",
            ProviderErrorKind.Unauthorized => $"{vendor} did not accept the API token ({status}{id}): check REPLICATE_API_TOKEN or Providers:replicate:ApiKey",
            ProviderErrorKind.QuotaExceeded => $"{vendor} says the account has no credit left ({status}{id}){tail}",
            ProviderErrorKind.NotFound => $"{vendor} does not know this model, version or prediction ({status}{id}){tail}",
            ProviderErrorKind.Invalid => $"{vendor} rejected the input ({title ?? status.ToString(CultureInfo.InvariantCulture)}{id}){(detail is null ? "" : $": {VendorHttp.Short(detail)}")}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}{id}){tail}",
            _ => $"{vendor} failed ({status}{id}){tail}",
        };
        var wait = VendorHttp.RetryAfter(response, time) ?? (kind == ProviderErrorKind.RateLimited ? ResetsIn(said) : null);
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", response.RequestId, wait, status);
    }

    /// <summary>"Your rate limit resets in ~30s." is how Replicate says when to come back when it sends no Retry-After.</summary>
    internal static TimeSpan? ResetsIn(string? detail) =>
        detail is not null && ResetsInPattern().Match(detail) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    [GeneratedRegex(@"resets in ~?\s*(\d{1,5})\s*s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ResetsInPattern();

    /// <summary>A validation detail is a list ("- input.seed: …" per line): one line of "; "-joined items reads better.</summary>
    private static string? Clean(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail))
            return null;
        var items = detail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line);
        return string.Join("; ", items);
    }

    private static (string? Title, string? Detail) Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                return (Text(doc.RootElement, "title"), Text(doc.RootElement, "detail"));
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return (null, null);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
