using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;

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

    /// <summary>Iteration of the quality loop that made it, from 1.</summary>
    public int Iteration { get; init; } = 1;

    /// <summary>Which of the iteration's best-of-K candidates it is, from 0.</summary>
    public int Candidate { get; init; }

    /// <summary>The evaluator's verdict; null until evaluated.</summary>
    public Evaluation? Evaluation { get; init; }

    /// <summary>The provider's response id, for continuing from this image.</summary>
    public string? ResponseId { get; init; }

    /// <summary>The image this one was made from (regenerated, varied or upscaled), or null.</summary>
    public string? ParentId { get; init; }

    public Derivation? Derivation { get; init; }

    public ReviewStatus Review { get; init; } = ReviewStatus.Unreviewed;
    public DateTimeOffset? ReviewedAt { get; init; }
    public string? ReviewedBy { get; init; }

    public int? Score => Evaluation is { Error: null } e ? e.Score : null;

    /// <summary>The file's type, from its extension (Easel names files by what their bytes are).</summary>
    public string MediaType => System.IO.Path.GetExtension(Path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        _ => "image/png",
    };
}

/// <summary>A person's verdict on an image (seed 001's review step).</summary>
public enum ReviewStatus
{
    Unreviewed,
    Approved,

    /// <summary>Turned down; a regenerated image takes its slot.</summary>
    Regenerated,
}

/// <summary>The generation parameters recorded with each image.</summary>
public sealed record ImageParameters(
    int Width,
    int Height,
    string? Style,
    Background Background,
    string? AspectRatio);
