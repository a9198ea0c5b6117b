using System.Text.Json;
using System.Text.Json.Serialization;

namespace Easel.Providers.Automatic1111;

/// <summary>The body of <c>/sdapi/v1/txt2img</c>; with an init image it is also the body of <c>/sdapi/v1/img2img</c>.</summary>
internal sealed record DiffusionRequest
{
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public long Seed { get; init; } = -1;
    public int BatchSize { get; init; } = 1;
    public int NIter { get; init; } = 1;
    public int Steps { get; init; }
    public double CfgScale { get; init; }
    public string? SamplerName { get; init; }
    public string? Scheduler { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public bool SendImages { get; init; } = true;
    public bool SaveImages { get; init; }
    public IReadOnlyList<string>? InitImages { get; init; }
    public double? DenoisingStrength { get; init; }
    public OverrideSettings? OverrideSettings { get; init; }
}

/// <summary>Settings changed for one call only (the server restores them afterwards).</summary>
internal sealed record OverrideSettings(string SdModelCheckpoint);

/// <summary><c>info</c> is a JSON document written into a string (an object in some forks).</summary>
internal sealed record DiffusionResponse(IReadOnlyList<string>? Images, JsonElement? Info);

/// <summary>The parts of <c>info</c> Easel reads back: which seed made which image, and the checkpoint used.</summary>
internal sealed record DiffusionInfo(long? Seed, IReadOnlyList<long>? AllSeeds, int IndexOfFirstImage, string? SdModelName);

internal sealed record UpscaleRequest
{
    public required string Image { get; init; }
    public int UpscalingResize { get; init; }

    [JsonPropertyName("upscaler_1")]
    public required string Upscaler1 { get; init; }
}

internal sealed record UpscaleResponse(string? Image, string? HtmlInfo);

/// <summary>A FastAPI validation error item: <c>{"loc":["body","width"],"msg":"…","type":"…"}</c>.</summary>
internal sealed record ValidationItem(IReadOnlyList<JsonElement>? Loc, string? Msg, string? Type);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DiffusionRequest))]
[JsonSerializable(typeof(DiffusionResponse))]
[JsonSerializable(typeof(DiffusionInfo))]
[JsonSerializable(typeof(UpscaleRequest))]
[JsonSerializable(typeof(UpscaleResponse))]
[JsonSerializable(typeof(IReadOnlyList<ValidationItem>))]
internal sealed partial class Automatic1111JsonContext : JsonSerializerContext;
