using System.Text.Json;
using Easel.Core.Generation;
using Easel.Imaging.Formats;
using Easel.Providers.Automatic1111;
using Easel.Providers.Http;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Providers.Tests.Automatic1111;

public sealed class Automatic1111UpscalerTests : IAsyncLifetime
{
    private Automatic1111Fake _fake = null!;
    private readonly InstantDelays _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await Automatic1111Fake.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private Automatic1111Upscaler Upscaler(string? name = null) =>
        new(new ProviderConnection { Vendor = "AUTOMATIC1111", BaseUrl = _fake.Server.BaseUrl, Time = _time }, name);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Enlarges_through_extra_single_image(int scale)
    {
        var source = FakeImages.Png(20, 12, seed: 3);
        using var upscaler = Upscaler();
        var result = await upscaler.UpscaleAsync(source, "image/png", scale, Ct);

        var header = ImageHeader.Read(result.Bytes);
        (header.Width, header.Height).ShouldBe((20 * scale, 12 * scale));
        result.MediaType.ShouldBe("image/png");
        result.Model.ShouldBe("R-ESRGAN 4x+");

        var sent = _fake.Server.Last;
        (sent.Method, sent.Path).ShouldBe(("POST", "/sdapi/v1/extra-single-image"));
        var body = JsonDocument.Parse(sent.Body).RootElement;
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["image", "upscaling_resize", "upscaler_1"], ignoreOrder: true);
        body.GetProperty("image").GetString().ShouldBe(Convert.ToBase64String(source));
        body.GetProperty("upscaling_resize").GetInt32().ShouldBe(scale);
        body.GetProperty("upscaler_1").GetString().ShouldBe("R-ESRGAN 4x+");
    }

    [Fact]
    public async Task The_upscaling_model_is_configurable()
    {
        using var upscaler = Upscaler("4x-UltraSharp");
        var result = await upscaler.UpscaleAsync(FakeImages.Png(), "image/png", 2, Ct);
        result.Model.ShouldBe("4x-UltraSharp");
        JsonDocument.Parse(_fake.Server.Last.Body).RootElement.GetProperty("upscaler_1").GetString().ShouldBe("4x-UltraSharp");
        upscaler.Name.ShouldBe("automatic1111-upscale");
        upscaler.Scales.ShouldBe([2, 4]);
        upscaler.PricePerImage.ShouldBe(0m);
    }

    [Fact]
    public async Task An_upscaler_the_server_does_not_have_is_named_and_not_retried()
    {
        using var upscaler = Upscaler("SwinIR 9x");
        var error = await Should.ThrowAsync<ProviderException>(() => upscaler.UpscaleAsync(FakeImages.Png(), "image/png", 2, Ct));
        error.Kind.ShouldBe(ProviderErrorKind.Invalid);
        error.Message.ShouldBe("AUTOMATIC1111 rejected the request (500): could not find upscaler named SwinIR 9x.");
        _fake.Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Only_2x_and_4x_are_offered()
    {
        using var upscaler = Upscaler();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => upscaler.UpscaleAsync(FakeImages.Png(), "image/png", 3, Ct));
        _fake.Server.Requests.ShouldBeEmpty();
    }
}
