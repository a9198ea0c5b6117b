using System.Text.Json.Serialization;

namespace Easel.Providers.OpenAI;

internal sealed record ImagesRequest
{
    public required string Model { get; init; }
    public required string Prompt { get; init; }
    public int N { get; init; } = 1;
    public string? Size { get; init; }
    public string? Quality { get; init; }
    public string? Background { get; init; }
    public string? OutputFormat { get; init; }
}

internal sealed record ImagesResponse(long Created, IReadOnlyList<ImageData>? Data, ImagesUsage? Usage);

internal sealed record ImageData(string? B64Json, string? RevisedPrompt);

internal sealed record ImagesUsage(long InputTokens, long OutputTokens, long TotalTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImagesRequest))]
[JsonSerializable(typeof(ImagesResponse))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext;
