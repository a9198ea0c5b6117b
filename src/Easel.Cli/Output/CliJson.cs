using System.Text.Json.Serialization;
using Easel.Core.Orders;

namespace Easel.Cli.Output;

/// <summary>
/// The JSON `easel generate --json` prints: seed 004's result (for the best image of the order:
/// its path, score and the prompt, image and feedback histories of its slot), the order's id,
/// iterations and cost, then every slot's final image and history.
/// </summary>
internal sealed record GenerateJson(
    string OrderId,
    string Status,
    string? BestImage,
    int? FinalScore,
    IReadOnlyList<string> PromptHistory,
    IReadOnlyList<string> ImageHistory,
    IReadOnlyList<string> FeedbackHistory,
    int Iterations,
    decimal Cost,
    IReadOnlyList<ImageJson> Images,
    IReadOnlyList<SlotJson> Slots,
    IReadOnlyList<string> Errors);

/// <summary>One final image.</summary>
/// <param name="Copy">Where `--out` put a copy of the file, when it was given.</param>
internal sealed record ImageJson(string Id, int Slot, string Path, int Width, int Height, long? Seed, string Sha256, int? Score, string? Copy);

/// <summary>One slot of the order: its final image and how it got there.</summary>
internal sealed record SlotJson(
    int Slot,
    string? BestImage,
    int? FinalScore,
    int Iterations,
    IReadOnlyList<string> PromptHistory,
    IReadOnlyList<string> ImageHistory,
    IReadOnlyList<string> FeedbackHistory);

/// <summary>The evaluator's verdict on one image.</summary>
internal sealed record EvaluationJson(
    int? Score,
    string Evaluator,
    string Feedback,
    IReadOnlyList<CriterionJson> Criteria,
    IReadOnlyList<string> Unchecked,
    string? Error);

internal sealed record CriterionJson(string Name, int Score, bool Passed, string Comment, string? Suggestion);

/// <summary>An ancestor of an image: what it is and how the next one was made from it.</summary>
internal sealed record LineageJson(string Id, string? Derivation, string Prompt, int Width, int Height, int? Score);

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
    string Sha256,
    int Iteration,
    int Candidate,
    int? Score,
    EvaluationJson? Evaluation,
    string? ParentId,
    string? Derivation,
    string Review,
    DateTimeOffset? ReviewedAt,
    string? ReviewedBy,
    IReadOnlyList<LineageJson>? Lineage);

internal sealed record HistoryJson(IReadOnlyList<ImageDetailJson> Images);

/// <summary>An order's images as they stand for review, for `review --json`.</summary>
internal sealed record ReviewJson(string OrderId, IReadOnlyList<ImageDetailJson> Images);

internal sealed record PresetJson(string Name, string Description, string Source, IReadOnlyList<string> PromptDetails, IReadOnlyList<PresetCriterionJson> Criteria);

internal sealed record PresetCriterionJson(string Name, string Description, double Weight, string? Check);

/// <param name="KeySource">Where the key came from (a variable or config key), never the key.</param>
internal sealed record ProviderJson(
    string Name, string Kind, string Vendor, bool Configured, string? Problem, string? KeySource, string? BaseUrl, string? Model, CapabilitiesJson? Capabilities);

/// <param name="PricePerImage">US dollars for one 1024x1024 image at auto quality.</param>
internal sealed record CapabilitiesJson(
    int MaxImagesPerCall, IReadOnlyList<string>? Sizes, IReadOnlyList<string>? AspectRatios, int MinSide, int MaxSide, IReadOnlyList<string> Formats,
    bool Quality, bool NegativePrompt, bool Seed, bool TransparentBackground, int MaxReferences, bool MultiTurn, bool Variations,
    decimal PricePerImage, int? ImagesPerMinute, int Concurrency, double TimeoutSeconds);

internal sealed record ProviderListJson(IReadOnlyList<ProviderJson> Providers);

internal sealed record PresetListJson(IReadOnlyList<PresetJson> Presets, IReadOnlyList<string> Problems);

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
    LoopJson Loop,
    SourceJson? Source,
    IReadOnlyList<string> References,
    ApprovalJson? Approval,
    IReadOnlyList<BatchJson> Batches,
    IReadOnlyList<EventJson> Events);

/// <param name="Prompt">The refined prompt of a later iteration; null means the order's prompt.</param>
internal sealed record BatchJson(
    int Index, int Iteration, int FirstSlot, int Count, int FirstCandidate, int Candidates, string? Prompt, string Status, int Attempts, string? Error, decimal? Cost);

internal sealed record LoopJson(int MaxIterations, int Threshold, int Candidates, string? Preset);

/// <summary>The image a regenerate, variation or upscale order works from.</summary>
internal sealed record SourceJson(string ImageId, string Kind, string? Strength, int? Scale);

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
[JsonSerializable(typeof(ReviewJson))]
[JsonSerializable(typeof(PresetListJson))]
[JsonSerializable(typeof(ProviderListJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
