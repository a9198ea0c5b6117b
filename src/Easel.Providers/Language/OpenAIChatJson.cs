using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record ChatRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public required ChatResponseFormat ResponseFormat { get; init; }
}

internal sealed record ChatMessage(string Role, IReadOnlyList<ChatPart> Content);

internal sealed record ChatPart(string Type, string? Text = null, ChatImageUrl? ImageUrl = null);

internal sealed record ChatImageUrl(string Url, string Detail);

internal sealed record ChatResponseFormat(string Type, ChatJsonSchema JsonSchema);

internal sealed record ChatJsonSchema(string Name, string? Description, JsonNode Schema, bool Strict);

internal sealed record ChatResponse(string? Id, string? Model, IReadOnlyList<ChatChoice>? Choices, ChatUsage? Usage);

internal sealed record ChatChoice(int Index, ChatReply? Message, string? FinishReason);

internal sealed record ChatReply(string? Role, string? Content, string? Refusal);

internal sealed record ChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatResponse))]
internal sealed partial class OpenAIChatJsonContext : JsonSerializerContext;
