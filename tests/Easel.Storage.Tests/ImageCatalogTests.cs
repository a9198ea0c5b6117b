using Easel.Core.Gallery;
using Easel.Core.Generation;

namespace Easel.Storage.Tests;

public sealed class ImageCatalogTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly StoreScope _s = new();

    public ImageCatalogTests() => _s.Orders.CreateBareAsync(Samples.Order(), Ct).GetAwaiter().GetResult();

    public void Dispose() => _s.Dispose();

    [Fact]
    public async Task Every_field_survives_a_round_trip()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000001") with
        {
            Slot = 3,
            Prompt = "Fuchs im Schnee 🦊 — 雪の中の狐, \"quoted\" & <tagged>",
            NegativePrompt = "blurry, text, watermark",
            Parameters = new ImageParameters(1536, 640, "pixel-art", Background.Transparent, "21:9"),
            Provider = "replicate",
            Model = "black-forest-labs/flux-schnell",
            Seed = long.MaxValue,
            // Sub-millisecond ticks and a non-UTC offset: stored as unix milliseconds UTC.
            CreatedAt = new DateTimeOffset(2025, 3, 14, 11, 26, 53, 589, TimeSpan.FromHours(2)).AddTicks(1234),
            GenerationTime = TimeSpan.FromMilliseconds(1234.9),
            Sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            Width = 1536,
            Height = 640,
        };

        await _s.Images.AddAsync(image, Ct);
        var found = await _s.Images.FindAsync(image.Id, Ct);

        found.ShouldBe(image with
        {
            CreatedAt = new DateTimeOffset(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero),
            GenerationTime = TimeSpan.FromMilliseconds(1234),
        });
        found!.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task Optional_fields_round_trip_as_null()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000002") with
        {
            NegativePrompt = null,
            Seed = null,
            Parameters = new ImageParameters(64, 64, null, Background.Opaque, null),
        };

        await _s.Images.AddAsync(image, Ct);

        (await _s.Images.FindAsync(image.Id, Ct)).ShouldBe(image);
    }

    [Fact]
    public async Task Parameters_are_stored_as_snake_case_json_with_enums_as_strings()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000003") with
        {
            Parameters = new ImageParameters(1024, 576, "watercolor", Background.Transparent, "16:9"),
        };

        await _s.Images.AddAsync(image, Ct);

        _s.Scalar<string>("SELECT parameters FROM images;")
            .ShouldBe("""{"width":1024,"height":576,"style":"watercolor","background":"transparent","aspect_ratio":"16:9"}""");
    }

    [Fact]
    public async Task Paths_inside_the_data_directory_are_stored_relative_so_the_directory_can_move()
    {
        var inside = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000004");
        var outside = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000005") with { Path = _s.Temp.Combine("elsewhere", "x.png") };
        await _s.Images.AddAsync(inside, Ct);
        await _s.Images.AddAsync(outside, Ct);

        _s.Scalar<string>($"SELECT path FROM images WHERE id = '{inside.Id}';").ShouldBe("images/2025/03/14/img_01jq8x5v3m0000000000000004.png");
        _s.Scalar<string>($"SELECT path FROM images WHERE id = '{outside.Id}';").ShouldBe(outside.Path);

        _s.Store.Dispose();
        var moved = new DataDirectory(_s.Temp.Combine("moved"));
        Directory.Move(_s.Data.Root, moved.Root);
        using var reopened = EaselStore.Open(moved);
        (await reopened.Images.FindAsync(inside.Id, Ct))!.Path
            .ShouldBe(Path.Combine(moved.ImagesPath, "2025", "03", "14", "img_01jq8x5v3m0000000000000004.png"));
        (await reopened.Images.FindAsync(outside.Id, Ct))!.Path.ShouldBe(outside.Path);
    }

    [Fact]
    public async Task An_image_of_an_unknown_order_is_refused()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000006", orderId: "ord_missing");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => _s.Images.AddAsync(image, Ct));

        error.Message.ShouldContain("ord_missing");
        error.Message.ShouldContain("does not exist");
    }

    [Fact]
    public async Task A_duplicate_id_is_refused_and_the_first_image_kept()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000007");
        await _s.Images.AddAsync(image, Ct);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => _s.Images.AddAsync(image with { Prompt = "other" }, Ct));

        error.Message.ShouldContain("already");
        (await _s.Images.FindAsync(image.Id, Ct))!.Prompt.ShouldBe(image.Prompt);
    }

    [Fact]
    public async Task Relative_paths_and_malformed_hashes_are_rejected()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000008");

        await Should.ThrowAsync<ArgumentException>(() => _s.Images.AddAsync(image with { Path = "images/x.png" }, Ct));
        await Should.ThrowAsync<ArgumentException>(() => _s.Images.AddAsync(image with { Sha256 = new string('A', 64) }, Ct));
        await Should.ThrowAsync<ArgumentException>(() => _s.Images.AddAsync(image with { Sha256 = "abc" }, Ct));
    }

    [Fact]
    public async Task Listing_by_order_returns_that_order_in_slot_order()
    {
        await _s.Orders.CreateBareAsync(Samples.Order("ord_0002"), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_a000000000000000000000002", slot: 2), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_a000000000000000000000000", slot: 0), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_b000000000000000000000000", orderId: "ord_0002"), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_a000000000000000000000001", slot: 1), Ct);

        var images = await _s.Images.ListByOrderAsync("ord_0001", Ct);

        images.Select(i => i.Slot).ShouldBe([0, 1, 2]);
        images.ShouldAllBe(i => i.OrderId == "ord_0001");
        (await _s.Images.ListByOrderAsync("ord_none", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Find_accepts_a_whole_id_a_prefix_or_the_id_without_its_img_prefix()
    {
        var image = Samples.Image(_s.Data, "img_01jq8x5v3mabcdefghjkmnpqrs");
        await _s.Images.AddAsync(image, Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_02aaaaaaaaaaaaaaaaaaaaaaaa"), Ct);

        foreach (var key in new[] { image.Id, "img_01jq", "01jq", "01jq8x5v3mab", "  img_01jq8x  ", "IMG_01JQ8X", "01JQ" })
            (await _s.Images.FindAsync(key, Ct)).ShouldNotBeNull(key).Id.ShouldBe(image.Id, key);
    }

    [Fact]
    public async Task An_ambiguous_prefix_names_the_matches_and_a_longer_one_resolves_it()
    {
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000001"), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000002"), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_01jr0000000000000000000000"), Ct);

        var error = await Should.ThrowAsync<AmbiguousIdException>(() => _s.Images.FindAsync("01jq", Ct));

        error.Matches.ShouldBe(["img_01jq8x5v3m0000000000000001", "img_01jq8x5v3m0000000000000002"]);
        error.Message.ShouldContain("matches 2 ids");
        (await _s.Images.FindAsync("01jq8x5v3m0000000000000002", Ct))!.Id.ShouldBe("img_01jq8x5v3m0000000000000002");
        (await _s.Images.FindAsync("img_01jr", Ct))!.Id.ShouldBe("img_01jr0000000000000000000000");
    }

    [Fact]
    public async Task A_prefix_shorter_than_four_characters_is_refused_unless_it_is_a_whole_id()
    {
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000001"), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_ab"), Ct);

        (await Should.ThrowAsync<ArgumentException>(() => _s.Images.FindAsync("img_01j", Ct))).Message.ShouldContain("at least 4");
        await Should.ThrowAsync<ArgumentException>(() => _s.Images.FindAsync("01j", Ct));
        (await _s.Images.FindAsync("img_ab", Ct))!.Id.ShouldBe("img_ab");
    }

    [Theory]
    [InlineData("img_9999")]
    [InlineData("img_01jq%")]
    [InlineData("img_01jq*")]
    [InlineData("'; DROP TABLE images; --")]
    [InlineData("")]
    public async Task Find_returns_null_when_nothing_matches(string key)
    {
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_01jq8x5v3m0000000000000001"), Ct);

        (await _s.Images.FindAsync(key, Ct)).ShouldBeNull();
        _s.Scalar<long>("SELECT count(*) FROM images;").ShouldBe(1);
    }
}
