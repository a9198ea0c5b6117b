using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Server.Api;

namespace Easel.Server.Mcp;

// The structured content of the tools' results. Unlike the REST views these carry no links: an MCP
// client reaches images through get_image, not through URLs of a server that may not be running.

/// <summary>An order as generate_images and get_order report it.</summary>
/// <param name="ImagesDone">Images (slots) finished so far, out of <paramref name="TargetCount"/>.</param>
/// <param name="Images">The final image of each finished slot.</param>
/// <param name="HowToApprove">While the order waits for a person: the ways they can decide.</param>
internal sealed record OrderStatusView(
    string OrderId,
    OrderStatus Status,
    string Prompt,
    int Count,
    int? ApprovedCount,
    int TargetCount,
    string Size,
    string Provider,
    string Model,
    decimal EstimatedCost,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    ApprovalStateView? Approval,
    int ImagesDone,
    IReadOnlyList<OrderImageView> Images,
    HowToApproveView? HowToApprove = null);

/// <summary>The order's approval request, if it needed one.</summary>
internal sealed record ApprovalStateView(
    string RequestId,
    ApprovalStatus Status,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<string> Reasons,
    decimal EstimatedCost,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Note,
    int? ApprovedCount)
{
    public static ApprovalStateView From(ApprovalRequest r) => new(
        r.Id, r.Status, r.ExpiresAt, r.Summary.Reasons, r.Summary.EstimatedCost, r.DecidedBy, r.DecidedAt, r.Note, r.ApprovedCount);
}

/// <param name="Prompt">The prompt the image was made from: the order's, or a refined one.</param>
internal sealed record OrderImageView(string Id, int Slot, int? Score, int Width, int Height, string Prompt, string MediaType)
{
    public static OrderImageView From(ImageRecord i) => new(i.Id, i.Slot, i.Score, i.Width, i.Height, i.Prompt, i.MediaType);
}

/// <summary>How a person decides an approval request outside the MCP client.</summary>
/// <param name="Commands">Command lines for the machine Easel runs on.</param>
/// <param name="Studio">The studio's Approvals page (<c>easel serve</c>).</param>
/// <param name="Api">The REST call, with the approver token.</param>
internal sealed record HowToApproveView(IReadOnlyList<string> Commands, string Studio, string Api);

/// <summary>One page of search_images.</summary>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last page.</param>
internal sealed record ImagePageView(IReadOnlyList<FoundImageView> Images, string? NextCursor);

internal sealed record FoundImageView(
    string Id, string OrderId, int Slot, string Prompt, int? Score, string Provider, string Model, int Width, int Height, DateTimeOffset CreatedAt)
{
    public static FoundImageView From(ImageRecord i) => new(i.Id, i.OrderId, i.Slot, i.Prompt, i.Score, i.Provider, i.Model, i.Width, i.Height, i.CreatedAt);
}

/// <summary>Everything recorded about an image, for get_image: how it was made, how it scored, where it came from.</summary>
/// <param name="Lineage">Ancestors, oldest first, ending with this image.</param>
/// <param name="Children">Images made from this one (regenerated, varied, upscaled), oldest first.</param>
/// <param name="Sent">What the image content of the result is: the original or a thumbnail, its type and size.</param>
internal sealed record ImageInfoView(
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
    string? AspectRatio,
    DateTimeOffset CreatedAt,
    int Iteration,
    int Candidate,
    int? Score,
    EvaluationView? Evaluation,
    ReviewStatus Review,
    string? ReviewedBy,
    string? ParentId,
    Derivation? Derivation,
    IReadOnlyList<LineageStepView> Lineage,
    IReadOnlyList<string> Children,
    SentImageView Sent);

internal sealed record LineageStepView(string Id, Derivation? Derivation, string Prompt, int Width, int Height, int? Score)
{
    public static LineageStepView From(ImageRecord i) => new(i.Id, i.Derivation, i.Prompt, i.Width, i.Height, i.Score);
}

internal sealed record SentImageView(bool Thumbnail, string MediaType, int Bytes);

/// <summary>refine_prompt's answer.</summary>
/// <param name="Source">Where the suggestions come from ("built-in rules" or a model).</param>
internal sealed record SuggestionsView(string Prompt, string Source, IReadOnlyList<SuggestionView> Suggestions);

internal sealed record SuggestionView(string Prompt, string Reason);
