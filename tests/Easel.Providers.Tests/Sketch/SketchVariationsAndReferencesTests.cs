using System.Security.Cryptography;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Metrics;
using Easel.Imaging.Png;
using Easel.Providers.Sketch;

namespace Easel.Providers.Tests.Sketch;

public sealed class SketchVariationsAndReferencesTests
{
    private const string Prompt = "a fox in a meadow at sunset";
    private const long ParentSeed = 17;

    private readonly SketchImageProvider _provider = new();

    private static GenerationRequest Request(params long[] seeds) =>
        new(Prompt, null, new ImageSize(160, 120), null, Background.Opaque, seeds);

    private async Task<RgbaImage> GenerateAsync(GenerationRequest request) =>
        PngDecoder.Decode((await _provider.GenerateAsync(request, TestContext.Current.CancellationToken)).ShouldHaveSingleItem().Bytes).Image;

    private Task<RgbaImage> VariationAsync(long seed, VariationStrength strength, byte[] parent, long? parentSeed = ParentSeed, string mediaType = "image/png") =>
        GenerateAsync(Request(seed) with { VariationOf = new VariationSource(parent, mediaType, parentSeed, strength) });

    [Fact]
    public void Declares_references_and_variations_but_no_conversation()
    {
        _provider.Capabilities.MaxReferences.ShouldBe(4);
        _provider.Capabilities.SupportsVariations.ShouldBeTrue();
        _provider.Capabilities.SupportsPreviousResponse.ShouldBeFalse();
    }

    [Fact]
    public async Task Variations_of_a_sketch_are_deterministic_and_subtle_ones_stay_closer_than_strong_ones()
    {
        var parentBytes = (await _provider.GenerateAsync(Request(ParentSeed), TestContext.Current.CancellationToken))[0].Bytes;
        var parent = PngDecoder.Decode(parentBytes).Image;
        for (var seed = 50L; seed < 52; seed++)
        {
            var subtle = await VariationAsync(seed, VariationStrength.Subtle, parentBytes);
            (await VariationAsync(seed, VariationStrength.Subtle, parentBytes)).Pixels.ShouldBe(subtle.Pixels);
            var strong = await VariationAsync(seed, VariationStrength.Strong, parentBytes);
            var toSubtle = MeanDifference(subtle, parent);
            toSubtle.ShouldBeGreaterThan(0.2);
            MeanDifference(strong, parent).ShouldBeGreaterThan(toSubtle * 1.5);
        }
    }

    [Fact]
    public async Task A_variation_of_an_image_of_unknown_seed_takes_its_colours()
    {
        // A parent from another provider: no seed, a strongly purple picture.
        var parent = Solid(110, 40, 160, 64, 64);
        var bytes = PngEncoder.Encode(parent);
        var plain = await GenerateAsync(Request(3));
        var subtle = await VariationAsync(3, VariationStrength.Subtle, bytes, parentSeed: null);
        var strong = await VariationAsync(3, VariationStrength.Strong, bytes, parentSeed: null);
        ColourDistance(subtle, parent).ShouldBeLessThan(ColourDistance(strong, parent));
        ColourDistance(strong, parent).ShouldBeLessThan(ColourDistance(plain, parent));
    }

    [Fact]
    public async Task A_variation_of_a_non_png_image_of_unknown_seed_is_a_fresh_sketch()
    {
        var plain = await GenerateAsync(Request(3));
        var variation = await VariationAsync(3, VariationStrength.Subtle, Jpeg, parentSeed: null, mediaType: "image/jpeg");
        variation.Pixels.ShouldBe(plain.Pixels);
    }

    [Fact]
    public async Task A_red_png_reference_turns_the_picture_toward_red()
    {
        var plain = PixelStats.Compute(await GenerateAsync(Request(3)));
        var red = PixelStats.Compute(await GenerateAsync(Request(3) with { References = [Reference(PngEncoder.Encode(Solid(210, 35, 45)), "image/png")] }));
        (red.MeanRed - (red.MeanGreen + red.MeanBlue) / 2).ShouldBeGreaterThan(plain.MeanRed - (plain.MeanGreen + plain.MeanBlue) / 2 + 10);
        red.HueShare(300, 30).ShouldBeGreaterThan(plain.HueShare(300, 30) + 0.1);
    }

    [Fact]
    public async Task Jpeg_webp_and_gif_references_are_accepted_and_ignored()
    {
        var plain = await GenerateAsync(Request(3));
        var withOthers = await GenerateAsync(Request(3) with
        {
            References = [Reference(Jpeg, "image/jpeg"), Reference("RIFF\0\0\0\0WEBPVP8 "u8.ToArray(), "image/webp"), Reference("GIF89a"u8.ToArray(), "image/gif")],
        });
        withOthers.Pixels.ShouldBe(plain.Pixels);
    }

    [Fact]
    public async Task A_png_reference_that_cannot_be_decoded_fails_with_its_name()
    {
        var broken = Reference([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0], "image/png", "/photos/broken.png");
        var error = await Should.ThrowAsync<ArgumentException>(() => _provider.GenerateAsync(Request(1) with { References = [broken] }, TestContext.Current.CancellationToken));
        error.Message.ShouldContain("/photos/broken.png");
        error.Message.ShouldContain("not a readable PNG");
    }

    [Fact]
    public async Task Refuses_more_than_four_references()
    {
        var reference = Reference(PngEncoder.Encode(Solid(0, 0, 0, 4, 4)), "image/png");
        var error = await Should.ThrowAsync<ArgumentException>(() =>
            _provider.GenerateAsync(Request(1) with { References = [reference, reference, reference, reference, reference] }, TestContext.Current.CancellationToken));
        error.Message.ShouldContain("at most 4 reference images");
    }

    // The start of a JPEG file: the sketch never decodes it.
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0xFF, 0xD9];

    private static ReferenceImage Reference(byte[] bytes, string mediaType, string source = "/photos/reference") =>
        new(source, bytes, mediaType, 1, 1, Convert.ToHexString(SHA256.HashData(bytes)));

    private static RgbaImage Solid(byte r, byte g, byte b, int width = 32, int height = 32)
    {
        var image = new RgbaImage(width, height);
        for (var i = 0; i < image.Pixels.Length; i += 4)
            (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], image.Pixels[i + 3]) = (r, g, b, 255);
        return image;
    }

    private static double MeanDifference(RgbaImage a, RgbaImage b)
    {
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
            sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / (double)a.Pixels.Length;
    }

    private static double ColourDistance(RgbaImage a, RgbaImage b)
    {
        var (x, y) = (PixelStats.Compute(a), PixelStats.Compute(b));
        return Math.Sqrt(Math.Pow(x.MeanRed - y.MeanRed, 2) + Math.Pow(x.MeanGreen - y.MeanGreen, 2) + Math.Pow(x.MeanBlue - y.MeanBlue, 2));
    }
}
