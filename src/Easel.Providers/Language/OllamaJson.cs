using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record OllamaChatRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<OllamaMessage> Messages { get; init; }
    public required JsonNode Format { get; init; }
    public bool Stream { get; init; }
    public OllamaOptions? Options { get; init; }
}

internal sealed record OllamaMessage(string Role, string Content, IReadOnlyList<string>? Images = null);

internal sealed record OllamaOptions(double Temperature);

internal sealed record OllamaChatResponse(string? Model, OllamaReply? Message, bool Done, string? DoneReason, long? PromptEvalCount, long? EvalCount);

internal sealed record OllamaReply(string? Role, string? Content);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatResponse))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
