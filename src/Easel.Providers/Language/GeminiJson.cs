using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record GeminiRequest
{
    public GeminiContent? SystemInstruction { get; init; }
    public required IReadOnlyList<GeminiContent> Contents { get; init; }
    public required GeminiGenerationConfig GenerationConfig { get; init; }
}

internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart>? Parts);

internal sealed record GeminiPart(string? Text = null, GeminiInlineData? InlineData = null, bool? Thought = null);

internal sealed record GeminiInlineData(string MimeType, string Data);

internal sealed record GeminiGenerationConfig(string ResponseMimeType, JsonNode ResponseSchema);

internal sealed record GeminiResponse(
    IReadOnlyList<GeminiCandidate>? Candidates, GeminiPromptFeedback? PromptFeedback, GeminiUsage? UsageMetadata, string? ModelVersion, string? ResponseId);

internal sealed record GeminiCandidate(GeminiContent? Content, string? FinishReason);

internal sealed record GeminiPromptFeedback(string? BlockReason);

internal sealed record GeminiUsage(long PromptTokenCount, long CandidatesTokenCount, long TotalTokenCount);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GeminiRequest))]
[JsonSerializable(typeof(GeminiResponse))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
