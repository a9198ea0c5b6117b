using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.Stability;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Stability;

public sealed class StabilityProviderTests : ImageProviderConformance
{
    private StabilityFake Stability => (StabilityFake)Fake;

    internal override async Task<IFakeVendor> StartFakeAsync() => await StabilityFake.StartAsync();

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new StabilityProvider(connection);

    protected override string Vendor => "Stability AI";

    [Fact]
    public async Task Sends_the_documented_core_request()
    {
        var request = Request(1) with { Size = new ImageSize(1344, 768), NegativePrompt = "blurry, text", Style = "cyberpunk", Format = ImageFormat.Webp };
        await Provider().GenerateAsync(request, Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/v2beta/stable-image/generate/core"));
        sent.Header("authorization").ShouldBe($"Bearer {Key}");
        sent.Header("accept").ShouldBe("image/*");
        sent.ContentType.ShouldNotBeNull().ShouldStartWith("multipart/form-data");
        var form = await MultipartFields.ReadAsync(sent);
        form.Fields.ShouldBe(new Dictionary<string, string>
        {
            ["prompt"] = "a red fox in the snow",
            ["negative_prompt"] = "blurry, text",
            ["aspect_ratio"] = "16:9",
            ["style_preset"] = "neon-punk",
            ["seed"] = "42",
            ["output_format"] = "webp",
        }, ignoreOrder: true);
        form.Files.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_SD3_model_goes_to_the_sd3_route_with_its_name_and_says_its_style_in_the_prompt()
    {
        using var provider = new StabilityProvider(Connection(), "sd3.5-large");
        await provider.GenerateAsync(Request(1) with { Style = "watercolor", Size = new ImageSize(832, 1216) }, Ct);

        var sent = Fake.Server.Last;
        sent.Path.ShouldBe("/v2beta/stable-image/generate/sd3");
        var form = await MultipartFields.ReadAsync(sent);
        form.Fields["model"].ShouldBe("sd3.5-large");
        form.Fields["mode"].ShouldBe("text-to-image");
        form.Fields["prompt"].ShouldBe("a red fox in the snow, watercolor style");
        form.Fields["aspect_ratio"].ShouldBe("2:3");
        form.Fields.Keys.ShouldNotContain("style_preset");
    }

    [Fact]
    public async Task Ultra_has_its_own_route_and_no_model_field()
    {
        using var provider = new StabilityProvider(Connection(), "ultra");
        var images = await provider.GenerateAsync(Request(1), Ct);

        images.ShouldHaveSingleItem().Model.ShouldBe("ultra");
        Fake.Server.Last.Path.ShouldBe("/v2beta/stable-image/generate/ultra");
        (await MultipartFields.ReadAsync(Fake.Server.Last)).Fields.Keys.ShouldNotContain("model");
    }

    [Fact]
    public async Task A_variation_sends_the_source_image_with_a_strength_instead_of_an_aspect_ratio()
    {
        using var provider = new StabilityProvider(Connection(), "sd3.5-medium");
        var source = FakeImages.Png(64, 64, seed: 9);
        await provider.GenerateAsync(Request(1) with { VariationOf = new VariationSource(source, "image/png", 9, VariationStrength.Strong) }, Ct);

        var form = await MultipartFields.ReadAsync(Fake.Server.Last);
        form.Files["image"].Bytes.ShouldBe(source);
        form.Files["image"].ContentType.ShouldBe("image/png");
        form.Fields["strength"].ShouldBe("0.7");
        form.Fields["mode"].ShouldBe("image-to-image");
        form.Fields.Keys.ShouldNotContain("aspect_ratio");
    }

    [Fact]
    public async Task The_output_filter_blurring_the_image_is_a_refusal()
    {
        Stability.FilterNext();

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe($"Stability AI refused the prompt (CONTENT_FILTERED, request id {StabilityFake.Id}): its output filter blurred the result.");
        error.RequestId.ShouldBe(StabilityFake.Id);
        Fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Fact]
    public async Task The_seed_Stability_reports_is_the_one_kept()
    {
        Stability.SeedUsed = 987_654_321;
        var image = (await Provider().GenerateAsync(Request(1), Ct)).ShouldHaveSingleItem();

        image.Seed.ShouldBe(987_654_321);
        image.Bytes.ShouldBe(FakeImages.Png(seed: 987_654_321));
        image.MediaType.ShouldBe("image/png");
    }

    [Fact]
    public async Task Seeds_outside_Stabilitys_range_are_folded_into_it_never_to_zero()
    {
        await Provider().GenerateAsync(Request(1) with { Seeds = [0] }, Ct);
        (await MultipartFields.ReadAsync(Fake.Server.Last)).Fields["seed"].ShouldBe("4294967294", "0 would mean a random seed");

        var image = (await Provider().GenerateAsync(Request(1) with { Seeds = [4_294_967_295] }, Ct)).Single();
        (await MultipartFields.ReadAsync(Fake.Server.Last)).Fields["seed"].ShouldBe("1");
        image.Seed.ShouldBe(1);
    }

    [Fact]
    public async Task A_rate_limit_without_Retry_After_waits_out_the_60_second_block()
    {
        Fake.Server.Interrupt(429, """{"id":"r1","name":"rate_limit_exceeded","errors":["You have exceeded the rate limit of 150 requests within a 10 second period, and have been timed out for 60 seconds."]}""");
        using var provider = new StabilityProvider(Connection() with { Retry = new RetryOptions { MaxRetries = 1, MaxDelay = TimeSpan.FromSeconds(90) } });

        await provider.GenerateAsync(Request(1), Ct);

        Time.Waits.ShouldContain(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_request_over_10_MiB_is_invalid_and_says_so()
    {
        Fake.Server.Interrupt(413, """{"id":"r413","name":"payload_too_large","errors":["body: payloads cannot be larger than 10MiB in size"]}""");

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("Stability AI rejected the request as too large (payload_too_large, request id r413): a request may be at most 10 MiB.");
    }

    [Fact]
    public async Task A_moderation_refusal_reads_plainly_with_the_request_id()
    {
        Fake.Next(FakeScenario.Refused);

        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));

        error.Message.ShouldStartWith($"Stability AI refused the prompt (content_moderation, request id {StabilityFake.Id}): Your request was flagged");
    }

    [Fact]
    public async Task A_rejected_key_names_where_to_set_it_and_never_shows_it()
    {
        using var provider = new StabilityProvider(Connection() with { ApiKey = "sk-wrong-key-0000" });

        var error = await Should.ThrowAsync<ProviderException>(() => provider.GenerateAsync(Request(1), Ct));

        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Message.ShouldBe($"Stability AI did not accept the API key (401, request id {StabilityFake.Id}): check STABILITY_API_KEY or Providers:stability:ApiKey.");
    }

    [Fact]
    public async Task An_answer_in_JSON_is_read_too()
    {
        var png = FakeImages.Png(seed: 3);
        Fake.Server.Interrupt(200, $$"""{"image":"{{Convert.ToBase64String(png)}}","finish_reason":"SUCCESS","seed":77}""");

        var image = (await Provider().GenerateAsync(Request(1), Ct)).Single();

        image.Bytes.ShouldBe(png);
        image.Seed.ShouldBe(77);
    }

    [Fact]
    public async Task More_than_one_image_per_call_is_refused_before_any_call()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(2), Ct));
        error.Message.ShouldStartWith("Stability AI makes one image per call; 2 were asked for.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_model_is_refused_plainly()
    {
        var error = Should.Throw<ArgumentException>(() => new StabilityProvider(Connection(), "dall-e-3"));
        error.Message.ShouldStartWith("'dall-e-3' is not a Stability AI image model: use core, ultra, or an SD 3.5 model");
    }

    [Theory]
    [InlineData("core", 0.03)]
    [InlineData("ultra", 0.08)]
    [InlineData("sd3.5-large", 0.065)]
    [InlineData("sd3.5-large-turbo", 0.04)]
    [InlineData("sd3.5-medium", 0.035)]
    public void Prices_are_the_models_credits_in_dollars(string model, double dollars)
    {
        using var provider = new StabilityProvider(Connection(), model);
        provider.Capabilities.PricePerImage.ShouldBe((decimal)dollars);
    }

    [Theory]
    [InlineData("photographic", "photographic")]
    [InlineData("Pixel Art", "pixel-art")]
    [InlineData("cyberpunk", "neon-punk")]
    [InlineData("neon", "neon-punk")]
    [InlineData("anime", "anime")]
    [InlineData("watercolor", null)]
    [InlineData("minimal", null)]
    public void Easel_styles_map_to_Stabilitys_presets_where_one_fits(string style, string? preset) =>
        StabilityProvider.StylePreset(style).ShouldBe(preset);

    [Fact]
    public void Capabilities_are_honest()
    {
        using var core = new StabilityProvider(Connection());
        core.Name.ShouldBe("stability");
        core.Capabilities.MaxImagesPerCall.ShouldBe(1);
        core.Capabilities.SupportsNegativePrompt.ShouldBeTrue();
        core.Capabilities.SupportsVariations.ShouldBeFalse();
        core.Capabilities.ImagesPerMinute.ShouldBe(150);
        core.Capabilities.Fit(new ImageSize(1024, 1024)).AspectRatio.ShouldBe("1:1");
        core.Capabilities.Fit(new ImageSize(1024, 768)).AspectRatio.ShouldBe("5:4");
        using var turbo = new StabilityProvider(Connection(), "sd3.5-large-turbo");
        turbo.Capabilities.SupportsNegativePrompt.ShouldBeFalse("the turbo model ignores it");
        turbo.Capabilities.SupportsVariations.ShouldBeTrue();
    }

    private ProviderConnection Connection() => new()
    {
        Vendor = Vendor,
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = Key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) },
    };
}
