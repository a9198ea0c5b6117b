using System.Text.Json;
using System.Text.Json.Serialization;

namespace Easel.Providers.Replicate;

/// <summary>The body of a create call; <see cref="Version"/> only on the version route.</summary>
internal sealed record CreatePrediction(string? Version, ReplicateInput Input);

/// <summary>flux-schnell's inputs; absent ones are left out so other models can take this shape too.</summary>
internal sealed record ReplicateInput
{
    public required string Prompt { get; init; }
    public string? AspectRatio { get; init; }
    public int? NumOutputs { get; init; }
    public long? Seed { get; init; }
    public string? OutputFormat { get; init; }
    public bool? GoFast { get; init; }
    public string? Megapixels { get; init; }
}

/// <summary>A prediction as create and get return it. Output and error vary by model, so they stay raw JSON.</summary>
internal sealed record Prediction
{
    public string? Id { get; init; }
    public string? Model { get; init; }
    public string? Version { get; init; }
    public string? Status { get; init; }
    public JsonElement? Output { get; init; }
    public JsonElement? Error { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreatePrediction))]
[JsonSerializable(typeof(Prediction))]
internal sealed partial class ReplicateJsonContext : JsonSerializerContext;
