using System.Text.Json.Serialization;

namespace Easel.Providers.ComfyUI;

/// <summary>200 from <c>POST /prompt</c>: the job's id and its place in the queue.</summary>
internal sealed record PromptResponse(string? PromptId, long? Number);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PromptResponse))]
internal sealed partial class ComfyUIJsonContext : JsonSerializerContext;
