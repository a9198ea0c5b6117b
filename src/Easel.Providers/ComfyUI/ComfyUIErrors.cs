using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;

namespace Easel.Providers.ComfyUI;

/// <summary>
/// ComfyUI's answers in plain words: a 400 from <c>/prompt</c> is a workflow that failed validation
/// (<c>{"error":{"type","message","details"},"node_errors":{id:{"errors":[…],"class_type"}}}</c>);
/// anything else is the server's (aiohttp's) plain status, or a proxy in front of it.
/// </summary>
internal sealed class ComfyUIErrors(string vendor, TimeProvider time) : IVendorErrors
{
    public IReadOnlyList<string> RequestIdHeaders { get; } = [];

    public ProviderException Map(VendorResponse response)
    {
        var status = (int)response.Status;
        var kind = status switch
        {
            400 or 413 or 422 => ProviderErrorKind.Invalid,
            401 or 403 => ProviderErrorKind.Unauthorized,
            404 => ProviderErrorKind.NotFound,
            429 => ProviderErrorKind.RateLimited,
            >= 500 => ProviderErrorKind.Unavailable,
            _ => ProviderErrorKind.Failed,
        };
        var text = kind switch
        {
            ProviderErrorKind.Invalid => Validation(response) is { } why
                ? $"{vendor} rejected the workflow ({why})"
                : $"{vendor} rejected the workflow ({status}){Body(response)}",
            ProviderErrorKind.Unauthorized => $"{vendor} (or the proxy in front of it) did not accept the key ({status}): check Providers:comfyui:ApiKey",
            ProviderErrorKind.NotFound => $"{vendor} has no such route or file ({status}): check that the base URL points at ComfyUI",
            ProviderErrorKind.RateLimited => $"{vendor} (or the proxy in front of it) is rate-limiting these calls ({status})",
            ProviderErrorKind.Unavailable => $"{vendor} failed with a server error ({status}){Body(response)}",
            _ => $"{vendor} failed ({status}){Body(response)}",
        };
        return new ProviderException(vendor, kind, text.TrimEnd('.') + ".", retryAfter: VendorHttp.RetryAfter(response, time), status: status);
    }

    /// <summary>"prompt_outputs_failed_validation: node 3 (KSampler): Value bigger than max: steps: 20000 > 10000", or null when the body is not ComfyUI's.</summary>
    private static string? Validation(VendorResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error))
                return null;
            string? type = null, message = null, details = null;
            if (error.ValueKind == JsonValueKind.Object)
            {
                type = Text(error, "type");
                message = Text(error, "message");
                details = Text(error, "details");
            }
            else if (error.ValueKind == JsonValueKind.String)
            {
                message = error.GetString();
            }
            var parts = new List<string>();
            if (type is { Length: > 0 })
                parts.Add(type);
            // The node's own error says what to fix; the top-level message only says validation failed.
            if (NodeError(root) is { } node)
                parts.Add(node);
            else
                parts.Add(Join(message, details));
            return VendorHttp.Short(string.Join(": ", parts.Where(p => p.Length > 0)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? NodeError(JsonElement root)
    {
        if (!root.TryGetProperty("node_errors", out var nodes) || nodes.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var node in nodes.EnumerateObject())
        {
            if (node.Value.ValueKind != JsonValueKind.Object)
                continue;
            var classType = Text(node.Value, "class_type");
            var first = node.Value.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 && errors[0].ValueKind == JsonValueKind.Object
                ? Join(Text(errors[0], "message"), Text(errors[0], "details"))
                : "";
            return $"node {node.Name}{(classType is null ? "" : $" ({classType})")}{(first.Length > 0 ? ": " + first : "")}";
        }
        return null;
    }

    private static string Join(string? message, string? details) =>
        string.Join(": ", new[] { message, details }.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct());

    private static string Body(VendorResponse response)
    {
        var text = response.Text.Trim();
        return text.Length == 0 || text.StartsWith('<') ? "" : ": " + VendorHttp.Short(text);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
