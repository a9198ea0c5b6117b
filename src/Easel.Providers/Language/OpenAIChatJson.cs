using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record OpenAIChatRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<OpenAIChatMessage> Messages { get; init; }
    public OpenAIResponseFormat? ResponseFormat { get; init; }
    public IReadOnlyList<FunctionTool>? Tools { get; init; }

    /// <summary>"auto", "none", "required", or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    public JsonNode? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }
    public float? Temperature { get; init; }

    /// <summary>The output limit (<c>max_tokens</c> is deprecated and refused by reasoning models).</summary>
    public int? MaxCompletionTokens { get; init; }
}

/// <param name="Content">Text parts; null on an assistant message that only calls tools.</param>
internal sealed record OpenAIChatMessage(string Role, IReadOnlyList<OpenAIChatPart>? Content, IReadOnlyList<OpenAIToolCall>? ToolCalls = null, string? ToolCallId = null);

internal sealed record OpenAIChatPart(string Type, string? Text = null, OpenAIImageUrl? ImageUrl = null);

internal sealed record OpenAIImageUrl(string Url, string Detail);

internal sealed record OpenAIResponseFormat(string Type, OpenAIJsonSchema JsonSchema);

internal sealed record OpenAIJsonSchema(string Name, string? Description, JsonNode Schema, bool Strict);

/// <summary>A function the model may call, as OpenAI and Ollama both declare it: <c>{"type":"function","function":{…}}</c>.</summary>
internal sealed record FunctionTool(string Type, FunctionToolDefinition Function);

internal sealed record FunctionToolDefinition(string Name, string? Description, JsonNode Parameters);

/// <param name="Function">The call; its arguments are JSON text the model wrote, not necessarily valid.</param>
internal sealed record OpenAIToolCall(string? Id, string? Type, OpenAIFunctionCall? Function);

internal sealed record OpenAIFunctionCall(string? Name, string? Arguments);

internal sealed record OpenAIChatResponse(string? Id, string? Model, long? Created, IReadOnlyList<OpenAIChatChoice>? Choices, OpenAIChatUsage? Usage);

internal sealed record OpenAIChatChoice(int Index, OpenAIChatReply? Message, string? FinishReason);

internal sealed record OpenAIChatReply(string? Role, string? Content, string? Refusal, IReadOnlyList<OpenAIToolCall>? ToolCalls = null);

internal sealed record OpenAIChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpenAIChatRequest))]
[JsonSerializable(typeof(OpenAIChatResponse))]
internal sealed partial class OpenAIChatJsonContext : JsonSerializerContext;
