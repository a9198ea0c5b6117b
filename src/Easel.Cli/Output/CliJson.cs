using System.Text.Json.Serialization;
using Easel.Core.Orders;

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

/// <summary>An order placed but waiting for a person: what `generate --json` prints instead of a result.</summary>
internal sealed record AwaitingApprovalJson(string OrderId, string Status, ApprovalJson Approval, IReadOnlyList<string> Commands);

internal sealed record ApprovalJson(
    string RequestId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    ApprovalSummary Summary,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Note,
    int? ApprovedCount);

/// <summary>An order with its batches and audit trail, for `orders show --json`.</summary>
internal sealed record OrderJson(
    string OrderId,
    string Status,
    string Prompt,
    string? NegativePrompt,
    int Count,
    int? ApprovedCount,
    int ImagesMade,
    string Size,
    string? Style,
    string Provider,
    string Model,
    int ImagesPerCall,
    decimal EstimatedCost,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    ApprovalJson? Approval,
    IReadOnlyList<BatchJson> Batches,
    IReadOnlyList<EventJson> Events);

internal sealed record BatchJson(int Index, int FirstSlot, int Count, string Status, int Attempts, string? Error, decimal? Cost);

internal sealed record EventJson(
    long Seq,
    DateTimeOffset At,
    string Kind,
    string? Actor,
    string? Note,
    int? Batch,
    int? Attempt,
    int? Images,
    string? Provider,
    string? Model,
    double? DurationSeconds,
    decimal? Cost,
    string? Error);

/// <summary>One line per order for `orders --json`.</summary>
internal sealed record OrderSummaryJson(
    string OrderId,
    string Status,
    string Prompt,
    int Count,
    int? ApprovedCount,
    string Provider,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? ApprovalRequestId);

internal sealed record OrderListJson(IReadOnlyList<OrderSummaryJson> Orders);

/// <summary>What `approve`, `reject` and `orders cancel` print with --json when they do not wait.</summary>
internal sealed record DecisionJson(string OrderId, string Status, ApprovalJson? Approval);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(GenerateJson))]
[JsonSerializable(typeof(HistoryJson))]
[JsonSerializable(typeof(ImageDetailJson))]
[JsonSerializable(typeof(AwaitingApprovalJson))]
[JsonSerializable(typeof(OrderJson))]
[JsonSerializable(typeof(OrderListJson))]
[JsonSerializable(typeof(DecisionJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
