using Easel.Core.Quality;

namespace Easel.Core.Gallery;

/// <summary>The searchable record of every image (SQLite or PostgreSQL behind it).</summary>
public interface IImageCatalog
{
    Task AddAsync(ImageRecord image, CancellationToken cancellationToken);

    /// <summary>The image with this id, or with this unique id prefix; null when none.</summary>
    /// <exception cref="AmbiguousIdException">The prefix matches more than one image.</exception>
    Task<ImageRecord?> FindAsync(string idOrPrefix, CancellationToken cancellationToken);

    /// <summary>Every image of the order, by slot, iteration and candidate.</summary>
    Task<IReadOnlyList<ImageRecord>> ListByOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>Images made from this one (regenerated, varied, upscaled), oldest first.</summary>
    Task<IReadOnlyList<ImageRecord>> ChildrenAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>Stores the evaluator's verdict unless the image already has one; false when it had.</summary>
    Task<bool> SetEvaluationAsync(string imageId, Evaluation evaluation, CancellationToken cancellationToken);

    /// <summary>Records a person's review of an image.</summary>
    Task<bool> SetReviewAsync(string imageId, ReviewStatus status, string reviewer, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Newest first; full-text search over prompts when <see cref="ImageQuery.Text"/> is set.</summary>
    Task<IReadOnlyList<ImageRecord>> SearchAsync(ImageQuery query, CancellationToken cancellationToken);
}

/// <param name="Text">Words to find in prompts (all must match; prefix match on the last word).</param>
/// <param name="Since">Only images created at or after this instant.</param>
/// <param name="Until">Only images created before this instant.</param>
public sealed record ImageQuery(string? Text = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, int Limit = 50);

public sealed class AmbiguousIdException(string prefix, IReadOnlyList<string> matches)
    : Exception($"'{prefix}' matches {matches.Count} ids ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", …" : "")}); give more characters.")
{
    public IReadOnlyList<string> Matches { get; } = matches;
}
