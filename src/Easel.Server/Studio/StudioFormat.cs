using System.Globalization;
using Easel.Core.Gallery;
using Easel.Core.Orders;

namespace Easel.Server.Studio;

/// <summary>How the studio words numbers, times and states, the same on every page.</summary>
internal static class StudioFormat
{
    /// <summary>The first <paramref name="length"/> characters of a prompt, cut at a word, with an ellipsis when cut.</summary>
    public static string Excerpt(string? text, int length = 80)
    {
        var clean = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (clean.Length <= length)
            return clean;
        var cut = clean.LastIndexOf(' ', length);
        return (cut > length / 2 ? clean[..cut] : clean[..length]).TrimEnd(',', '.', ';', ':') + "…";
    }

    /// <summary>An instant in UTC, e.g. "2026-11-21 14:05 UTC" (the script shows it in the reader's own zone).</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Machine-readable form for &lt;time datetime&gt;.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"2d 3h", "3h 20m", "4m 05s", "expired".</summary>
    public static string Remaining(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
            return "expired";
        if (left.TotalDays >= 1)
            return string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalDays}d {left.Hours}h");
        if (left.TotalHours >= 1)
            return string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}h {left.Minutes:00}m");
        return string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}m {left.Seconds:00}s");
    }

    /// <summary>"1.4 s", "320 ms".</summary>
    public static string Duration(TimeSpan duration) => duration.TotalSeconds >= 1
        ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : ((int)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    public static string Money(decimal dollars) => Core.Orders.Money.Format(dollars);

    /// <summary>"$0.04 – $0.12", or one figure when both ends agree.</summary>
    public static string CostRange(decimal min, decimal worst) => min == worst ? Money(worst) : $"{Money(min)} – {Money(worst)}";

    /// <summary>"awaiting approval", "partially completed".</summary>
    public static string Status(OrderStatus status) => status.ToText().Replace('_', ' ');

    /// <summary>The badge colour family of an order status.</summary>
    public static string StatusTone(OrderStatus status) => status switch
    {
        OrderStatus.Completed => "good",
        OrderStatus.PartiallyCompleted => "warn",
        OrderStatus.AwaitingApproval => "attention",
        OrderStatus.Queued or OrderStatus.Running or OrderStatus.Planned => "busy",
        OrderStatus.Failed or OrderStatus.Rejected or OrderStatus.Expired => "bad",
        _ => "neutral",
    };

    public static string Review(ReviewStatus review) => review switch
    {
        ReviewStatus.Approved => "approved",
        ReviewStatus.Regenerated => "regenerated",
        _ => "not reviewed",
    };

    public static string ReviewTone(ReviewStatus review) => review switch
    {
        ReviewStatus.Approved => "good",
        ReviewStatus.Regenerated => "neutral",
        _ => "quiet",
    };

    public static string ApprovalTone(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => "good",
        ApprovalStatus.Pending => "attention",
        ApprovalStatus.Rejected or ApprovalStatus.Expired => "bad",
        _ => "neutral",
    };

    /// <summary>The score's colour family against the order's threshold.</summary>
    public static string ScoreTone(int? score, int threshold) => score switch
    {
        null => "quiet",
        var s when s >= threshold => "good",
        var s when s >= threshold - 20 => "warn",
        _ => "bad",
    };

    /// <summary>Text that says what an image is, for alt text and titles.</summary>
    public static string Alt(ImageRecord image) => $"Image {image.Slot + 1}: {Excerpt(image.Prompt, 100)}";

    public static string Derivation(Derivation kind) => kind switch
    {
        Core.Orders.Derivation.Regenerate => "regeneration",
        Core.Orders.Derivation.Variation => "variation",
        Core.Orders.Derivation.Upscale => "upscale",
        _ => kind.ToText(),
    };

    public static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
