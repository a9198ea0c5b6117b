using Easel.Core.Generation;

namespace Easel.Core.Gallery;

/// <summary>A stored image and everything needed to know how it was made.</summary>
public sealed record ImageRecord
{
    public required string Id { get; init; }
    public required string OrderId { get; init; }

    /// <summary>Position of the image within its order, from 0.</summary>
    public required int Slot { get; init; }

    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public required ImageParameters Parameters { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public long? Seed { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Wall time of the provider call that produced this image.</summary>
    public required TimeSpan GenerationTime { get; init; }

    /// <summary>Absolute path of the image file in the data directory.</summary>
    public required string Path { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    public required int Width { get; init; }
    public required int Height { get; init; }
}

/// <summary>The generation parameters recorded with each image.</summary>
public sealed record ImageParameters(
    int Width,
    int Height,
    string? Style,
    Background Background,
    string? AspectRatio);
