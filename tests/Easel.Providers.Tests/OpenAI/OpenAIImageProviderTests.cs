using System.Text.Json;
using Easel.Core.Generation;
using Easel.Providers.Http;
using Easel.Providers.OpenAI;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.OpenAI;

public sealed class OpenAIImageProviderTests : ImageProviderConformance
{
    internal override async Task<IFakeVendor> StartFakeAsync() => await OpenAIFake.StartAsync();

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new OpenAIImageProvider(connection, "gpt-image-1.5");

    protected override string Vendor => "OpenAI";

    protected override int Count => 2;

    [Fact]
    public async Task Sends_the_documented_generations_request()
    {
        var request = Request(3) with { Size = new ImageSize(1536, 1024), Quality = ImageQuality.High, Format = ImageFormat.Webp, Background = Background.Transparent };
        await Provider().GenerateAsync(request, Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/v1/images/generations"));
        sent.Header("authorization").ShouldBe($"Bearer {Key}");
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        root.GetProperty("model").GetString().ShouldBe("gpt-image-1.5");
        root.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow");
        root.GetProperty("n").GetInt32().ShouldBe(3);
        root.GetProperty("size").GetString().ShouldBe("1536x1024");
        root.GetProperty("quality").GetString().ShouldBe("high");
        root.GetProperty("background").GetString().ShouldBe("transparent");
        root.GetProperty("output_format").GetString().ShouldBe("webp");
        root.TryGetProperty("seed", out _).ShouldBeFalse("OpenAI takes no seed");
    }

    [Fact]
    public async Task Reference_images_go_to_the_edits_endpoint_as_multipart()
    {
        var reference = new ReferenceImage("/tmp/ref.png", FakeImages.Png(), "image/png", 32, 32, new string('a', 64));
        await Provider().GenerateAsync(Request(1) with { References = [reference, reference] }, Ct);
        var sent = Fake.Server.Last;
        sent.Path.ShouldBe("/v1/images/edits");
        sent.ContentType.ShouldNotBeNull().ShouldStartWith("multipart/form-data");
        sent.Text.Split("name=\"image[]\"").Length.ShouldBe(3, "two image parts");
        sent.Text.ShouldContain("name=model");
    }

    [Fact]
    public async Task A_quota_error_is_not_mistaken_for_a_rate_limit()
    {
        Fake.Server.Interrupt(429, """{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""",
            headers: new Dictionary<string, string> { ["x-request-id"] = "req_quota" });
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.QuotaExceeded);
        error.Message.ShouldStartWith("OpenAI says the account has no quota left (insufficient_quota, request id req_quota)");
        Fake.Server.Requests.Count.ShouldBe(1, "retrying cannot help");
    }

    [Fact]
    public async Task The_refusal_reads_as_the_issue_asks()
    {
        Fake.Next(FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Message.ShouldStartWith("OpenAI refused the prompt (moderation_blocked, request id req_fake_0001)");
    }

    [Fact]
    public void Prices_follow_quality_and_shape()
    {
        OpenAIImageProvider.PriceFor(ImageQuality.Low, new ImageSize(1024, 1024)).ShouldBe(0.011m);
        OpenAIImageProvider.PriceFor(ImageQuality.High, new ImageSize(1024, 1024)).ShouldBe(0.167m);
        OpenAIImageProvider.PriceFor(ImageQuality.Medium, new ImageSize(1536, 1024)).ShouldBe(0.063m);
    }

    [Fact]
    public void Sizes_are_fitted_to_the_nearest_supported_shape()
    {
        var caps = CreateProvider(new ProviderConnection { Vendor = "OpenAI", BaseUrl = new Uri("http://localhost/") }).Capabilities;
        caps.Fit(new ImageSize(1344, 768)).Size.ShouldBe(new ImageSize(1536, 1024));
        caps.Fit(new ImageSize(512, 512)).Size.ShouldBe(new ImageSize(1024, 1024));
        caps.Fit(new ImageSize(768, 1344)).Size.ShouldBe(new ImageSize(1024, 1536));
        caps.Timeout.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(300));
    }
}
