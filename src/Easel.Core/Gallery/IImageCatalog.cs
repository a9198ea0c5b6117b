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

    /// <summary>The providers that made images in the gallery, in alphabetical order (case-insensitive), each once.</summary>
    Task<IReadOnlyList<string>> ProvidersAsync(CancellationToken cancellationToken);
}

/// <summary>A gallery search: newest first, every filter optional, one page at a time.</summary>
/// <param name="Text">Words to find in prompts (all must match; prefix match on the last word).</param>
/// <param name="Since">Only images created at or after this instant.</param>
/// <param name="Until">Only images created before this instant.</param>
public sealed record ImageQuery(string? Text = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, int Limit = 50)
{
    /// <summary>Only images made by this provider (case-insensitive).</summary>
    public string? Provider { get; init; }

    /// <summary>Only images scored at least this (images not yet scored are left out).</summary>
    public int? MinScore { get; init; }

    /// <summary>Only images scored at most this (images not yet scored are left out).</summary>
    public int? MaxScore { get; init; }

    /// <summary>Only images with this review status.</summary>
    public ReviewStatus? Review { get; init; }

    /// <summary>Keyset pagination: only images that come after this one in newest-first order.</summary>
    public ImageCursor? After { get; init; }
}

/// <summary>A position in the newest-first gallery order (created_at, then id), passed between pages as opaque text.</summary>
public readonly record struct ImageCursor(DateTimeOffset CreatedAt, string Id)
{
    public static ImageCursor Of(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new ImageCursor(image.CreatedAt, image.Id);
    }

    /// <summary>URL-safe text such as "MTcwMDAwMDAwMDAwMDppbWdfYWJj".</summary>
    public string Encode() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{CreatedAt.ToUnixTimeMilliseconds()}:{Id}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads what <see cref="Encode"/> wrote; false for anything else.</summary>
    public static bool TryParse(string? text, out ImageCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
            return false;
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
            return false;
        var decoded = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(decoded.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return false;
        var id = decoded[(colon + 1)..];
        if (id.Length is 0 or > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            return false;
        cursor = new ImageCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), id);
        return true;
    }
}

public sealed class AmbiguousIdException(string prefix, IReadOnlyList<string> matches)
    : Exception($"'{prefix}' matches {matches.Count} ids ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", …" : "")}); give more characters.")
{
    public IReadOnlyList<string> Matches { get; } = matches;
}
