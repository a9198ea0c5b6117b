using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>Ollama's error body <c>{"error":"…"}</c> in plain words; a missing model says how to get it.</summary>
internal sealed class OllamaErrors(string vendor, string model, TimeProvider time) : IVendorErrors
{
    public IReadOnlyList<string> RequestIdHeaders { get; } = [];

    public ProviderException Map(VendorResponse response)
    {
        var message = Read(response);
        var status = (int)response.Status;
        var detail = message is null ? "" : $": {VendorHttp.Short(message)}";
        var kind = status switch
        {
            429 => ProviderErrorKind.RateLimited,
            401 or 403 => ProviderErrorKind.Unauthorized,
            404 => ProviderErrorKind.NotFound,
            400 or 413 or 422 => ProviderErrorKind.Invalid,
            >= 500 => ProviderErrorKind.Unavailable,
            _ => ProviderErrorKind.Failed,
        };
        var text = kind switch
        {
            ProviderErrorKind.NotFound => $"{vendor} does not have the model {model}: run \"ollama pull {model}\" where Ollama runs, or choose another model ({message ?? "404"})",
            ProviderErrorKind.RateLimited => $"{vendor} is turning calls away for now (429){detail}",
            ProviderErrorKind.Unauthorized => $"{vendor} refused access ({status}): Ollama itself takes no key, so check the proxy in front of it{detail}",
            ProviderErrorKind.Invalid => $"{vendor} rejected the request ({status}){detail}",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}){detail}",
            _ => $"{vendor} failed ({status}){detail}",
        };
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", null, VendorHttp.RetryAfter(response, time), status);
    }

    private static string? Read(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                return error.GetString();
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return null;
    }
}
