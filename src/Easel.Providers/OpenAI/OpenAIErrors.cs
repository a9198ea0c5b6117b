using System.Net;
using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.OpenAI;

/// <summary>OpenAI's error body <c>{"error":{"message","type","param","code"}}</c> in plain words.</summary>
/// <param name="provider">The provider's name in configuration, for the key hint ("openai", "openai-responses").</param>
internal sealed class OpenAIErrors(string vendor, TimeProvider time, string provider = "openai") : IVendorErrors
{
    public IReadOnlyList<string> RequestIdHeaders { get; } = ["x-request-id"];

    public ProviderException Map(VendorResponse response)
    {
        var (message, type, code, param) = Read(response);
        var status = (int)response.Status;
        var id = VendorHttp.RequestIdText(response.RequestId);
        var detail = message is null ? "" : $": {VendorHttp.Short(message)}";
        var tag = code ?? type;
        var kind = Classify(response.Status, code, type, message);
        var text = kind switch
        {
            ProviderErrorKind.Refused => $"{vendor} refused the prompt ({tag ?? "content policy"}{id}){detail}",
            ProviderErrorKind.QuotaExceeded => $"{vendor} says the account has no quota left ({tag ?? "insufficient_quota"}{id}){detail}",
            ProviderErrorKind.RateLimited => $"{vendor} is rate-limiting these calls ({tag ?? "rate_limit_exceeded"}{id}){detail}",
            ProviderErrorKind.Unauthorized => $"{vendor} did not accept the API key ({status}{id}): check OPENAI_API_KEY or Providers:{provider}:ApiKey",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({(param is null ? tag ?? "invalid_request_error" : $"{param}: {tag ?? "invalid"}")}{id}){detail}",
            ProviderErrorKind.NotFound => $"{vendor} does not know this model or route ({status}{id}){detail}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}{id}){detail}",
            _ => $"{vendor} failed ({status}{id}){detail}",
        };
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", response.RequestId, VendorHttp.RetryAfter(response, time), status);
    }

    private static ProviderErrorKind Classify(HttpStatusCode status, string? code, string? type, string? message)
    {
        if (code is "moderation_blocked" or "content_policy_violation" or "image_content_policy_violation" || type is "image_generation_user_error" && code is null)
            return ProviderErrorKind.Refused;
        return (int)status switch
        {
            429 when code == "insufficient_quota" || message?.Contains("quota", StringComparison.OrdinalIgnoreCase) == true => ProviderErrorKind.QuotaExceeded,
            429 => ProviderErrorKind.RateLimited,
            401 or 403 => ProviderErrorKind.Unauthorized,
            404 => ProviderErrorKind.NotFound,
            400 or 413 or 422 => ProviderErrorKind.Invalid,
            >= 500 => ProviderErrorKind.Unavailable,
            _ => ProviderErrorKind.Failed,
        };
    }

    private static (string? Message, string? Type, string? Code, string? Param) Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                return (Text(error, "message"), Text(error, "type"), Text(error, "code"), Text(error, "param"));
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return (null, null, null, null);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
