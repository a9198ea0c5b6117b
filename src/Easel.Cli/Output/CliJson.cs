using System.Text.Json.Serialization;

namespace Easel.Cli.Output;

/// <summary>The JSON `easel generate --json` prints: seed 004's result plus the images made.</summary>
internal sealed record GenerateJson(
    string OrderId,
    string Status,
    string? BestImage,
    double? FinalScore,
    IReadOnlyList<string> PromptHistory,
    IReadOnlyList<string> ImageHistory,
    IReadOnlyList<string> FeedbackHistory,
    IReadOnlyList<ImageJson> Images,
    IReadOnlyList<string> Errors);

/// <param name="Copy">Where `--out` put a copy of the file, when it was given.</param>
internal sealed record ImageJson(string Id, string Path, int Width, int Height, long? Seed, string Sha256, string? Copy);

/// <summary>One image with all of its metadata, for `history --json` and `show --json`.</summary>
internal sealed record ImageDetailJson(
    string Id,
    string OrderId,
    int Slot,
    string Prompt,
    string? NegativePrompt,
    string Provider,
    string Model,
    long? Seed,
    int Width,
    int Height,
    string? Style,
    string Background,
    string? AspectRatio,
    DateTimeOffset CreatedAt,
    double GenerationSeconds,
    string Path,
    string Sha256);

internal sealed record HistoryJson(IReadOnlyList<ImageDetailJson> Images);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(GenerateJson))]
[JsonSerializable(typeof(HistoryJson))]
[JsonSerializable(typeof(ImageDetailJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
