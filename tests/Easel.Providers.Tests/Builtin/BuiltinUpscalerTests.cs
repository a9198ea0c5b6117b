using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Png;
using Easel.Providers.Builtin;

namespace Easel.Providers.Tests.Builtin;

public sealed class BuiltinUpscalerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Gradient(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
                image.Pixels.AsSpan((y * width + x) * 4, 4).SetRgba((byte)(x * 255 / width), (byte)(y * 255 / height), 128, 255);
        }
        return PngEncoder.Encode(image);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Enlarges_each_side_by_the_scale_as_a_png(int scale)
    {
        var result = await new BuiltinUpscaler().UpscaleAsync(Gradient(40, 30), "image/png", scale, Ct);
        result.MediaType.ShouldBe("image/png");
        var png = PngDecoder.Decode(result.Bytes).Image;
        (png.Width, png.Height).ShouldBe((40 * scale, 30 * scale));
        result.Model.ShouldBe("lanczos3-sharpen");
    }

    [Fact]
    public async Task Through_the_registry_an_unsupported_scale_or_a_missing_image_is_refused_plainly()
    {
        var registry = new ProviderRegistry([], [new BuiltinUpscaler()]);
        registry.TryGetUpscaler("BUILTIN", out var upscaler).ShouldBeTrue();
        upscaler.Capabilities.MaxImagesPerCall.ShouldBe(1);
        registry.TryGet("builtin", out _).ShouldBeFalse("an upscaler is not an image generator");

        var request = new GenerationRequest("p", null, new ImageSize(80, 60), null, Background.Opaque, [1]);
        (await Should.ThrowAsync<ArgumentException>(() => upscaler.GenerateAsync(request, Ct))).Message.ShouldStartWith("builtin enlarges an existing image; none was given.");
        var three = request with { UpscaleOf = new UpscaleSource(Gradient(40, 30), "image/png", 3) };
        (await Should.ThrowAsync<ArgumentException>(() => upscaler.GenerateAsync(three, Ct))).Message.ShouldStartWith("builtin enlarges by 2 or 4; 3 was asked for.");
    }

    [Fact]
    public async Task A_file_that_is_not_a_png_is_an_image_format_error()
    {
        await Should.ThrowAsync<ImageFormatException>(() => new BuiltinUpscaler().UpscaleAsync([0xFF, 0xD8, 0xFF], "image/jpeg", 2, Ct));
        await Should.ThrowAsync<ImageFormatException>(() => new BuiltinUpscaler().UpscaleAsync([1, 2, 3, 4], "image/png", 2, Ct));
    }
}

file static class PixelExtensions
{
    public static void SetRgba(this Span<byte> pixel, byte r, byte g, byte b, byte a)
    {
        pixel[0] = r;
        pixel[1] = g;
        pixel[2] = b;
        pixel[3] = a;
    }
}
