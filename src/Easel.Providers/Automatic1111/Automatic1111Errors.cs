using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Automatic1111;

/// <summary>
/// The web UI's error bodies in plain words: FastAPI's 422 <c>{"detail":[{"loc","msg","type"}]}</c>,
/// and its own <c>{"error","detail","body","errors"}</c> for everything else (500 unless the
/// exception carried a status). It sends no request id.
/// </summary>
internal sealed class Automatic1111Errors(string vendor, TimeProvider time) : IVendorErrors
{
    public IReadOnlyList<string> RequestIdHeaders { get; } = [];

    public ProviderException Map(VendorResponse response)
    {
        var status = (int)response.Status;
        var (detail, error) = Read(response);
        var said = detail ?? error;
        var kind = Classify(status, detail, error);
        var text = kind switch
        {
            ProviderErrorKind.Unauthorized =>
                $"{vendor} did not accept the credentials ({status}): check Providers:automatic1111:ApiKey, which must be the user:password given to --api-auth",
            ProviderErrorKind.NotFound when detail is null or "Not Found" =>
                $"{vendor} has no API at this address ({status}): start the web UI with --api, and check the base URL",
            ProviderErrorKind.NotFound => $"{vendor} does not have what the request names ({status}): {VendorHttp.Short(said!)}",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({status}){(said is null ? "" : ": " + VendorHttp.Short(said))}",
            ProviderErrorKind.RateLimited => $"{vendor} (or a proxy in front of it) is rate-limiting these calls ({status})",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({(error is null ? status : $"{status}, {error}")}){Detail(detail, error)}",
            _ => $"{vendor} failed ({status}){(said is null ? "" : ": " + VendorHttp.Short(said))}",
        };
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", retryAfter: VendorHttp.RetryAfter(response, time), status: status);
    }

    private static string Detail(string? detail, string? error) =>
        detail is { Length: > 0 } && detail != error ? ": " + VendorHttp.Short(detail) : "";

    private static ProviderErrorKind Classify(int status, string? detail, string? error) => status switch
    {
        401 or 403 => ProviderErrorKind.Unauthorized,
        // An unknown sampler is a bad parameter; an unknown route means the API is off.
        404 when detail?.Contains("sampler", StringComparison.OrdinalIgnoreCase) == true => ProviderErrorKind.Invalid,
        404 => ProviderErrorKind.NotFound,
        400 or 413 or 422 => ProviderErrorKind.Invalid,
        429 => ProviderErrorKind.RateLimited,
        // Assertions and deliberate HTTP errors ("Invalid encoded image", "could not find upscaler named …")
        // are the server checking its input: the same call would fail the same way.
        >= 500 when error is "AssertionError" or "HTTPException" => ProviderErrorKind.Invalid,
        >= 500 => ProviderErrorKind.Unavailable,
        _ => ProviderErrorKind.Failed,
    };

    /// <summary>The detail ("width: value is not a valid integer", "Sampler not found", the exception's text) and the exception's type.</summary>
    private static (string? Detail, string? Error) Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null);
            var error = Text(root, "error");
            string? detail = null;
            if (root.TryGetProperty("detail", out var d))
            {
                if (d.ValueKind == JsonValueKind.String && d.GetString() is { Length: > 0 } s)
                    detail = s;
                else if (d.ValueKind == JsonValueKind.Array && d.GetArrayLength() > 0)
                    detail = Validation(d[0]);
            }
            // "errors" is str(exception): the most telling text when "detail" is empty.
            if (detail is null && Text(root, "errors") is { Length: > 0 } errors)
                detail = errors;
            return (detail, error is { Length: > 0 } ? error : null);
        }
        catch (JsonException)
        {
            // A proxy's error page: the status says enough.
            return (null, null);
        }
    }

    /// <summary>"width: value is not a valid integer" from <c>{"loc":["body","width"],"msg":"value is not a valid integer"}</c>.</summary>
    private static string? Validation(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
            return item.ValueKind == JsonValueKind.String ? item.GetString() : null;
        var msg = Text(item, "msg");
        var loc = item.TryGetProperty("loc", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()).ToList()
            : [];
        // "body" only says the field was in the request body; it is noise unless it is all there is.
        if (loc.Count > 1 && loc[0] == "body")
            loc.RemoveAt(0);
        var where = string.Join('.', loc);
        return (where, msg) switch
        {
            ({ Length: > 0 }, not null) => $"{where}: {msg}",
            (_, not null) => msg,
            ({ Length: > 0 }, null) => where,
            _ => null,
        };
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
