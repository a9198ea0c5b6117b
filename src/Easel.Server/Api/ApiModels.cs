using System.Text.Json.Serialization;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Providers;

namespace Easel.Server.Api;

/// <summary>Where each resource lives; responses carry these links so clients never build paths themselves.</summary>
internal static class ApiLinks
{
    public const string Root = "/api/v1";

    public static string Order(string id) => $"{Root}/orders/{id}";

    public static string OrderEvents(string id) => $"{Root}/orders/{id}/events";

    public static string Image(string id) => $"{Root}/images/{id}";

    public static string ImageFile(string id) => $"{Root}/images/{id}/file";

    public static string ImageDownload(string id) => $"{Root}/images/{id}/file?download=1";

    public static string Thumbnail(string id) => $"{Root}/images/{id}/thumbnail";

    public static string Approval(string id) => $"{Root}/approvals/{id}";

    public static string Decision(string id) => $"{Root}/approvals/{id}/decision";
}

/// <summary>A list of things.</summary>
internal sealed record ItemsView<T>(IReadOnlyList<T> Items);

/// <summary>One page of gallery search results, newest first.</summary>
/// <param name="Next">Pass as <c>cursor</c> for the next page; null on the last page.</param>
internal sealed record ImagePageView(
    IReadOnlyList<ImageSummaryView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>What the gallery can filter by.</summary>
internal sealed record ImageFiltersView(IReadOnlyList<string> Providers, IReadOnlyList<ReviewStatus> Reviews, int MinScore, int MaxScore);

/// <summary>One line per order, for lists.</summary>
/// <param name="ApprovalId">The pending approval request, while the order waits for one.</param>
internal sealed record OrderSummaryView(
    string Id,
    OrderStatus Status,
    string Prompt,
    int Count,
    int? ApprovedCount,
    string Size,
    string Provider,
    string Model,
    decimal EstimatedCost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    SourceView? Source,
    string? ApprovalId,
    string Url)
{
    public static OrderSummaryView From(Order o, string? approvalId = null) => new(
        o.Id, o.Status, o.Prompt, o.Count, o.ApprovedCount, o.Size.ToString(), o.Provider, o.Model, o.EstimatedCost,
        o.CreatedAt, o.CompletedAt, o.Error, SourceView.From(o.Source), approvalId, ApiLinks.Order(o.Id));
}

/// <summary>An order with everything about it: settings, approval, progress, batches, slots and images.</summary>
/// <param name="Cost">US dollars spent so far (what the provider calls cost).</param>
/// <param name="EstimatedCost">The worst case, every slot refined to the iteration limit.</param>
/// <param name="Images">Every image made for the order (all iterations and candidates); <c>final</c> marks each slot's best.</param>
internal sealed record OrderView(
    string Id,
    OrderStatus Status,
    string Prompt,
    string? NegativePrompt,
    int Count,
    int? ApprovedCount,
    int TargetCount,
    string Size,
    int Width,
    int Height,
    string? AspectRatio,
    string? Style,
    Background Background,
    long Seed,
    string Provider,
    string Model,
    ImageQuality Quality,
    ImageFormat Format,
    int ImagesPerCall,
    decimal EstimatedCost,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    LoopView Loop,
    SourceView? Source,
    IReadOnlyList<ReferenceView> References,
    ApprovalView? Approval,
    ProgressView Progress,
    IReadOnlyList<BatchView> Batches,
    IReadOnlyList<SlotView> Slots,
    IReadOnlyList<ImageSummaryView> Images,
    string Url,
    string EventsUrl);

internal sealed record LoopView(int MaxIterations, int Threshold, int Candidates, string? Preset)
{
    public static LoopView From(LoopSettings l) => new(l.MaxIterations, l.Threshold, l.Candidates, l.Preset);
}

/// <summary>The image a regenerate, variation or upscale order works from.</summary>
internal sealed record SourceView(string ImageId, Derivation Kind, VariationStrength? Strength, int? Scale, string ImageUrl)
{
    public static SourceView? From(OrderSource? s) =>
        s is null ? null : new(s.ImageId, s.Kind, s.Strength, s.Scale, ApiLinks.Image(s.ImageId));
}

/// <summary>A reference image kept with the order.</summary>
/// <param name="Name">The URL it came from, or the uploaded or local file's name (never a path on the server).</param>
internal sealed record ReferenceView(string Name, string MediaType, string Sha256, int Width, int Height)
{
    public static ReferenceView From(StoredReference r) => new(DisplayName(r.Source), r.MediaType, r.Sha256, r.Width, r.Height);

    private static string DisplayName(string source)
    {
        if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return source;
        if (source.StartsWith("upload:", StringComparison.Ordinal))
            return source["upload:".Length..];
        return Path.GetFileName(source.Replace('\\', '/').TrimEnd('/'));
    }
}

/// <summary>How far the order has come.</summary>
internal sealed record ProgressView(int ImagesMade, int SlotsDone, int SlotsTotal, int BatchesDone, int BatchesFailed, int BatchesTotal);

/// <param name="Prompt">The refined prompt of a later iteration; null means the order's prompt.</param>
internal sealed record BatchView(
    int Index, int Iteration, int FirstSlot, int Count, int Candidates, string? Prompt, BatchStatus Status, int Attempts,
    string? Error, decimal? Cost, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static BatchView From(BatchState b) => new(
        b.Index, b.Iteration, b.FirstSlot, b.Count, b.Candidates, b.Prompt, b.Status, b.Attempts, b.Error, b.Cost, b.StartedAt, b.FinishedAt);
}

/// <summary>One image wanted by the order, and where it stands.</summary>
/// <param name="Status">waiting (not started), generating, or done.</param>
/// <param name="BestImageId">The slot's best image so far.</param>
/// <param name="CurrentImageId">What stands in the slot now: the best image, or its newest regeneration.</param>
internal sealed record SlotView(int Slot, SlotProgress Status, int Iteration, int Iterations, string? Prompt, string? BestImageId, int? BestScore, string? CurrentImageId);

internal enum SlotProgress
{
    Waiting,
    Generating,
    Done,
}

/// <summary>An image in lists: enough to show a thumbnail and its score, with links to the rest.</summary>
/// <param name="Final">In an order's image list: true for each slot's best image.</param>
internal sealed record ImageSummaryView(
    string Id,
    string OrderId,
    int Slot,
    int Iteration,
    int Candidate,
    string Prompt,
    string Provider,
    string Model,
    int Width,
    int Height,
    long? Seed,
    int? Score,
    ReviewStatus Review,
    Derivation? Derivation,
    string? ParentId,
    DateTimeOffset CreatedAt,
    string MediaType,
    bool? Final,
    string Url,
    string FileUrl,
    string ThumbnailUrl,
    string DownloadUrl)
{
    public static ImageSummaryView From(ImageRecord i, bool? final = null) => new(
        i.Id, i.OrderId, i.Slot, i.Iteration, i.Candidate, i.Prompt, i.Provider, i.Model, i.Width, i.Height, i.Seed, i.Score, i.Review,
        i.Derivation, i.ParentId, i.CreatedAt, i.MediaType, final,
        ApiLinks.Image(i.Id), ApiLinks.ImageFile(i.Id), ApiLinks.Thumbnail(i.Id), ApiLinks.ImageDownload(i.Id));
}

/// <summary>Everything recorded about an image except where its file lies on the server.</summary>
/// <param name="Lineage">Ancestors, oldest first, ending with this image.</param>
/// <param name="Children">Images made from this one (regenerated, varied, upscaled), oldest first.</param>
internal sealed record ImageDetailView(
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
    Background Background,
    string? AspectRatio,
    DateTimeOffset CreatedAt,
    double GenerationSeconds,
    string Sha256,
    string MediaType,
    int Iteration,
    int Candidate,
    int? Score,
    EvaluationView? Evaluation,
    string? ResponseId,
    string? ParentId,
    Derivation? Derivation,
    ReviewStatus Review,
    DateTimeOffset? ReviewedAt,
    string? ReviewedBy,
    IReadOnlyList<LineageView> Lineage,
    IReadOnlyList<ImageSummaryView> Children,
    string Url,
    string FileUrl,
    string ThumbnailUrl,
    string DownloadUrl,
    string OrderUrl)
{
    public static ImageDetailView From(ImageRecord i, IReadOnlyList<ImageRecord> lineage, IReadOnlyList<ImageRecord> children) => new(
        i.Id, i.OrderId, i.Slot, i.Prompt, i.NegativePrompt, i.Provider, i.Model, i.Seed, i.Width, i.Height,
        i.Parameters.Style, i.Parameters.Background, i.Parameters.AspectRatio, i.CreatedAt, Math.Round(i.GenerationTime.TotalSeconds, 3),
        i.Sha256, i.MediaType, i.Iteration, i.Candidate, i.Score, EvaluationView.From(i.Evaluation), i.ResponseId, i.ParentId, i.Derivation,
        i.Review, i.ReviewedAt, i.ReviewedBy,
        lineage.Select(LineageView.From).ToList(), children.Select(c => ImageSummaryView.From(c)).ToList(),
        ApiLinks.Image(i.Id), ApiLinks.ImageFile(i.Id), ApiLinks.Thumbnail(i.Id), ApiLinks.ImageDownload(i.Id), ApiLinks.Order(i.OrderId));
}

/// <summary>The evaluator's verdict; <c>score</c> is null when the evaluation failed (then <c>error</c> says why).</summary>
internal sealed record EvaluationView(int? Score, string Evaluator, string Feedback, IReadOnlyList<CriterionView> Criteria, IReadOnlyList<string> Unchecked, string? Error)
{
    public static EvaluationView? From(Evaluation? e) => e is null ? null : new(
        e.Error is null ? e.Score : null, e.Evaluator, e.Feedback,
        e.Criteria.Select(c => new CriterionView(c.Name, c.Score, c.Passed, c.Comment, c.Suggestion)).ToList(), e.Unchecked, e.Error);
}

internal sealed record CriterionView(string Name, int Score, bool Passed, string Comment, string? Suggestion);

/// <summary>An ancestor of an image and how the next one was made from it.</summary>
internal sealed record LineageView(string Id, Derivation? Derivation, string Prompt, int Width, int Height, int? Score, string Url, string ThumbnailUrl)
{
    public static LineageView From(ImageRecord i) => new(i.Id, i.Derivation, i.Prompt, i.Width, i.Height, i.Score, ApiLinks.Image(i.Id), ApiLinks.Thumbnail(i.Id));
}

/// <summary>An approval request as the approver sees it.</summary>
/// <param name="RequestedBy">Who placed the order, from its audit trail.</param>
internal sealed record ApprovalView(
    string Id,
    string OrderId,
    ApprovalStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Note,
    int? ApprovedCount,
    ApprovalSummaryView Summary,
    string? RequestedBy,
    string Url,
    string OrderUrl,
    string DecisionUrl)
{
    public static ApprovalView From(ApprovalRequest r, string? requestedBy = null) => new(
        r.Id, r.OrderId, r.Status, r.CreatedAt, r.ExpiresAt, r.DecidedAt, r.DecidedBy, r.Note, r.ApprovedCount,
        ApprovalSummaryView.From(r.Summary), requestedBy, ApiLinks.Approval(r.Id), ApiLinks.Order(r.OrderId), ApiLinks.Decision(r.Id));
}

/// <summary>What the approver was shown when the request was made.</summary>
/// <param name="MinCost">US dollars if every image passes on its first iteration.</param>
/// <param name="EstimatedCost">US dollars in the worst case: every image refined to the iteration limit.</param>
internal sealed record ApprovalSummaryView(
    string Prompt, int Count, int Batches, int ImagesPerCall, string Provider, string Model,
    decimal MinCost, decimal EstimatedCost, IReadOnlyList<string> Reasons, int MaxIterations, int Candidates)
{
    public static ApprovalSummaryView From(ApprovalSummary s) => new(
        s.Prompt, s.Count, s.Batches, s.ImagesPerCall, s.Provider, s.Model, s.MinCost ?? s.EstimatedCost, s.EstimatedCost, s.Reasons, s.MaxIterations, s.Candidates);
}

/// <summary>A decision taken: the request as it now stands and its order.</summary>
internal sealed record DecisionView(ApprovalView Approval, OrderSummaryView Order);

/// <summary>What placing an order would do, before anything is stored or spent.</summary>
/// <param name="Size">The size the provider will make (the nearest it offers to the one asked for).</param>
/// <param name="Calls">Provider calls of the first iteration.</param>
/// <param name="MinCost">US dollars if every image passes on its first iteration.</param>
/// <param name="EstimatedCost">US dollars in the worst case: every image refined to the iteration limit.</param>
/// <param name="ApprovalReasons">Why a person must approve; empty when the order runs at once.</param>
internal sealed record QuoteView(
    string Provider, string Model, string Size, int Width, int Height, string? AspectRatio, int Count, int Calls, int ImagesPerCall,
    decimal MinCost, decimal EstimatedCost, bool NeedsApproval, IReadOnlyList<string> ApprovalReasons, int References)
{
    public static QuoteView From(OrderQuote q, int references) => new(
        q.Provider, q.Model, q.Size.ToString(), q.Size.Width, q.Size.Height, q.AspectRatio, q.Count, q.Calls, q.ImagesPerCall,
        q.MinCost, q.EstimatedCost, q.NeedsApproval, q.ApprovalReasons, references);
}

/// <summary>One line of an order's audit trail; <c>seq</c> orders all events of all orders.</summary>
internal sealed record EventView(
    long Seq, string OrderId, DateTimeOffset At, OrderEventKind Kind, string? Actor, string? Note, int? Batch, int? Attempt, int? Images,
    string? Provider, string? Model, double? DurationSeconds, decimal? Cost, string? Error)
{
    public static EventView From(OrderEvent e) => new(
        e.Seq, e.OrderId, e.At, e.Kind, e.Actor, e.Note, e.Batch, e.Attempt, e.Images, e.Provider, e.Model,
        e.Duration is { } d ? Math.Round(d.TotalSeconds, 3) : null, e.Cost, e.Error);
}

/// <summary>A provider and what it can do. Keys are never shown; <c>problem</c> says what it needs when it is not configured.</summary>
internal sealed record ProviderView(string Name, ProviderKind Kind, string Vendor, bool Configured, string? Problem, string? Model, CapabilitiesView? Capabilities);

/// <param name="PricePerImage">US dollars for one 1024x1024 image at auto quality.</param>
/// <param name="PriceLow">With a quality setting: one 1024x1024 image at low quality.</param>
/// <param name="PriceHigh">With a quality setting: one 1024x1024 image at high quality.</param>
/// <param name="Scales">For upscalers: the factors each side can be enlarged by.</param>
internal sealed record CapabilitiesView(
    int MaxImagesPerCall, IReadOnlyList<string>? Sizes, IReadOnlyList<string>? AspectRatios, int MinSide, int MaxSide, IReadOnlyList<ImageFormat> Formats,
    bool SupportsQuality, bool SupportsNegativePrompt, bool SupportsSeed, bool SupportsTransparentBackground, bool SupportsReferences, int MaxReferences,
    bool SupportsVariations, bool MultiTurn, decimal PricePerImage, decimal? PriceLow, decimal? PriceHigh, int? ImagesPerMinute, int Concurrency,
    IReadOnlyList<int>? Scales);

/// <summary>A domain preset for <c>preset</c> in an order.</summary>
/// <param name="BuiltIn">False for the installation's own presets (files in the config directory).</param>
internal sealed record PresetView(string Name, string Description, bool BuiltIn, IReadOnlyList<string> PromptDetails, IReadOnlyList<PresetCriterionView> Criteria);

internal sealed record PresetCriterionView(string Name, string Description, double Weight, string? Check);

// ---- Request bodies ----

/// <summary>Body of <c>POST /approvals/{id}/decision</c>.</summary>
/// <param name="Approve">true to approve, false to reject.</param>
/// <param name="Count">Approve only this many of the images asked for (1 to the order's count).</param>
/// <param name="Note">Why, for the audit trail.</param>
internal sealed record DecisionRequest(bool? Approve, int? Count, string? Note);

/// <summary>Body of <c>POST /orders/{id}/cancel</c> (optional).</summary>
internal sealed record CancelRequest(string? Note);

/// <summary>Body of <c>POST /images/{id}/review</c>.</summary>
/// <param name="Action">approve, or regenerate (a new image for the same slot; this one is marked regenerated).</param>
internal sealed record ReviewRequest(string? Action);

/// <summary>Body of <c>POST /images/{id}/vary</c> (optional).</summary>
/// <param name="Count">Variations to make, 1-16 (default 1).</param>
/// <param name="Strength">subtle (default: same composition, new details) or strong (a new take on the same idea).</param>
internal sealed record VaryRequest(int? Count, string? Strength);

/// <summary>Body of <c>POST /images/{id}/upscale</c> (optional).</summary>
/// <param name="Scale">2 (default) or 4 times each side.</param>
/// <param name="Upscaler">Which upscaler (default builtin); <c>GET /providers</c> lists them.</param>
internal sealed record UpscaleRequest(int? Scale, string? Upscaler);
