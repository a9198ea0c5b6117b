using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace Easel.Server.Mcp;

/// <summary>
/// Tool results as the model reads them: a text answer written for it, and the same facts as
/// structured content (snake_case, like the tools' arguments) for clients that use them.
/// </summary>
internal static class ToolResults
{
    /// <summary>snake_case names, enums as snake_case text, nulls left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static CallToolResult Ok(string text, object? structured = null) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = structured is null ? null : JsonSerializer.SerializeToElement(structured, Json),
    };

    /// <summary>A call that could not be done: <c>isError</c> with what went wrong and what to do, never an exception.</summary>
    public static CallToolResult Error(string message, object? structured = null) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
        StructuredContent = structured is null ? null : JsonSerializer.SerializeToElement(structured, Json),
    };

    /// <summary>Text from the client, cut short for a message.</summary>
    public static string Shorten(string text, int length = 60) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>An id or id prefix: letters, digits, '_' and '-' only, so nothing else reaches a query.</summary>
    public static bool IsIdLike(string text) =>
        text.Length is > 0 and <= 100 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
