using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Google;
using Easel.Providers.Http;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Google;

public sealed class GeminiImageProviderTests : ImageProviderConformance
{
    internal override async Task<IFakeVendor> StartFakeAsync() => await GoogleFake.StartAsync();

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new GeminiImageProvider(connection);

    protected override string Vendor => "Gemini";

    protected override int Count => 1;

    private GoogleFake Google => (GoogleFake)Fake;

    private GeminiImageProvider Provider(string? key, string? model = null) => new(new ProviderConnection
    {
        Vendor = Vendor,
        BaseUrl = Fake.Server.BaseUrl,
        ApiKey = key,
        Time = Time,
        Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) },
    }, model);

    private static ReferenceImage Reference(long seed, string mediaType = "image/png") =>
        new($"/tmp/ref-{seed}.png", FakeImages.Png(seed: seed), mediaType, 32, 32, new string('a', 64));

    [Fact]
    public async Task Sends_the_documented_generateContent_request()
    {
        var references = new[] { Reference(1), Reference(2) };
        var images = await Provider().GenerateAsync(Request(1) with { Size = new ImageSize(1344, 768), References = references }, Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path, sent.Query).ShouldBe(("POST", "/v1beta/models/gemini-2.5-flash-image:generateContent", ""));
        sent.Header("x-goog-api-key").ShouldBe(Key);
        sent.Header("authorization").ShouldBeNull();
        sent.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");

        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["contents", "generationConfig"]);
        var content = root.GetProperty("contents").EnumerateArray().ShouldHaveSingleItem();
        content.GetProperty("role").GetString().ShouldBe("user");
        var parts = content.GetProperty("parts").EnumerateArray().ToList();
        parts.Count.ShouldBe(3);
        parts[0].EnumerateObject().ShouldHaveSingleItem().Name.ShouldBe("text");
        parts[0].GetProperty("text").GetString().ShouldBe("a red fox in the snow");
        for (var i = 0; i < 2; i++)
        {
            var inline = parts[i + 1].GetProperty("inlineData");
            inline.GetProperty("mimeType").GetString().ShouldBe("image/png");
            Convert.FromBase64String(inline.GetProperty("data").GetString()!).ShouldBe(references[i].Bytes);
        }
        var config = root.GetProperty("generationConfig");
        config.GetProperty("responseModalities").EnumerateArray().Select(m => m.GetString()).ShouldBe(["TEXT", "IMAGE"]);
        config.GetProperty("imageConfig").EnumerateObject().ShouldHaveSingleItem().Name.ShouldBe("aspectRatio");
        config.GetProperty("imageConfig").GetProperty("aspectRatio").GetString().ShouldBe("16:9");
        config.TryGetProperty("seed", out _).ShouldBeFalse("Easel sends no seed to Gemini");

        var image = images.ShouldHaveSingleItem();
        image.Model.ShouldBe("gemini-2.5-flash-image");
        image.MediaType.ShouldBe("image/png");
        image.Seed.ShouldBeNull();
        var header = ImageHeader.Read(image.Bytes);
        (header.Width, header.Height).ShouldBe((128, 72), "the fake drew the 16:9 image it was asked for");
    }

    [Theory]
    [InlineData(1024, 1024, "1:1")]
    [InlineData(1344, 768, "16:9")]
    [InlineData(768, 1344, "9:16")]
    [InlineData(1536, 640, "21:9")]
    [InlineData(832, 1216, "2:3")]
    [InlineData(1216, 832, "3:2")]
    [InlineData(1152, 896, "5:4")]
    [InlineData(896, 1152, "4:5")]
    [InlineData(1200, 900, "4:3")]
    [InlineData(900, 1200, "3:4")]
    public async Task The_aspect_ratio_sent_is_the_one_the_planner_fitted(int width, int height, string ratio)
    {
        var provider = Provider();
        provider.Capabilities.Fit(new ImageSize(width, height)).AspectRatio.ShouldBe(ratio);
        await provider.GenerateAsync(Request(1) with { Size = new ImageSize(width, height) }, Ct);
        using var body = JsonDocument.Parse(Fake.Server.Last.Body);
        body.RootElement.GetProperty("generationConfig").GetProperty("imageConfig").GetProperty("aspectRatio").GetString().ShouldBe(ratio);
    }

    [Fact]
    public async Task The_model_is_configurable_and_goes_in_the_path()
    {
        var provider = Provider(Key, "models/gemini-3-pro-image-preview");
        provider.Capabilities.Model.ShouldBe("gemini-3-pro-image-preview");
        var image = (await provider.GenerateAsync(Request(1), Ct)).ShouldHaveSingleItem();
        image.Model.ShouldBe("gemini-3-pro-image-preview");
        Fake.Server.Last.Path.ShouldBe("/v1beta/models/gemini-3-pro-image-preview:generateContent");
    }

    [Fact]
    public void A_model_id_that_would_change_the_path_is_refused_up_front()
    {
        var error = Should.Throw<ArgumentException>(() => Provider(Key, "gemini-2.5-flash-image:predict?x=1"));
        error.Message.ShouldContain("is not a Google model id");
    }

    [Fact]
    public void Capabilities_are_honest()
    {
        var caps = Provider().Capabilities;
        caps.MaxImagesPerCall.ShouldBe(1);
        caps.SupportsNegativePrompt.ShouldBeFalse();
        caps.SupportsSeed.ShouldBeFalse();
        caps.SupportsTransparentBackground.ShouldBeFalse();
        caps.Sizes.ShouldBeNull();
        caps.AspectRatios.ShouldBe(GoogleFake.GeminiRatios);
        caps.Formats.ShouldBe([ImageFormat.Png]);
        caps.PriceFor(ImageQuality.Auto, new ImageSize(1024, 1024)).ShouldBe(0.039m);
        caps.MaxReferences.ShouldBeGreaterThan(0);
        caps.SupportsVariations.ShouldBeTrue();
    }

    [Theory]
    [InlineData("IMAGE_SAFETY")]
    [InlineData("IMAGE_PROHIBITED_CONTENT")]
    [InlineData("SAFETY")]
    [InlineData("PROHIBITED_CONTENT")]
    [InlineData("IMAGE_RECITATION")]
    [InlineData("NO_IMAGE")]
    [InlineData("IMAGE_OTHER")]
    public async Task Each_finish_reason_that_withholds_the_image_is_a_refusal_naming_it(string reason)
    {
        Google.Answer(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject { ["content"] = new JsonObject { ["role"] = "model" }, ["finishReason"] = reason, ["index"] = 0 }),
        });
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe($"Gemini refused the prompt ({reason}).");
        error.RequestId.ShouldBeNull();
        Fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Fact]
    public async Task The_finish_message_is_quoted_when_Gemini_gives_one()
    {
        Google.Answer(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["finishReason"] = "IMAGE_PROHIBITED_CONTENT",
                ["finishMessage"] = "Unable to show the generated image. The image was filtered out because it violated Google's Generative AI Prohibited Use policy.",
            }),
        });
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Message.ShouldBe("Gemini refused the prompt (IMAGE_PROHIBITED_CONTENT): Unable to show the generated image. The image was filtered out because it violated Google's Generative AI Prohibited Use policy.");
    }

    [Theory]
    [InlineData("SAFETY")]
    [InlineData("PROHIBITED_CONTENT")]
    [InlineData("OTHER")]
    public async Task A_blocked_prompt_is_a_refusal_naming_the_block_reason(string reason)
    {
        Google.Answer(new JsonObject
        {
            ["promptFeedback"] = new JsonObject { ["blockReason"] = reason },
            ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 9, ["totalTokenCount"] = 9 },
        });
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe($"Gemini refused the prompt ({reason}).");
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_answer_in_words_only_fails_quoting_the_words()
    {
        Google.Answer(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = "I can describe a fox, but here is a poem instead." }) },
                ["finishReason"] = "STOP",
            }),
        });
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldBe("Gemini answered without an image (STOP): \"I can describe a fox, but here is a poem instead.\".");
    }

    [Fact]
    public async Task Interim_thought_images_are_skipped_for_the_final_one()
    {
        var final = FakeImages.Png(48, 48, seed: 9);
        Google.Answer(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["parts"] = new JsonArray(
                        new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "image/png", ["data"] = FakeImages.Base64Png(16, 16) }, ["thought"] = true },
                        new JsonObject { ["text"] = "Done." },
                        new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "image/png", ["data"] = Convert.ToBase64String(final) } }),
                },
                ["finishReason"] = "STOP",
            }),
        });
        var image = (await Provider().GenerateAsync(Request(1), Ct)).ShouldHaveSingleItem();
        image.Bytes.ShouldBe(final);
    }

    [Fact]
    public async Task The_retry_delay_comes_from_RetryInfo()
    {
        Fake.Server.Interrupt(429, """
            {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3.2s"}]}}
            """);
        (await Provider().GenerateAsync(Request(1), Ct)).ShouldHaveSingleItem();
        Time.Waits.ShouldContain(TimeSpan.FromSeconds(3.2));
        Fake.Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_rate_limit_that_persists_reads_plainly()
    {
        for (var i = 0; i < 4; i++)
            Google.Next(FakeScenario.RateLimited);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.RateLimited);
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        error.Message.ShouldStartWith("Gemini is rate-limiting these calls (RESOURCE_EXHAUSTED): You exceeded your current quota");
        Time.Waits.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_quota_of_zero_is_not_mistaken_for_a_rate_limit()
    {
        Fake.Server.Interrupt(429, """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-flash-image\nPlease retry in 11.89s.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"11s"}]}}
            """);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.QuotaExceeded);
        error.Message.ShouldStartWith("Gemini says this project has no quota for this model (RESOURCE_EXHAUSTED)");
        Fake.Server.Requests.Count.ShouldBe(1, "waiting cannot help");
    }

    [Fact]
    public async Task A_wrong_key_is_unauthorized_names_the_setting_and_never_shows_the_key()
    {
        const string wrong = "AIzaSy-wrong-key-0123456789";
        var error = await Should.ThrowAsync<ProviderException>(() => Provider(wrong).GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Message.ShouldBe("Gemini did not accept the API key (400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key); check GEMINI_API_KEY or Providers:gemini:ApiKey.");
        error.Message.ShouldNotContain(wrong);
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_missing_key_is_unauthorized()
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Provider(key: null).GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unauthorized);
        error.Status.ShouldBe(403);
        error.Message.ShouldStartWith("Gemini did not accept the API key (403 PERMISSION_DENIED");
        error.Message.ShouldEndWith("check GEMINI_API_KEY or Providers:gemini:ApiKey.");
        Fake.Server.Last.Header("x-goog-api-key").ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_model_is_not_found()
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Provider(Key, "gemini-0.1-nonexistent-image").GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.NotFound);
        error.Message.ShouldStartWith("Gemini does not know this model or route (404 NOT_FOUND): models/gemini-0.1-nonexistent-image is not found");
    }

    [Fact]
    public async Task An_overloaded_model_is_retried_and_reads_as_a_server_error()
    {
        for (var i = 0; i < 4; i++)
            Fake.Server.Interrupt(503, """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldBe("Gemini failed with a server error (503 UNAVAILABLE): The model is overloaded. Please try again later.");
        Fake.Server.Requests.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_proxy_error_page_still_reads_as_one_sentence()
    {
        for (var i = 0; i < 4; i++)
            Fake.Server.Interrupt(502, "<html><body>Bad Gateway</body></html>", "text/html");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Unavailable);
        error.Message.ShouldBe("Gemini failed with a server error (502).");
    }

    [Fact]
    public async Task A_success_that_is_not_JSON_fails_plainly()
    {
        Fake.Server.Interrupt(200, "<html>captive portal</html>", "text/html");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldStartWith("Gemini answered with something Easel cannot read");
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_image_part_that_is_not_an_image_fails_plainly()
    {
        Google.Answer(new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "image/png", ["data"] = Convert.ToBase64String("<html>"u8.ToArray()) } }) },
                ["finishReason"] = "STOP",
            }),
        });
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Message.ShouldStartWith("Gemini returned an image Easel cannot read (Not a PNG, JPEG, WebP or GIF image");
    }

    [Fact]
    public async Task Asking_for_more_than_one_image_is_refused_before_any_call()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(2), Ct));
        error.Message.ShouldStartWith("Gemini makes one image per call; 2 were asked for.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reference_Gemini_cannot_read_is_named_before_any_call()
    {
        var gif = Reference(3, "image/gif");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1) with { References = [gif] }, Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("Gemini reads PNG, JPEG, WebP or HEIC images, and reference /tmp/ref-3.png is image/gif: convert it to PNG first.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_variation_sends_the_source_image_after_words_asking_for_one()
    {
        var source = FakeImages.Png(seed: 5);
        await Provider().GenerateAsync(Request(1) with { VariationOf = new VariationSource(source, "image/png", 42, VariationStrength.Strong) }, Ct);
        using var body = JsonDocument.Parse(Fake.Server.Last.Body);
        var parts = body.RootElement.GetProperty("contents")[0].GetProperty("parts");
        parts.GetArrayLength().ShouldBe(2);
        var text = parts[0].GetProperty("text").GetString()!;
        text.ShouldStartWith("Make a new take on the attached image");
        text.ShouldEndWith("a red fox in the snow");
        Convert.FromBase64String(parts[1].GetProperty("inlineData").GetProperty("data").GetString()!).ShouldBe(source);
    }

    [Fact]
    public async Task A_style_becomes_words_in_the_prompt()
    {
        await Provider().GenerateAsync(Request(1) with { Style = "watercolor" }, Ct);
        using var body = JsonDocument.Parse(Fake.Server.Last.Body);
        body.RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString()
            .ShouldBe("a red fox in the snow. Style: a watercolor painting.");
    }
}
