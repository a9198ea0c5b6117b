using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record MessagesRequest
{
    public required string Model { get; init; }
    public required int MaxTokens { get; init; }
    public string? System { get; init; }
    public required IReadOnlyList<AnthropicMessage> Messages { get; init; }
    public IReadOnlyList<AnthropicTool>? Tools { get; init; }
    public AnthropicToolChoice? ToolChoice { get; init; }
    public float? Temperature { get; init; }
}

internal sealed record AnthropicMessage(string Role, IReadOnlyList<AnthropicBlock> Content);

/// <summary>
/// A content block: <c>text</c>, <c>image</c> (Source), <c>tool_use</c> (Id, Name, Input) from the
/// assistant, or <c>tool_result</c> (ToolUseId, Content, IsError) from the user.
/// </summary>
internal sealed record AnthropicBlock(
    string Type, string? Text = null, AnthropicImageSource? Source = null, string? Id = null, string? Name = null, JsonNode? Input = null,
    string? ToolUseId = null, string? Content = null, bool? IsError = null);

internal sealed record AnthropicImageSource(string Type, string MediaType, string Data);

internal sealed record AnthropicTool(string Name, string? Description, JsonNode InputSchema);

/// <param name="Type">"auto", "any", "tool" (with Name) or "none".</param>
internal sealed record AnthropicToolChoice(string Type, string? Name = null, bool? DisableParallelToolUse = null);

internal sealed record MessagesResponse(string? Id, string? Model, IReadOnlyList<AnthropicReplyBlock>? Content, string? StopReason, AnthropicUsage? Usage);

internal sealed record AnthropicReplyBlock(string? Type, string? Text, string? Id, string? Name, JsonElement? Input);

internal sealed record AnthropicUsage(long InputTokens, long OutputTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessagesResponse))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
