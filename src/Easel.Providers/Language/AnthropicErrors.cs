using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>Anthropic's error body <c>{"type":"error","error":{"type","message"}}</c> in plain words; 529 overloaded_error is worth a retry.</summary>
internal sealed class AnthropicErrors(string vendor, TimeProvider time) : IVendorErrors
{
    public IReadOnlyList<string> RequestIdHeaders { get; } = ["request-id"];

    public ProviderException Map(VendorResponse response)
    {
        var (type, message) = Read(response);
        var status = (int)response.Status;
        var id = VendorHttp.RequestIdText(response.RequestId);
        var detail = message is null ? "" : $": {VendorHttp.Short(message)}";
        var kind = Classify(status, type, message);
        var text = kind switch
        {
            ProviderErrorKind.RateLimited => $"{vendor} is rate-limiting these calls ({type ?? "rate_limit_error"}{id}){detail}",
            ProviderErrorKind.Unavailable when status == 529 || type == "overloaded_error" => $"{vendor} is overloaded ({type ?? "overloaded_error"}{id}){detail}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}, {type ?? "api_error"}{id}){detail}",
            ProviderErrorKind.Unauthorized => $"{vendor} did not accept the API key ({status}, {type ?? "authentication_error"}{id}): check ANTHROPIC_API_KEY or Providers:anthropic:ApiKey",
            ProviderErrorKind.QuotaExceeded => $"{vendor} says the account has no credit left ({type ?? "billing_error"}{id}){detail}",
            ProviderErrorKind.NotFound => $"{vendor} does not know this model or route ({status}, {type ?? "not_found_error"}{id}){detail}",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({type ?? "invalid_request_error"}{id}){detail}",
            _ => $"{vendor} failed ({status}{(type is null ? "" : $", {type}")}{id}){detail}",
        };
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", response.RequestId, VendorHttp.RetryAfter(response, time), status);
    }

    private static ProviderErrorKind Classify(int status, string? type, string? message)
    {
        if (type == "billing_error" || status == 402 || message?.Contains("credit balance", StringComparison.OrdinalIgnoreCase) == true)
            return ProviderErrorKind.QuotaExceeded;
        return type switch
        {
            "rate_limit_error" => ProviderErrorKind.RateLimited,
            "overloaded_error" or "api_error" => ProviderErrorKind.Unavailable,
            "authentication_error" or "permission_error" => ProviderErrorKind.Unauthorized,
            "not_found_error" => ProviderErrorKind.NotFound,
            "invalid_request_error" or "request_too_large" => ProviderErrorKind.Invalid,
            _ => status switch
            {
                429 => ProviderErrorKind.RateLimited,
                401 or 403 => ProviderErrorKind.Unauthorized,
                404 => ProviderErrorKind.NotFound,
                400 or 413 or 422 => ProviderErrorKind.Invalid,
                >= 500 => ProviderErrorKind.Unavailable,
                _ => ProviderErrorKind.Failed,
            },
        };
    }

    private static (string? Type, string? Message) Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                return (Text(error, "type"), Text(error, "message"));
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
