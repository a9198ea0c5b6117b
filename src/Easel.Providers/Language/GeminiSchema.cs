using System.Text.Json;
using System.Text.Json.Nodes;

namespace Easel.Providers.Language;

/// <summary>
/// A JSON Schema in Gemini's <c>responseSchema</c> dialect (an OpenAPI subset): type names in
/// upper case, <c>nullable</c> instead of a "null" type, <c>propertyOrdering</c> so the answer keeps
/// the schema's order, and fields Gemini does not know (<c>additionalProperties</c>, <c>$schema</c>)
/// left out, because Gemini rejects the whole request over one unknown field.
/// </summary>
internal static class GeminiSchema
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    };

    public static JsonObject From(JsonObject schema)
    {
        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (value is null || !Known.Contains(key))
                continue;
            switch (key)
            {
                case "type":
                    AddType(result, value);
                    break;
                case "properties" when value is JsonObject properties:
                    var converted = new JsonObject();
                    foreach (var (name, property) in properties)
                        converted[name] = property is JsonObject p ? From(p) : property?.DeepClone();
                    result["properties"] = converted;
                    break;
                case "items" when value is JsonObject items:
                    result["items"] = From(items);
                    break;
                case "anyOf" when value is JsonArray options:
                    result["anyOf"] = new JsonArray(options.Select(o => o is JsonObject option ? (JsonNode)From(option) : o?.DeepClone()).ToArray());
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }
        if (result["properties"] is JsonObject props && !result.ContainsKey("propertyOrdering"))
            result["propertyOrdering"] = new JsonArray(props.Select(p => (JsonNode)JsonValue.Create(p.Key)).ToArray());
        return result;
    }

    private static void AddType(JsonObject result, JsonNode value)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            result["type"] = value.GetValue<string>().ToUpperInvariant();
            return;
        }
        if (value is JsonArray types)
        {
            var names = types.Where(t => t?.GetValueKind() == JsonValueKind.String).Select(t => t!.GetValue<string>()).ToList();
            if (names.Any(n => n == "null"))
                result["nullable"] = true;
            if (names.FirstOrDefault(n => n != "null") is { } type)
                result["type"] = type.ToUpperInvariant();
        }
    }
}
