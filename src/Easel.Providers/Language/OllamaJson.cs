using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record OllamaChatRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<OllamaMessage> Messages { get; init; }
    public JsonNode? Format { get; init; }
    public bool Stream { get; init; }
    public OllamaOptions? Options { get; init; }
    public IReadOnlyList<FunctionTool>? Tools { get; init; }
}

/// <param name="ToolName">On a "tool" message: the function that answered (how Ollama's templates name the result).</param>
internal sealed record OllamaMessage(
    string Role, string Content, IReadOnlyList<string>? Images = null, IReadOnlyList<OllamaToolCall>? ToolCalls = null, string? ToolName = null, string? ToolCallId = null);

internal sealed record OllamaToolCall(string? Id, OllamaFunctionCall? Function);

/// <param name="Arguments">A JSON object (Ollama parses the model's call before answering).</param>
internal sealed record OllamaFunctionCall(string? Name, JsonNode? Arguments, int? Index = null);

/// <param name="NumPredict">The most tokens to generate.</param>
internal sealed record OllamaOptions(float? Temperature = null, int? NumPredict = null);

internal sealed record OllamaChatResponse(string? Model, OllamaReply? Message, bool Done, string? DoneReason, long? PromptEvalCount, long? EvalCount);

internal sealed record OllamaReply(string? Role, string? Content, IReadOnlyList<OllamaToolCall>? ToolCalls = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatResponse))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
