using Easel.Core.Generation;
using Easel.Core.Quality;

namespace Easel.Core.Orders;

/// <summary>A request for one or more images from one prompt, and where it stands.</summary>
public sealed record Order
{
    public required string Id { get; init; }
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }

    /// <summary>Images asked for.</summary>
    public required int Count { get; init; }

    /// <summary>Images approved (all of <see cref="Count"/> unless a person approved part); null until decided.</summary>
    public int? ApprovedCount { get; init; }

    public required ImageSize Size { get; init; }
    public string? AspectRatio { get; init; }
    public string? Style { get; init; }
    public Background Background { get; init; }

    /// <summary>Seed of the first image; image i uses <c>Seed + i</c>.</summary>
    public required long Seed { get; init; }

    public required string Provider { get; init; }
    public required string Model { get; init; }

    /// <summary>Images each provider call makes at most, fixed when the order is planned.</summary>
    public required int ImagesPerCall { get; init; }

    /// <summary>US dollars, from the provider's price table: the worst case, every slot refined to the iteration limit.</summary>
    public decimal EstimatedCost { get; init; }

    public LoopSettings Loop { get; init; } = LoopSettings.Once;

    public ImageQuality Quality { get; init; } = ImageQuality.Auto;

    public ImageFormat Format { get; init; } = ImageFormat.Png;

    public IReadOnlyList<StoredReference> References { get; init; } = [];

    /// <summary>The image this order derives from (regenerate, vary, upscale), or null.</summary>
    public OrderSource? Source { get; init; }

    public required OrderStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the order reached an end state.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why the order failed or ended early, in plain words; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>Images the order is to make now: the approved part, or all asked for.</summary>
    public int TargetCount => ApprovedCount ?? Count;
}

/// <summary>
/// <c>Planned → AwaitingApproval → Queued → Running → Completed | PartiallyCompleted | Failed</c>,
/// with Rejected, Expired and Cancelled as other ends.
/// </summary>
public enum OrderStatus
{
    Planned,
    AwaitingApproval,
    Queued,
    Running,
    Completed,
    PartiallyCompleted,
    Failed,
    Rejected,
    Expired,
    Cancelled,
}

public static class OrderStatusExtensions
{
    public static bool IsFinished(this OrderStatus status) => status >= OrderStatus.Completed;

    /// <summary>Queued or running: a worker has something to do.</summary>
    public static bool IsActive(this OrderStatus status) => status is OrderStatus.Queued or OrderStatus.Running;

    /// <summary>The snake_case word used in JSON, the database and on the command line.</summary>
    public static string ToText(this OrderStatus status) => status switch
    {
        OrderStatus.AwaitingApproval => "awaiting_approval",
        OrderStatus.PartiallyCompleted => "partially_completed",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string text, out OrderStatus status)
    {
        foreach (var value in Enum.GetValues<OrderStatus>())
        {
            var name = value.ToText();
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(text.Replace('-', '_'), name, StringComparison.OrdinalIgnoreCase))
            {
                status = value;
                return true;
            }
        }
        status = default;
        return false;
    }
}
