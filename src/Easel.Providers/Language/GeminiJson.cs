using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Easel.Providers.Language;

internal sealed record GeminiRequest
{
    public GeminiContent? SystemInstruction { get; init; }
    public required IReadOnlyList<GeminiContent> Contents { get; init; }
    public GeminiGenerationConfig? GenerationConfig { get; init; }
    public IReadOnlyList<GeminiTool>? Tools { get; init; }
    public GeminiToolConfig? ToolConfig { get; init; }
}

/// <param name="Role">"user" or "model".</param>
internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart>? Parts);

/// <summary>
/// One part: text, inline data, a function call (from the model) or a function response (from the
/// user). Thinking models put a <c>thoughtSignature</c> on their function calls that must be sent
/// back with them.
/// </summary>
internal sealed record GeminiPart(
    string? Text = null, GeminiInlineData? InlineData = null, bool? Thought = null, GeminiFunctionCall? FunctionCall = null,
    GeminiFunctionResponse? FunctionResponse = null, string? ThoughtSignature = null);

internal sealed record GeminiInlineData(string MimeType, string Data);

/// <param name="Id">Set by some API versions; when it is, the response must carry it back.</param>
internal sealed record GeminiFunctionCall(string? Name, JsonNode? Args, string? Id = null);

/// <param name="Response">A JSON object (Gemini takes no other kind).</param>
internal sealed record GeminiFunctionResponse(string Name, JsonNode Response, string? Id = null);

internal sealed record GeminiGenerationConfig(string? ResponseMimeType = null, JsonNode? ResponseSchema = null, float? Temperature = null, int? MaxOutputTokens = null);

internal sealed record GeminiTool(IReadOnlyList<GeminiFunctionDeclaration> FunctionDeclarations);

/// <param name="Parameters">In Gemini's schema dialect; left out for a function without parameters (Gemini refuses an OBJECT with no properties).</param>
internal sealed record GeminiFunctionDeclaration(string Name, string? Description, JsonNode? Parameters);

internal sealed record GeminiToolConfig(GeminiFunctionCallingConfig FunctionCallingConfig);

/// <param name="Mode">AUTO, ANY or NONE.</param>
internal sealed record GeminiFunctionCallingConfig(string Mode, IReadOnlyList<string>? AllowedFunctionNames = null);

internal sealed record GeminiResponse(
    IReadOnlyList<GeminiCandidate>? Candidates, GeminiPromptFeedback? PromptFeedback, GeminiUsage? UsageMetadata, string? ModelVersion, string? ResponseId);

internal sealed record GeminiCandidate(GeminiContent? Content, string? FinishReason);

internal sealed record GeminiPromptFeedback(string? BlockReason);

internal sealed record GeminiUsage(long PromptTokenCount, long CandidatesTokenCount, long TotalTokenCount);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GeminiRequest))]
[JsonSerializable(typeof(GeminiResponse))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
