using System.Text.Json;
using System.Text.Json.Nodes;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Google;
using Easel.Providers.Http;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Google;

public sealed class ImagenProviderTests : ImageProviderConformance
{
    internal override async Task<IFakeVendor> StartFakeAsync() => await GoogleFake.StartAsync();

    protected override IImageProvider CreateProvider(ProviderConnection connection) => new ImagenProvider(connection);

    protected override string Vendor => "Imagen";

    protected override int Count => 2;

    private GoogleFake Google => (GoogleFake)Fake;

    private ImagenProvider Provider(string model) => new(new ProviderConnection { Vendor = Vendor, BaseUrl = Fake.Server.BaseUrl, ApiKey = Key, Time = Time }, model);

    [Fact]
    public async Task Sends_the_documented_predict_request()
    {
        var images = await Provider().GenerateAsync(Request(3) with { Size = new ImageSize(1344, 768) }, Ct);

        var sent = Fake.Server.Last;
        (sent.Method, sent.Path, sent.Query).ShouldBe(("POST", "/v1beta/models/imagen-4.0-generate-001:predict", ""));
        sent.Header("x-goog-api-key").ShouldBe(Key);
        sent.Header("authorization").ShouldBeNull();

        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["instances", "parameters"]);
        var instance = root.GetProperty("instances").EnumerateArray().ShouldHaveSingleItem();
        instance.EnumerateObject().ShouldHaveSingleItem().Name.ShouldBe("prompt");
        instance.GetProperty("prompt").GetString().ShouldBe("a red fox in the snow");
        var parameters = root.GetProperty("parameters");
        parameters.EnumerateObject().Select(p => p.Name).ShouldBe(["sampleCount", "aspectRatio", "personGeneration", "includeRaiReason"]);
        parameters.GetProperty("sampleCount").GetInt32().ShouldBe(3);
        parameters.GetProperty("aspectRatio").GetString().ShouldBe("16:9");
        parameters.GetProperty("personGeneration").GetString().ShouldBe("allow_adult");
        parameters.GetProperty("includeRaiReason").GetBoolean().ShouldBeTrue();

        images.Count.ShouldBe(3);
        images.Select(i => Convert.ToBase64String(i.Bytes)).Distinct().Count().ShouldBe(3, "three different images");
        foreach (var image in images)
        {
            image.Model.ShouldBe("imagen-4.0-generate-001");
            image.Seed.ShouldBeNull();
            var header = ImageHeader.Read(image.Bytes);
            (header.Width, header.Height).ShouldBe((128, 72));
        }
    }

    [Theory]
    [InlineData(1024, 1024, "1:1")]
    [InlineData(1344, 768, "16:9")]
    [InlineData(1536, 640, "16:9")]
    [InlineData(768, 1344, "9:16")]
    [InlineData(1152, 896, "4:3")]
    [InlineData(832, 1216, "3:4")]
    public async Task Sizes_become_the_nearest_aspect_ratio_Imagen_takes(int width, int height, string ratio)
    {
        var provider = Provider();
        provider.Capabilities.Fit(new ImageSize(width, height)).AspectRatio.ShouldBe(ratio);
        await provider.GenerateAsync(Request(1) with { Size = new ImageSize(width, height) }, Ct);
        using var body = JsonDocument.Parse(Fake.Server.Last.Body);
        body.RootElement.GetProperty("parameters").GetProperty("aspectRatio").GetString().ShouldBe(ratio);
    }

    [Theory]
    [InlineData("imagen-4.0-fast-generate-001", 0.02)]
    [InlineData("imagen-4.0-generate-001", 0.04)]
    [InlineData("imagen-4.0-ultra-generate-001", 0.06)]
    public async Task The_price_follows_the_model_and_the_model_goes_in_the_path(string model, decimal price)
    {
        var provider = Provider(model);
        provider.Capabilities.Model.ShouldBe(model);
        provider.Capabilities.PriceFor(ImageQuality.Auto, new ImageSize(1024, 1024)).ShouldBe(price);
        ImagenProvider.PriceFor(model).ShouldBe(price);
        (await provider.GenerateAsync(Request(1), Ct)).ShouldHaveSingleItem().Model.ShouldBe(model);
        Fake.Server.Last.Path.ShouldBe($"/v1beta/models/{model}:predict");
    }

    [Fact]
    public void Capabilities_are_honest()
    {
        var caps = Provider().Capabilities;
        caps.MaxImagesPerCall.ShouldBe(4);
        caps.SupportsNegativePrompt.ShouldBeFalse();
        caps.SupportsSeed.ShouldBeFalse();
        caps.SupportsTransparentBackground.ShouldBeFalse();
        caps.MaxReferences.ShouldBe(0);
        caps.SupportsVariations.ShouldBeFalse();
        caps.AspectRatios.ShouldBe(GoogleFake.ImagenRatios);
        caps.Formats.ShouldBe([ImageFormat.Png]);
    }

    [Fact]
    public async Task When_every_image_is_filtered_the_refusal_gives_Imagens_reason()
    {
        Google.Next(FakeScenario.Refused);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(2), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe($"Imagen refused the prompt ({GoogleFake.FilteredReason(2)}).");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_filtered_prediction_is_left_out_and_the_rest_come_back()
    {
        Google.Next(FakeScenario.PartiallyFiltered);
        var images = await Provider().GenerateAsync(Request(4), Ct);
        images.Count.ShouldBe(3);
        images.ShouldAllBe(i => i.MediaType == "image/png");
    }

    [Fact]
    public async Task An_answer_with_no_predictions_is_a_refusal()
    {
        Google.Answer(new JsonObject());
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(2), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldBe("Imagen refused the prompt (no image came back).");
    }

    [Fact]
    public async Task A_prompt_refused_with_a_400_is_a_refusal_not_a_validation_error()
    {
        Fake.Server.Interrupt(400, """
            {"error":{"code":400,"message":"Image generation failed with the following error: The prompt could not be submitted. This prompt contains sensitive words that violate Google's Responsible AI practices. Try rephrasing the prompt.","status":"INVALID_ARGUMENT"}}
            """);
        var error = await Should.ThrowAsync<ProviderException>(() => Provider().GenerateAsync(Request(1), Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Refused);
        error.Message.ShouldStartWith("Imagen refused the prompt (Responsible AI filter): Image generation failed");
        Fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task More_than_four_images_or_any_reference_is_refused_before_any_call()
    {
        var tooMany = await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(5), Ct));
        tooMany.Message.ShouldStartWith("Imagen makes 1 to 4 images per call; 5 were asked for.");
        var reference = new ReferenceImage("/tmp/ref.png", FakeImages.Png(), "image/png", 32, 32, new string('a', 64));
        await Should.ThrowAsync<ArgumentException>(() => Provider().GenerateAsync(Request(1) with { References = [reference] }, Ct));
        Fake.Server.Requests.ShouldBeEmpty();
    }
}
