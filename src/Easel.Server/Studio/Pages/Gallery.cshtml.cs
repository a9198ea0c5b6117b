using System.Globalization;
using Easel.Core.Gallery;
using Easel.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Easel.Server.Studio.Pages;

/// <summary>
/// Gallery: every image, newest first, with full-text search and filters, one page at a time by
/// keyset cursor ("Older" carries the last image's position; never an offset).
/// <see cref="OnGetPageAsync"/> renders just the next page's items for the script's infinite scroll.
/// </summary>
internal sealed class GalleryModel(EaselServices services) : PageModel
{
    public const int DefaultLimit = 24;
    public const int MaxLimit = 100;

    [BindProperty(SupportsGet = true)]
    public GalleryFilter Filter { get; set; } = new();

    public GalleryPage Results { get; private set; } = new([], null, 0);

    /// <summary>Filters that could not be read, each with why; the search runs without them.</summary>
    public List<string> Problems { get; } = [];

    public IReadOnlyList<string> ProviderNames { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ProviderNames = await ProvidersAsync(cancellationToken);
        Results = await SearchAsync(cancellationToken);
    }

    public async Task<IActionResult> OnGetPageAsync(CancellationToken cancellationToken) =>
        Partial("_GalleryPage", await SearchAsync(cancellationToken));

    private async Task<GalleryPage> SearchAsync(CancellationToken cancellationToken)
    {
        var limit = DefaultLimit;
        if (Filter.Limit is { Length: > 0 } limitText)
        {
            if (int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= MaxLimit)
                limit = l;
            else
                Problems.Add($"Show between 1 and {MaxLimit} images a page; showing {DefaultLimit}.");
        }
        var query = new ImageQuery(Text: Blank(Filter.Q), Since: Day(Filter.From, "From"), Until: Day(Filter.To, "To")?.AddDays(1), Limit: limit + 1)
        {
            Provider = Blank(Filter.Provider),
            MinScore = Score(Filter.MinScore),
            Review = Review(Filter.Review),
            After = Cursor(Filter.After),
        };
        var found = await services.Store.Images.SearchAsync(query, cancellationToken);
        var page = found.Take(limit).ToList();
        string? next = null;
        if (found.Count > limit)
            next = ImageCursor.Of(page[^1]).Encode();
        return new GalleryPage(page, next is null ? null : QueryWith(next), limit) { PageQuery = next is null ? null : QueryWith(next, "Page") };
    }

    /// <summary>The current filters with another cursor, as a query string.</summary>
    private string QueryWith(string after, string? handler = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (handler is not null)
            pairs.Add(new("handler", handler));
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
                pairs.Add(new(name, value.Trim()));
        }
        Add("q", Filter.Q);
        Add("from", Filter.From);
        Add("to", Filter.To);
        Add("provider", Filter.Provider);
        Add("minScore", Filter.MinScore);
        Add("review", Filter.Review);
        Add("limit", Filter.Limit);
        Add("after", after);
        return "/gallery" + QueryString.Create(pairs).ToUriComponent();
    }

    /// <summary>The providers that made images here (and the filter's current value, so it stays selected).</summary>
    private async Task<IReadOnlyList<string>> ProvidersAsync(CancellationToken cancellationToken)
    {
        var names = (await services.Store.Images.ProvidersAsync(cancellationToken)).ToList();
        if (Blank(Filter.Provider) is { } chosen && !names.Contains(chosen, StringComparer.OrdinalIgnoreCase))
            names.Add(chosen);
        return names;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A calendar day (yyyy-mm-dd) as the start of that day in UTC.</summary>
    private DateTimeOffset? Day(string? text, string label)
    {
        if (Blank(text) is not { } day)
            return null;
        if (DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Problems.Add($"{label} date '{StudioFormat.Excerpt(day, 20)}' is not a date like 2026-11-21; it is left out.");
        return null;
    }

    private int? Score(string? text)
    {
        if (Blank(text) is not { } score)
            return null;
        if (int.TryParse(score, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 100)
            return s;
        Problems.Add($"Minimum score must be a whole number from 0 to 100; '{StudioFormat.Excerpt(score, 20)}' is left out.");
        return null;
    }

    private ReviewStatus? Review(string? text) => Blank(text)?.ToLowerInvariant() switch
    {
        null => null,
        "approved" => ReviewStatus.Approved,
        "regenerated" => ReviewStatus.Regenerated,
        "unreviewed" => ReviewStatus.Unreviewed,
        _ => Unknown(),
    };

    private ReviewStatus? Unknown()
    {
        Problems.Add("Review status must be approved, regenerated or unreviewed; it is left out.");
        return null;
    }

    private ImageCursor? Cursor(string? text)
    {
        if (Blank(text) is not { } after)
            return null;
        if (ImageCursor.TryParse(after, out var cursor))
            return cursor;
        Problems.Add("The page link is damaged; showing the newest images instead.");
        return null;
    }
}

/// <summary>The gallery's query string, as typed (read by the page so a typo gets a clear message).</summary>
internal sealed class GalleryFilter
{
    public string? Q { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Provider { get; set; }
    public string? MinScore { get; set; }
    public string? Review { get; set; }
    public string? After { get; set; }
    public string? Limit { get; set; }

    public bool Any => new[] { Q, From, To, Provider, MinScore, Review }.Any(v => !string.IsNullOrWhiteSpace(v));
}

/// <param name="Older">Link to the next (older) page, or null on the last page.</param>
internal sealed record GalleryPage(IReadOnlyList<ImageRecord> Images, string? Older, int Limit)
{
    /// <summary>The next page's items alone, for infinite scroll.</summary>
    public string? PageQuery { get; init; }
}
