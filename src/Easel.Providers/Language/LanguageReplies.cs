using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Providers.Http;

namespace Easel.Providers.Language;

/// <summary>What the language-model clients share: checking a request, reading the schema, and making sure the answer is a JSON object.</summary>
internal static class LanguageReplies
{
    public static void Check(LanguageModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Schema);
        for (var i = 0; i < request.Images.Count; i++)
        {
            var image = request.Images[i];
            if (image?.Bytes is not { Length: > 0 })
                throw new ArgumentException($"Image {i + 1} of the request is empty.", nameof(request));
            if (string.IsNullOrWhiteSpace(image.MediaType) || !image.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"Image {i + 1} of the request has no image media type (\"{image.MediaType}\").", nameof(request));
        }
    }

    /// <summary>A fresh copy of the schema to put in a request body.</summary>
    public static JsonObject Schema(OutputSchema schema) => JsonNode.Parse(schema.Json)!.AsObject();

    /// <summary>The answer as a JSON object's text (code fences removed), or a plain-words failure naming the vendor.</summary>
    public static string RequireJsonObject(string vendor, string? text, string? requestId)
    {
        var json = StripFences(text ?? "");
        if (json.Length == 0)
            throw Failed(vendor, $"{vendor} answered with no text{VendorHttp.RequestIdText(requestId)}", requestId);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Failed(vendor, $"{vendor} answered with JSON that is not an object{VendorHttp.RequestIdText(requestId)}", requestId);
        }
        catch (JsonException ex)
        {
            throw Failed(vendor, $"{vendor} answered with text that is not JSON ({VendorHttp.Short(ex.Message)}{VendorHttp.RequestIdText(requestId)})", requestId);
        }
        return json;
    }

    public static ProviderException Failed(string vendor, string message, string? requestId) =>
        new(vendor, ProviderErrorKind.Failed, message.TrimEnd('.') + ".", requestId);

    public static ProviderException Refused(string vendor, string reason, string? requestId) =>
        new(vendor, ProviderErrorKind.Refused, $"{vendor} refused the request ({VendorHttp.Short(reason).TrimEnd('.')}{VendorHttp.RequestIdText(requestId)}).", requestId);

    private static string StripFences(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            return trimmed;
        var firstLine = trimmed.IndexOf('\n');
        if (firstLine < 0)
            return trimmed.Trim('`').Trim();
        var body = trimmed[(firstLine + 1)..];
        var close = body.LastIndexOf("```", StringComparison.Ordinal);
        return (close >= 0 ? body[..close] : body).Trim();
    }

    /// <summary>"data:image/png;base64,…" for vendors that take images as URLs.</summary>
    public static string DataUrl(ModelImage image) => $"data:{image.MediaType.ToLowerInvariant()};base64,{Convert.ToBase64String(image.Bytes)}";
}
