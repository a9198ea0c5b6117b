using Easel.Core.Generation;

namespace Easel.Core.Orders;

/// <summary>A request for one or more images from one prompt.</summary>
public sealed record Order
{
    public required string Id { get; init; }
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public required int Count { get; init; }
    public required ImageSize Size { get; init; }
    public string? AspectRatio { get; init; }
    public string? Style { get; init; }
    public Background Background { get; init; }

    /// <summary>Seed of the first image; image i uses <c>Seed + i</c>.</summary>
    public required long Seed { get; init; }

    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required OrderStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why the order failed, in plain words; null otherwise.</summary>
    public string? Error { get; init; }
}

public enum OrderStatus
{
    Running,
    Completed,
    PartiallyCompleted,
    Failed,
}

/// <summary>Where orders are kept.</summary>
public interface IOrderStore
{
    Task CreateAsync(Order order, CancellationToken cancellationToken);

    Task UpdateStatusAsync(string orderId, OrderStatus status, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken);

    Task<Order?> FindAsync(string id, CancellationToken cancellationToken);
}
