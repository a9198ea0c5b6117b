using System.Security.Cryptography;

namespace Easel.Core.Orders;

/// <summary>A question put to a person: may this order spend what it will spend?</summary>
public sealed record ApprovalRequest
{
    /// <summary>Random 128-bit id, URL-safe base64 (22 characters): knowing it is what lets someone decide.</summary>
    public required string Id { get; init; }

    public required string OrderId { get; init; }
    public required ApprovalStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>What the approver is shown, kept as it was shown.</summary>
    public required ApprovalSummary Summary { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? Note { get; init; }

    /// <summary>Images approved: all, or K of N for a partial approval.</summary>
    public int? ApprovedCount { get; init; }

    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>True when <paramref name="text"/> has the shape of a request id (saves a lookup and a confusing message).</summary>
    public static bool LooksLikeId(string text) =>
        text.Length == 22 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,
    Cancelled,
}

/// <summary>What an approver needs to decide.</summary>
/// <param name="Reasons">Why approval is needed, e.g. "6 images is more than the 4 allowed without approval".</param>
/// <param name="EstimatedCost">The worst case: every slot refined up to <paramref name="MaxIterations"/>.</param>
/// <param name="MinCost">The cost if every slot passes at the first iteration.</param>
public sealed record ApprovalSummary(
    string Prompt,
    int Count,
    int Batches,
    int ImagesPerCall,
    string Provider,
    string Model,
    decimal EstimatedCost,
    IReadOnlyList<string> Reasons,
    decimal? MinCost = null,
    int MaxIterations = 1,
    int Candidates = 1);

/// <summary>A person's answer to an approval request.</summary>
/// <param name="Count">Images approved when approving part of the order; null approves all.</param>
public sealed record ApprovalDecision(string RequestId, bool Approve, string DecidedBy, string? Note = null, int? Count = null);

/// <summary>A decision that cannot be taken (unknown, already decided, expired or stale request); the message says why.</summary>
public sealed class ApprovalRefusedException(string message) : Exception(message);

/// <summary>Decides whether an order must wait for a person.</summary>
public static class ApprovalPolicy
{
    /// <summary>Why approval is needed, or an empty list when the order may run at once.</summary>
    public static IReadOnlyList<string> Reasons(int count, decimal estimatedCost, ApprovalOptions options)
    {
        var reasons = new List<string>();
        if (count > options.MaxImagesWithoutApproval)
            reasons.Add($"{count} images is more than the {options.MaxImagesWithoutApproval} allowed without approval");
        if (estimatedCost > options.MaxCostWithoutApproval)
            reasons.Add($"the worst-case cost {Money.Format(estimatedCost)} is more than the {Money.Format(options.MaxCostWithoutApproval)} allowed without approval");
        return reasons;
    }
}

public static class Money
{
    /// <summary>US dollars with cents, and finer when a price needs it ("$0.003").</summary>
    public static string Format(decimal dollars) =>
        "$" + (decimal.Round(dollars, 2) == dollars ? dollars.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)
            : dollars.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture));
}
