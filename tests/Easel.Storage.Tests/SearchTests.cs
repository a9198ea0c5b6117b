using Easel.Core.Gallery;
using Easel.Storage.Sqlite;

namespace Easel.Storage.Tests;

public sealed class SearchTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Day = new(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
    private readonly StoreScope _s = new();

    public SearchTests() => _s.Orders.CreateBareAsync(Samples.Order(), Ct).GetAwaiter().GetResult();

    public void Dispose() => _s.Dispose();

    private async Task Add(string id, double hours, string prompt, string? negative = null) =>
        await _s.Images.AddAsync(Samples.Image(_s.Data, id, createdAt: Day.AddHours(hours), prompt: prompt, negativePrompt: negative), Ct);

    private async Task<string[]> Ids(ImageQuery query) =>
        (await _s.Images.SearchAsync(query, Ct)).Select(i => i.Id).ToArray();

    private async Task AddGallery()
    {
        await Add("img_a1", 1, "a red fox in the snow");
        await Add("img_a2", 2, "A blue whale, watercolor", negative: "fox");
        await Add("img_a3", 3, "foxes and hounds at the café");
        await Add("img_a4", 4, "Fuchs im Schnee 🦊 雪の中の狐");
        await Add("img_a5", 5, "near the city, and not alone");
    }

    [Fact]
    public async Task Results_are_newest_first_with_ties_broken_by_id()
    {
        await Add("img_b2", 1, "same time");
        await Add("img_c0", 2, "later");
        await Add("img_b3", 1, "same time");
        await Add("img_b1", 1, "same time");

        (await Ids(new ImageQuery())).ShouldBe(["img_c0", "img_b3", "img_b2", "img_b1"]);
    }

    [Fact]
    public async Task Since_is_inclusive_and_until_is_exclusive()
    {
        await AddGallery();

        (await Ids(new ImageQuery(Since: Day.AddHours(2), Until: Day.AddHours(4)))).ShouldBe(["img_a3", "img_a2"]);
        (await Ids(new ImageQuery(Since: Day.AddHours(5)))).ShouldBe(["img_a5"]);
        (await Ids(new ImageQuery(Until: Day.AddHours(2)))).ShouldBe(["img_a1"]);
        // Offsets are instants: 03:00+02:00 is 01:00 UTC.
        (await Ids(new ImageQuery(Until: new DateTimeOffset(2025, 3, 14, 3, 0, 1, TimeSpan.FromHours(2))))).ShouldBe(["img_a1"]);
    }

    [Fact]
    public async Task Limit_keeps_the_newest()
    {
        await AddGallery();

        (await Ids(new ImageQuery(Limit: 2))).ShouldBe(["img_a5", "img_a4"]);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _s.Images.SearchAsync(new ImageQuery(Limit: 0), Ct));
    }

    [Theory]
    [InlineData("fox", new[] { "img_a3", "img_a1" })] // last word prefix-matched: "foxes" too
    [InlineData("fox snow", new[] { "img_a1" })] // every word must match
    [InlineData("snow fox", new[] { "img_a1" })] // in any order
    [InlineData("fo red", new string[0])] // only the last word is a prefix
    [InlineData("RED Fox", new[] { "img_a1" })] // case-insensitive
    [InlineData("cafe", new[] { "img_a3" })] // diacritics ignored
    [InlineData("whale", new[] { "img_a2" })]
    [InlineData("雪の中の狐", new[] { "img_a4" })]
    [InlineData("🦊", new[] { "img_a4" })]
    [InlineData("red-fox", new[] { "img_a1" })] // punctuation inside a word: a phrase
    [InlineData("fox-red", new string[0])]
    public async Task Text_matches_words_in_prompts(string text, string[] expected)
    {
        await AddGallery();

        (await Ids(new ImageQuery(text))).ShouldBe(expected);
    }

    [Fact]
    public async Task Negative_prompts_are_not_searched()
    {
        await AddGallery();

        (await Ids(new ImageQuery("fox"))).ShouldNotContain("img_a2");
    }

    // Enumerated at run time: some inputs (NUL, half an emoji) do not survive test-case serialization.
    [Theory(DisableDiscoveryEnumeration = true)]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("AND")]
    [InlineData("OR")]
    [InlineData("NOT")]
    [InlineData("AND OR NOT")]
    [InlineData("fox AND")]
    [InlineData("fox*")]
    [InlineData("*")]
    [InlineData("-")]
    [InlineData("fox -")]
    [InlineData("-fox")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(fox snow, 2)")]
    [InlineData("(")]
    [InlineData(")")]
    [InlineData("prompt:fox")]
    [InlineData("negative_prompt : fox")]
    [InlineData("{prompt}")]
    [InlineData("^fox")]
    [InlineData("fox + snow")]
    [InlineData("a\"b")]
    [InlineData("a\0b")]
    [InlineData("\uD83E")] // half of an emoji
    [InlineData("🦊🦊 \u200B")]
    [InlineData("'; DROP TABLE images; --")]
    [InlineData("%_")]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public async Task Hostile_text_never_breaks_the_query(string text)
    {
        await AddGallery();

        var results = await _s.Images.SearchAsync(new ImageQuery(text), Ct);

        results.Count.ShouldBeLessThanOrEqualTo(5);
        _s.Scalar<long>("SELECT count(*) FROM images;").ShouldBe(5);
    }

    [Fact]
    public async Task Operators_are_searched_as_plain_words()
    {
        await AddGallery();

        (await Ids(new ImageQuery("AND"))).ShouldBe(["img_a5", "img_a3"]);
        (await Ids(new ImageQuery("NEAR("))).ShouldBe(["img_a5"]);
        (await Ids(new ImageQuery("not alone"))).ShouldBe(["img_a5"]);
        (await Ids(new ImageQuery("fox*"))).ShouldBe(["img_a3", "img_a1"]);
        (await Ids(new ImageQuery("\"red fox\""))).ShouldBe(["img_a1"]);
    }

    [Fact]
    public async Task Empty_text_or_punctuation_alone_means_no_text_filter()
    {
        await AddGallery();

        (await Ids(new ImageQuery(""))).Length.ShouldBe(5);
        (await Ids(new ImageQuery("  "))).Length.ShouldBe(5);
        (await Ids(new ImageQuery("- & *"))).Length.ShouldBe(5);
        // A trailing punctuation word does not steal the prefix match from the last real word.
        (await Ids(new ImageQuery("fox -"))).ShouldBe(["img_a3", "img_a1"]);
    }

    [Fact]
    public async Task A_very_long_text_is_still_a_valid_query()
    {
        await AddGallery();
        var text = string.Join(' ', Enumerable.Repeat("red fox snow", 200));

        (await Ids(new ImageQuery(text))).ShouldBe(["img_a1"]);
    }

    [Fact]
    public async Task Text_and_time_filters_and_limit_combine()
    {
        await AddGallery();
        await Add("img_a6", 6, "fox at dusk");

        (await Ids(new ImageQuery("fox", Since: Day.AddHours(2), Limit: 1))).ShouldBe(["img_a6"]);
        (await Ids(new ImageQuery("fox", Since: Day.AddHours(2), Until: Day.AddHours(6)))).ShouldBe(["img_a3"]);
    }

    [Fact]
    public async Task The_text_index_follows_updates_and_deletes()
    {
        await AddGallery();

        _s.Execute("UPDATE images SET prompt = 'a green parrot' WHERE id = 'img_a1';");
        (await Ids(new ImageQuery("parrot"))).ShouldBe(["img_a1"]);
        (await Ids(new ImageQuery("snow"))).ShouldBeEmpty();

        _s.Execute("DELETE FROM images WHERE id = 'img_a3';");
        (await Ids(new ImageQuery("fox"))).ShouldBeEmpty();

        // FTS5's own consistency check between the index and the images table.
        _s.Execute("INSERT INTO images_fts (images_fts, rank) VALUES ('integrity-check', 1);");
    }

    [Theory(DisableDiscoveryEnumeration = true)]
    [InlineData("fox", "\"fox\"*")]
    [InlineData("  red   fox ", "\"red\" \"fox\"*")]
    [InlineData("say \"hi\"", "\"say\" \"\"\"hi\"\"\"*")]
    [InlineData("a\0b", "\"a\" \"b\"*")]
    [InlineData("NEAR(", "\"NEAR(\"*")]
    [InlineData("fox - *", "\"fox\"*")]
    [InlineData("-fox", "\"-fox\"*")]
    public void Fts_query_quotes_every_word_and_prefixes_the_last(string text, string expected) =>
        FtsQuery.Build(text).ShouldBe(expected);

    [Theory(DisableDiscoveryEnumeration = true)]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\r\n")]
    [InlineData("\0\u0001")]
    [InlineData("\" - ( ) * ^ :")]
    public void Fts_query_is_null_without_words(string? text) => FtsQuery.Build(text).ShouldBeNull();
}
