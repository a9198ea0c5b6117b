using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record MessagesRequest
{
    public required string Model { get; init; }
    public required int MaxTokens { get; init; }
    public required string System { get; init; }
    public required IReadOnlyList<AnthropicMessage> Messages { get; init; }
    public required IReadOnlyList<AnthropicTool> Tools { get; init; }
    public required AnthropicToolChoice ToolChoice { get; init; }
}

internal sealed record AnthropicMessage(string Role, IReadOnlyList<AnthropicBlock> Content);

internal sealed record AnthropicBlock(string Type, string? Text = null, AnthropicImageSource? Source = null);

internal sealed record AnthropicImageSource(string Type, string MediaType, string Data);

internal sealed record AnthropicTool(string Name, string Description, JsonNode InputSchema);

internal sealed record AnthropicToolChoice(string Type, string Name);

internal sealed record MessagesResponse(string? Id, string? Model, IReadOnlyList<AnthropicReplyBlock>? Content, string? StopReason, AnthropicUsage? Usage);

internal sealed record AnthropicReplyBlock(string? Type, string? Text, string? Id, string? Name, JsonElement? Input);

internal sealed record AnthropicUsage(long InputTokens, long OutputTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessagesResponse))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
