using Easel.Core.Generation;
using Easel.Imaging.Png;
using Easel.Providers.Sketch;

namespace Easel.Providers.Tests.Sketch;

public sealed class SketchImageProviderTests
{
    private readonly SketchImageProvider _provider = new();

    private static GenerationRequest Request(params long[] seeds) =>
        new("a blue car in the desert", null, new ImageSize(200, 100), null, Background.Opaque, seeds);

    [Fact]
    public void Declares_four_images_per_call_like_flux_schnell_and_is_free()
    {
        _provider.Capabilities.MaxImagesPerCall.ShouldBe(4);
        _provider.Capabilities.PricePerImage.ShouldBe(0m);
        _provider.Capabilities.SupportsTransparentBackground.ShouldBeTrue();
    }

    [Fact]
    public async Task Returns_one_png_per_seed_at_the_requested_size()
    {
        var images = await _provider.GenerateAsync(Request(1, 2, 3), TestContext.Current.CancellationToken);
        images.Count.ShouldBe(3);
        images.Select(i => i.Seed).ShouldBe([1L, 2L, 3L]);
        foreach (var image in images)
        {
            image.MediaType.ShouldBe("image/png");
            var png = PngDecoder.Decode(image.Bytes);
            (png.Image.Width, png.Image.Height).ShouldBe((200, 100));
        }
    }

    [Fact]
    public async Task Refuses_more_than_its_per_call_maximum()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => _provider.GenerateAsync(Request(1, 2, 3, 4, 5), TestContext.Current.CancellationToken));
        error.Message.ShouldContain("at most 4");
    }

    [Fact]
    public async Task Is_deterministic_for_a_seed()
    {
        var a = await _provider.GenerateAsync(Request(9), TestContext.Current.CancellationToken);
        var b = await _provider.GenerateAsync(Request(9), TestContext.Current.CancellationToken);
        a[0].Bytes.ShouldBe(b[0].Bytes);
    }
}
