using Dapper;
using Easel.Core.Gallery;
using Easel.Core.Quality;
using Easel.Storage.Sqlite;

namespace Easel.Storage.Tests;

/// <summary>The gallery's filters (provider, score, review status, dates), text and keyset pages, alone and together.</summary>
public sealed class GallerySearchTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Day = new(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
    private readonly StoreScope _s = new();

    public GallerySearchTests() => _s.Orders.CreateBareAsync(Samples.Order(), Ct).GetAwaiter().GetResult();

    public void Dispose() => _s.Dispose();

    /// <summary>A text search either sorts the few matching images or walks the gallery order past the rest; both must agree.</summary>
    public enum Way
    {
        AsConfigured,
        FromMatches,
        Walking,
    }

    private IImageCatalog Catalog(Way way) => way switch
    {
        Way.FromMatches => new SqliteImageCatalog(_s.Store.Database, _s.Data.Root) { FewMatches = int.MaxValue },
        Way.Walking => new SqliteImageCatalog(_s.Store.Database, _s.Data.Root) { FewMatches = 0 },
        _ => _s.Images,
    };

    private static Evaluation Scored(int score) => new(score, [], "fine", [], "builtin");

    private async Task<ImageRecord> Add(string id, double hours, string prompt = "a red fox", string provider = "sketch",
        int? score = 80, ReviewStatus review = ReviewStatus.Unreviewed, bool failed = false)
    {
        var image = Samples.Image(_s.Data, id, createdAt: Day.AddHours(hours), prompt: prompt) with
        {
            Provider = provider,
            Evaluation = failed ? Evaluation.Failed("builtin", "timed out") : score is { } s ? Scored(s) : null,
            Review = review,
        };
        await _s.Images.AddAsync(image, Ct);
        return image;
    }

    private async Task<string[]> Ids(ImageQuery query, Way way = Way.AsConfigured) =>
        (await Catalog(way).SearchAsync(query, Ct)).Select(i => i.Id).ToArray();

    /// <summary>Every page after the first starts from the cursor of the previous page's last image.</summary>
    private async Task<List<List<string>>> Pages(ImageQuery query, Way way = Way.AsConfigured)
    {
        var pages = new List<List<string>>();
        for (ImageCursor? after = null; ;)
        {
            var page = await Catalog(way).SearchAsync(query with { After = after }, Ct);
            if (page.Count > 0)
                pages.Add(page.Select(i => i.Id).ToList());
            if (page.Count < query.Limit)
                return pages;
            // Through its text form, as the REST API passes it.
            ImageCursor.TryParse(ImageCursor.Of(page[^1]).Encode(), out var next).ShouldBeTrue();
            after = next;
            pages.Count.ShouldBeLessThan(1000, "paging does not end");
        }
    }

    [Fact]
    public async Task Provider_filter_matches_the_whole_name_in_any_case()
    {
        await Add("img_p1", 1, provider: "sketch");
        await Add("img_p2", 2, provider: "openai");
        await Add("img_p3", 3, provider: "OpenAI");
        await Add("img_p4", 4, provider: "openai-compatible");

        (await Ids(new ImageQuery { Provider = "OPENAI" })).ShouldBe(["img_p3", "img_p2"]);
        (await Ids(new ImageQuery { Provider = " sketch " })).ShouldBe(["img_p1"]);
        (await Ids(new ImageQuery { Provider = "open" })).ShouldBeEmpty();
        (await Ids(new ImageQuery { Provider = "" })).Length.ShouldBe(4); // no filter
    }

    [Fact]
    public async Task Score_bounds_are_inclusive_and_leave_out_images_without_a_score()
    {
        await Add("img_s1", 1, score: 10);
        await Add("img_s2", 2, score: 60);
        await Add("img_s3", 3, score: 80);
        await Add("img_s4", 4, score: 100);
        await Add("img_s5", 5, score: null); // not evaluated yet
        await Add("img_s6", 6, failed: true); // the evaluator failed: its 0 means nothing

        (await Ids(new ImageQuery { MinScore = 60 })).ShouldBe(["img_s4", "img_s3", "img_s2"]);
        (await Ids(new ImageQuery { MaxScore = 60 })).ShouldBe(["img_s2", "img_s1"]);
        (await Ids(new ImageQuery { MinScore = 60, MaxScore = 80 })).ShouldBe(["img_s3", "img_s2"]);
        (await Ids(new ImageQuery { MinScore = 0 })).ShouldBe(["img_s4", "img_s3", "img_s2", "img_s1"]);
        (await Ids(new ImageQuery { MinScore = 81, MaxScore = 79 })).ShouldBeEmpty();
        (await Ids(new ImageQuery())).Length.ShouldBe(6);
    }

    [Theory]
    [InlineData(ReviewStatus.Unreviewed, new[] { "img_r3" })]
    [InlineData(ReviewStatus.Approved, new[] { "img_r4", "img_r1" })]
    [InlineData(ReviewStatus.Regenerated, new[] { "img_r2" })]
    public async Task Review_filter_keeps_images_with_that_status(ReviewStatus status, string[] expected)
    {
        await Add("img_r1", 1, review: ReviewStatus.Approved);
        await Add("img_r2", 2, review: ReviewStatus.Regenerated);
        await Add("img_r3", 3);
        await Add("img_r4", 4);
        await _s.Images.SetReviewAsync("img_r4", ReviewStatus.Approved, "ada", Day.AddDays(1), Ct);

        (await Ids(new ImageQuery { Review = status })).ShouldBe(expected);
    }

    [Theory]
    [InlineData(Way.FromMatches)]
    [InlineData(Way.Walking)]
    public async Task Text_dates_and_filters_combine(Way way)
    {
        await Add("img_c1", 1, "a red fox", "openai", 90, ReviewStatus.Approved);
        await Add("img_c2", 2, "a red fox", "openai", 90, ReviewStatus.Approved);
        await Add("img_c3", 3, "a red fox", "openai", 90, ReviewStatus.Unreviewed); // wrong status
        await Add("img_c4", 4, "a red fox", "sketch", 90, ReviewStatus.Approved); // wrong provider
        await Add("img_c5", 5, "a red fox", "openai", 50, ReviewStatus.Approved); // score too low
        await Add("img_c6", 6, "a blue whale", "openai", 90, ReviewStatus.Approved); // wrong words
        await Add("img_c7", 7, "a red fox", "openai", 90, ReviewStatus.Approved);
        await Add("img_c8", 8, "a red foxglove", "openai", 95, ReviewStatus.Approved);
        var query = new ImageQuery("red fox", Since: Day.AddHours(2), Until: Day.AddHours(8))
        {
            Provider = "openai",
            MinScore = 80,
            Review = ReviewStatus.Approved,
        };

        (await Ids(query, way)).ShouldBe(["img_c7", "img_c2"]);
        (await Ids(query with { Until = null }, way)).ShouldBe(["img_c8", "img_c7", "img_c2"]); // "fox" is prefix-matched
        (await Ids(query with { Text = "whale" }, way)).ShouldBe(["img_c6"]);
        (await Ids(query with { Limit = 1 }, way)).ShouldBe(["img_c7"]);
    }

    [Theory]
    [InlineData(null, Way.AsConfigured)]
    [InlineData("fox", Way.FromMatches)]
    [InlineData("fox", Way.Walking)]
    public async Task Pages_are_disjoint_complete_and_newest_first_through_ties(string? text, Way way)
    {
        // Ids that sort by their characters' codes, not as people read them: '-' < digits < capitals < '_' < small letters,
        // and a prefix before every longer id. Images made in one call share their creation time to the millisecond.
        string[] ids = ["img_a", "img_ab", "img_abc", "img_B", "img_-x", "img__y", "img_0", "img_a0", "img_Z9", "img_zz"];
        var added = new List<ImageRecord>();
        for (var i = 0; i < ids.Length; i++)
            added.Add(await Add(ids[i], i % 3, "a fox"));
        var expected = added
            .OrderByDescending(i => i.CreatedAt)
            .ThenByDescending(i => i.Id, StringComparer.Ordinal)
            .Select(i => i.Id)
            .ToList();

        foreach (var limit in new[] { 1, 2, 3, 4, 10, 11 })
        {
            var pages = await Pages(new ImageQuery(text, Limit: limit), way);

            pages.SelectMany(p => p).ShouldBe(expected, $"pages of {limit}");
            pages.ShouldAllBe(p => p.Count <= limit);
        }
    }

    [Fact]
    public async Task A_cursor_keeps_what_comes_after_it_and_works_with_since_and_until()
    {
        for (var i = 1; i <= 6; i++)
            await Add($"img_k{i}", i);
        var at4 = ImageCursor.Of((await _s.Images.FindAsync("img_k4", Ct))!);

        (await Ids(new ImageQuery { After = at4 })).ShouldBe(["img_k3", "img_k2", "img_k1"]);
        (await Ids(new ImageQuery(Until: Day.AddHours(6)) { After = at4 })).ShouldBe(["img_k3", "img_k2", "img_k1"]);
        // An "until" before the cursor is the tighter bound.
        (await Ids(new ImageQuery(Until: Day.AddHours(3)) { After = at4 })).ShouldBe(["img_k2", "img_k1"]);
        (await Ids(new ImageQuery(Until: Day.AddHours(4)) { After = at4 })).ShouldBe(["img_k3", "img_k2", "img_k1"]);
        (await Ids(new ImageQuery(Since: Day.AddHours(2)) { After = at4 })).ShouldBe(["img_k3", "img_k2"]);
        (await Ids(new ImageQuery(Since: Day.AddHours(5)) { After = at4 })).ShouldBeEmpty();
        // A cursor from an image since deleted, or made up, still marks a place in the order.
        (await Ids(new ImageQuery { After = new ImageCursor(Day.AddHours(2.5), "img_gone") })).ShouldBe(["img_k2", "img_k1"]);
        (await Ids(new ImageQuery { After = new ImageCursor(Day.AddHours(2), "img_k2") })).ShouldBe(["img_k1"]);
        (await Ids(new ImageQuery { After = new ImageCursor(Day.AddHours(2), "img_k3") })).ShouldBe(["img_k2", "img_k1"]);
    }

    [Theory]
    [InlineData(Way.AsConfigured)]
    [InlineData(Way.FromMatches)]
    [InlineData(Way.Walking)]
    public async Task Random_galleries_page_exactly_like_filtering_in_memory(Way way)
    {
        var random = new Random(20251114 + (int)way);
        string[] words = ["red", "fox", "foxes", "cat", "cathedral", "blue", "whale", "snow", "a", "at"];
        string[] providers = ["sketch", "openai", "Gemini"];
        var images = new List<ImageRecord>();
        for (var i = 0; i < 120; i++)
        {
            var prompt = string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => words[random.Next(words.Length)]));
            var roll = random.Next(10);
            images.Add(await Add($"img_{random.Next(100_000):x5}{i:D3}", random.Next(12) / 4.0, prompt, providers[random.Next(providers.Length)],
                score: roll == 0 ? null : random.Next(101), review: (ReviewStatus)random.Next(3), failed: roll == 1));
        }

        var answered = 0;
        for (var q = 0; q < 40; q++)
        {
            var text = random.Next(3) == 0 ? null : string.Join(' ', Enumerable.Range(0, random.Next(1, 3)).Select(_ => words[random.Next(words.Length)]).Select(w => w[..Math.Min(w.Length, random.Next(1, 4))]));
            int? min = random.Next(3) == 0 ? random.Next(101) : null;
            int? max = random.Next(3) == 0 ? random.Next(101) : null;
            var query = new ImageQuery(text, Since: random.Next(4) == 0 ? Day.AddHours(random.Next(3)) : null, Limit: random.Next(1, 12))
            {
                Provider = random.Next(3) == 0 ? providers[random.Next(providers.Length)].ToUpperInvariant() : null,
                MinScore = min,
                MaxScore = max,
                Review = random.Next(3) == 0 ? (ReviewStatus)random.Next(3) : null,
            };
            var expected = images.Where(i => Matches(i, query))
                .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)
                .Select(i => i.Id).ToList();

            (await Pages(query, way)).SelectMany(p => p).ShouldBe(expected, query.ToString());
            if (expected.Count > query.Limit)
                answered++;
        }
        answered.ShouldBeGreaterThan(10, "most queries should need more than one page");
    }

    /// <summary>The search's meaning, for prompts of plain lower-case words: every word, the last as a prefix.</summary>
    private static bool Matches(ImageRecord image, ImageQuery query)
    {
        if (query.Text is { } text)
        {
            var words = text.Split(' ');
            var tokens = image.Prompt.Split(' ');
            if (!words[..^1].All(tokens.Contains) || !tokens.Any(t => t.StartsWith(words[^1], StringComparison.Ordinal)))
                return false;
        }
        return (query.Since is null || image.CreatedAt >= query.Since)
            && (query.Provider is null || string.Equals(image.Provider, query.Provider, StringComparison.OrdinalIgnoreCase))
            && (query.MinScore is null || image.Score >= query.MinScore)
            && (query.MaxScore is null || image.Score <= query.MaxScore)
            && (query.Review is null || image.Review == query.Review);
    }

    [Fact]
    public async Task Providers_are_listed_once_each_in_alphabetical_order()
    {
        (await _s.Images.ProvidersAsync(Ct)).ShouldBeEmpty();

        await Add("img_v1", 1, provider: "sketch");
        await Add("img_v2", 2, provider: "openai");
        await Add("img_v3", 3, provider: "openai");
        await Add("img_v4", 4, provider: "Replicate");
        await Add("img_v5", 5, provider: "gemini");
        await Add("img_v6", 6, provider: "sketch");

        (await _s.Images.ProvidersAsync(Ct)).ShouldBe(["gemini", "openai", "Replicate", "sketch"]);
    }

    [Fact]
    public async Task Existing_history_searches_still_find_by_text_date_and_limit()
    {
        await Add("img_h1", 1, "a red fox in the snow");
        await Add("img_h2", 2, "a blue whale");
        await Add("img_h3", 3, "foxes at dusk");

        (await Ids(new ImageQuery("fox", Since: Day.AddHours(2), Limit: 20))).ShouldBe(["img_h3"]);
        (await Ids(new ImageQuery(null, Limit: 2))).ShouldBe(["img_h3", "img_h2"]);
    }

    /// <summary>Query plans, so a change that would make a page read the whole gallery fails here rather than at 100,000 images.</summary>
    [Theory]
    [InlineData("newest", "USING INDEX images_created_at")]
    [InlineData("next page", "USING INDEX images_created_at ((created_at,id)<(?,?))")]
    [InlineData("since, until and next page", "USING INDEX images_created_at (created_at>? AND (created_at,id)<(?,?))")]
    [InlineData("score", "USING INDEX images_created_at")]
    [InlineData("provider, next page", "USING INDEX images_provider (provider=? AND (created_at,id)<(?,?))")]
    [InlineData("review, next page", "USING INDEX images_review (review_status=? AND (created_at,id)<(?,?))")]
    [InlineData("common words, next page", "USING INDEX images_created_at ((created_at,id)<(?,?))")]
    [InlineData("rare words and provider", "images_fts VIRTUAL TABLE")]
    public void Each_kind_of_search_reads_its_page_from_an_index(string kind, string step)
    {
        var next = new ImageCursor(Day, "img_x");
        (ImageQuery Query, string? Match, bool FromMatches) shape = kind switch
        {
            "newest" => (new ImageQuery(), null, false),
            "next page" => (new ImageQuery { After = next }, null, false),
            "since, until and next page" => (new ImageQuery(Since: Day.AddDays(-1), Until: Day.AddDays(1)) { After = next }, null, false),
            "score" => (new ImageQuery { MinScore = 90 }, null, false),
            "provider, next page" => (new ImageQuery { Provider = "openai", After = next }, null, false),
            "review, next page" => (new ImageQuery { Review = ReviewStatus.Approved, After = next }, null, false),
            "common words, next page" => (new ImageQuery("red fox") { After = next }, FtsQuery.Build("red fox"), false),
            "rare words and provider" => (new ImageQuery("axolotl") { Provider = "openai" }, FtsQuery.Build("axolotl"), true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var (query, match, fromMatches) = shape;
        var (sql, parameters) = SqliteImageCatalog.BuildSearch(query, match, fromMatches);

        using var connection = _s.Store.Database.OpenConnection();
        var plan = connection.Query<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters).Select(s => s.Detail).ToList();

        var shown = string.Join(" | ", plan);
        plan.ShouldContain(s => s.Contains(step, StringComparison.Ordinal), shown);
        if (fromMatches)
            plan.ShouldContain(s => s.Contains("USING INTEGER PRIMARY KEY", StringComparison.Ordinal), shown); // each match looked up by rowid
        else
            plan.ShouldNotContain(s => s.Contains("TEMP B-TREE", StringComparison.Ordinal), shown); // no sort: the index gives the order
    }
}
