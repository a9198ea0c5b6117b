using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;
using Easel.Providers.Tests.References;

namespace Easel.Providers.Tests.OpenAI;

public sealed class OpenAIResponsesProviderTests : ImageProviderConformance
{
    private OpenAIResponsesFake ResponsesFake => (OpenAIResponsesFake)Fake;

    internal override async Task<IFakeVendor> StartFakeAsync() => await OpenAIResponsesFake.StartAsync();

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new OpenAIResponsesProvider(connection, "gpt-5");

    protected override string Vendor => "OpenAI";

    private static ReferenceImage Reference(long seed) =>
        new($"/tmp/ref-{seed}.png", FakeImages.Png(seed: seed), "image/png", 32, 32, new string('a', 64));

    private static string DataUrl(ReferenceImage reference) => $"data:{reference.MediaType};base64,{Convert.ToBase64String(reference.Bytes)}";

    [Fact]
    public async Task The_first_turn_sends_the_prompt_the_references_and_the_forced_image_tool()
    {
        var first = Reference(1);
        var second = new ReferenceImage("/tmp/ref-2.jpg", SampleImages.Jpeg, "image/jpeg", 5, 3, new string('b', 64));
        var request = Request(1) with
        {
            Size = new ImageSize(1536, 1024), Quality = ImageQuality.High, Format = ImageFormat.Webp, Background = Background.Transparent,
            References = [first, second],
        };
        await Provider().GenerateAsync(request, Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/v1/responses"));
        sent.Header("authorization").ShouldBe($"Bearer {Key}");
        sent.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");
        var expected = new JsonObject
        {
            ["model"] = "gpt-5",
            ["input"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(
                    new JsonObject { ["type"] = "input_text", ["text"] = "a red fox in the snow" },
                    new JsonObject { ["type"] = "input_image", ["image_url"] = DataUrl(first), ["detail"] = "auto" },
                    new JsonObject { ["type"] = "input_image", ["image_url"] = DataUrl(second), ["detail"] = "auto" }),
            }),
            ["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "image_generation", ["size"] = "1536x1024", ["quality"] = "high", ["output_format"] = "webp", ["background"] = "transparent",
            }),
            ["tool_choice"] = new JsonObject { ["type"] = "image_generation" },
        };
        JsonNode.DeepEquals(JsonNode.Parse(sent.Text), expected).ShouldBeTrue($"sent {sent.Text}");
    }

    [Fact]
    public async Task A_later_turn_continues_from_the_previous_response_without_the_references()
    {
        var provider = Provider();
        var turn1 = await provider.GenerateAsync(Request(1) with { References = [Reference(1)] }, Ct);
        var previous = turn1.ShouldHaveSingleItem().ResponseId.ShouldNotBeNull();

        var turn2 = await provider.GenerateAsync(Request(1) with { Prompt = "make the fox look left", References = [Reference(1)], PreviousResponseId = previous }, Ct);

        var expected = new JsonObject
        {
            ["model"] = "gpt-5",
            ["input"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = "make the fox look left" }),
            }),
            ["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "image_generation", ["size"] = "1024x1024", ["quality"] = "auto", ["output_format"] = "png", ["background"] = "opaque",
            }),
            ["tool_choice"] = new JsonObject { ["type"] = "image_generation" },
            ["previous_response_id"] = previous,
        };
        var sent = Fake.Server.Last.Text;
        JsonNode.DeepEquals(JsonNode.Parse(sent), expected).ShouldBeTrue($"sent {sent}");
        var next = turn2.ShouldHaveSingleItem().ResponseId.ShouldNotBeNull();
        next.ShouldNotBe(previous);
        ResponsesFake.Issued[next].ShouldBe(previous, "the second response continued the first");
    }

    [Fact]
    public async Task Each_image_carries_the_id_of_the_response_it_came_in()
    {
        var image = (await Provider().GenerateAsync(Request(1), Ct)).ShouldHaveSingleItem();
        image.ResponseId.ShouldBe(ResponsesFake.Issued.Keys.ShouldHaveSingleItem());
        image.MediaType.ShouldBe("image/png");
        image.Model.ShouldBe("gpt-5");
        image.Seed.ShouldBeNull("the image tool takes no seed");
    }

    [Fact]
    public async Task A_response_that_failed_on_content_policy_is_a_refusal_naming_the_code()
    {
        ResponsesFake.NextFailed("image_content_policy_violation", "This request has been blocked by our content filters.");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("OpenAI refused the prompt (image_content_policy_violation, request id req_fake_0001): This request has been blocked by our content filters.");
        error.RequestId.ShouldBe("req_fake_0001");
        Fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Theory]
    [InlineData("rate_limit_exceeded")]
    [InlineData("server_error")]
    public async Task A_rate_limit_or_server_error_reported_in_a_failed_response_is_retried(string code)
    {
        ResponsesFake.NextFailed(code, "Something about the call.");
        var images = await Provider().GenerateAsync(Request(1), Ct);
        images.ShouldHaveSingleItem();
        Fake.Server.Requests.Count.ShouldBe(2, "the failed answer, then the retry");
        Time.Waits.ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("invalid_image", ProviderErrorKind.Invalid, "OpenAI rejected the request (invalid_image")]
    [InlineData("image_too_large", ProviderErrorKind.Invalid, "OpenAI rejected the request (image_too_large")]
    [InlineData("invalid_prompt", ProviderErrorKind.Refused, "OpenAI refused the prompt (invalid_prompt")]
    public async Task A_failed_response_is_classified_by_its_error_code(string code, ProviderErrorKind kind, string start)
    {
        ResponsesFake.NextFailed(code, "Something about the call.");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(kind);
        error.Message.ShouldStartWith(start + ", request id req_fake_0001): Something about the call");
    }

    [Fact]
    public async Task A_completed_response_without_an_image_is_a_refusal_in_the_models_words()
    {
        ResponsesFake.NextWithoutImage("I can't help with creating that image.");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("OpenAI refused the prompt (no image: I can't help with creating that image, request id req_fake_0001).");
    }

    [Fact]
    public async Task A_completed_response_with_nothing_in_it_is_a_refusal_too()
    {
        ResponsesFake.NextWithoutImage(null);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("OpenAI refused the prompt (no image came back, request id req_fake_0001).");
    }

    [Fact]
    public async Task An_incomplete_response_is_a_refusal_with_the_reason()
    {
        ResponsesFake.NextIncomplete("content_filter");
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("OpenAI refused the prompt (incomplete: content_filter, request id req_fake_0001).");
    }

    [Fact]
    public async Task An_unknown_previous_response_is_an_invalid_request_and_not_retried()
    {
        var error = await Should.ThrowAsync<ProviderException>(() =>
            Provider().GenerateAsync(Request(1) with { PreviousResponseId = "resp_never_issued" }, Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldStartWith("OpenAI rejected the request (previous_response_id: previous_response_not_found, request id req_fake_0001)");
        error.Message.ShouldContain("resp_never_issued");
        Fake.Server.Requests.Count.ShouldBe(1);
        Time.Waits.ShouldBeEmpty();
    }

    [Fact]
    public async Task More_than_one_image_per_call_is_refused_before_anything_is_sent()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(2), Ct));
        error.Message.ShouldStartWith("OpenAI's image tool makes one image per call; 2 were asked for.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_size_the_tool_does_not_make_is_refused_before_anything_is_sent()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(1) with { Size = new ImageSize(1344, 768) }, Ct));
        error.Message.ShouldStartWith("OpenAI's image tool makes 1024x1024, 1536x1024, 1024x1536 images; 1344x768 was asked for.");
        Fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_named_style_is_said_to_the_model_and_an_image_model_can_be_chosen()
    {
        using var provider = new OpenAIResponsesProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = Fake.Server.BaseUrl, ApiKey = Key, Time = Time }, imageModel: "gpt-image-1.5");
        await provider.GenerateAsync(Request(1) with { Style = "watercolor" }, Ct);
        var body = JsonNode.Parse(Fake.Server.Last.Text)!;
        body["model"]!.GetValue<string>().ShouldBe(OpenAIResponsesProvider.DefaultModel);
        body["input"]![0]!["content"]![0]!["text"]!.GetValue<string>().ShouldBe("a red fox in the snow\n\nStyle: watercolor.");
        body["tools"]![0]!["model"]!.GetValue<string>().ShouldBe("gpt-image-1.5");
    }

    [Fact]
    public void Capabilities_say_one_image_per_call_with_multi_turn_editing_at_Images_API_prices()
    {
        using var provider = new OpenAIResponsesProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = new Uri("http://localhost/") });
        var caps = provider.Capabilities;
        provider.Name.ShouldBe("openai-responses");
        caps.Model.ShouldBe("gpt-5");
        caps.MaxImagesPerCall.ShouldBe(1);
        caps.SupportsPreviousResponse.ShouldBeTrue();
        caps.MaxReferences.ShouldBe(16);
        caps.SupportsTransparentBackground.ShouldBeTrue();
        caps.Formats.ShouldBe([ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp]);
        caps.Timeout.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(300));
        caps.PriceFor(ImageQuality.High, new ImageSize(1024, 1024)).ShouldBe(0.167m);
        caps.PriceFor(ImageQuality.Medium, new ImageSize(1536, 1024)).ShouldBe(0.063m);
        caps.Fit(new ImageSize(1344, 768)).Size.ShouldBe(new ImageSize(1536, 1024));
    }
}
