using Easel.Imaging.Resampling;

namespace Easel.Imaging.Tests.Resampling;

public sealed class ResamplerTests
{
    // Agreement with ImageMagick 6.9.11 Q16 `-filter Lanczos -resize WxH!` (its result read at
    // 16 bits and rounded). Measured over all cases below: no sample differs by more than 1
    // level, so none by more than 2; the mean absolute difference per channel is at most
    // 0.046 (checkerboard 512 -> 128) and 0.03 (gradient), where averages that land exactly on
    // .5 round either way after ImageMagick's 16-bit intermediate, and below 0.002 on the
    // plasma images. The same holds for the alpha images, compared premultiplied and as
    // straight colour where alpha >= 16.
    private const double MaxDifference = 2;
    private const double MeanDifference = 0.06;
    private const double ShareAbove2 = 0;

    public static TheoryData<string, int, int> OpaqueCases => new()
    {
        { "plasma 1024x1024", 256, 256 },   // 4x downscale
        { "plasma 500x500", 333, 333 },     // non-integer factor
        { "checkerboard 512x512", 333, 200 }, // hard edges, different factor per axis
        { "checkerboard 512x512", 128, 128 },
        { "plasma 300x200", 600, 400 },     // 2x upscale
        { "plasma 256x256", 1024, 1024 },   // 4x upscale
        { "checkerboard 128x128", 512, 512 },
        { "gradient 256x256", 512, 100 },   // up in x, down in y
        { "plasma 500x500", 1, 1 },
        { "plasma 500x500", 500, 1 },
        { "plasma 500x500", 7, 900 },
        { "gradient 1x300", 4, 600 },       // from a 1-pixel-wide source
    };

    public static TheoryData<string, int, int> AlphaCases => new()
    {
        { "radial alpha 400", 100, 100 },
        { "radial alpha 400", 263, 171 },
        { "radial alpha 400", 1000, 1000 },
        { "shapes 400", 100, 100 },
        { "shapes 400", 263, 171 },
        { "shapes 400", 800, 800 },
    };

    private static RgbaImage Source(string name) => name switch
    {
        "plasma 1024x1024" => TestImages.Plasma(1024, 1024),
        "plasma 500x500" => TestImages.Plasma(500, 500, seed: 7),
        "plasma 300x200" => TestImages.Plasma(300, 200, seed: 11),
        "plasma 256x256" => TestImages.Plasma(256, 256, seed: 3),
        "checkerboard 512x512" => TestImages.Checkerboard(512, 512),
        "checkerboard 128x128" => TestImages.Checkerboard(128, 128),
        "gradient 256x256" => TestImages.Gradient(256, 256),
        "gradient 1x300" => TestImages.Gradient(1, 300, "yellow-navy"),
        "radial alpha 400" => TestImages.PlasmaWithRadialAlpha(400),
        "shapes 400" => TestImages.ShapesOnTransparentGreen(400),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown test image"),
    };

    [Theory]
    [MemberData(nameof(OpaqueCases))]
    public void Matches_ImageMagick_Lanczos_on_opaque_images(string source, int width, int height)
    {
        var image = Source(source);

        var ours = Resampler.Resize(image, width, height);
        var theirs = ImageMagick.Resize(image, width, height);

        ours.Width.ShouldBe(width);
        ours.Height.ShouldBe(height);
        ours.IsOpaque().ShouldBeTrue();
        ImageDiff.Straight(theirs, ours).ShouldBeWithin(MaxDifference, MeanDifference, ShareAbove2);
    }

    [Theory]
    [MemberData(nameof(AlphaCases))]
    public void Matches_ImageMagick_Lanczos_on_images_with_alpha(string source, int width, int height)
    {
        var image = Source(source);
        image.IsOpaque().ShouldBeFalse();

        var ours = Resampler.Resize(image, width, height);
        var theirs = ImageMagick.Resize(image, width, height);

        // Fully transparent pixels may carry any colour, so compare what is visible.
        ImageDiff.Premultiplied(theirs, ours).ShouldBeWithin(MaxDifference, MeanDifference, ShareAbove2);
        ImageDiff.VisibleColour(theirs, ours, minAlpha: 16).ShouldBeWithin(MaxDifference, MeanDifference, ShareAbove2);
    }

    [Theory]
    [InlineData(64, 64, 16, 16)]
    [InlineData(64, 48, 200, 7)]
    [InlineData(1, 1, 9, 5)]
    [InlineData(10, 1, 1, 1)]
    [InlineData(1, 10, 3, 40)]
    public void A_solid_colour_stays_exactly_that_colour(int sw, int sh, int tw, int th)
    {
        foreach (var alpha in new byte[] { 255, 128, 1 })
        {
            var result = Resampler.Resize(TestImages.Solid(sw, sh, 12, 200, 77, alpha), tw, th);

            result.Pixels.ShouldBe(TestImages.Solid(tw, th, 12, 200, 77, alpha).Pixels, $"alpha {alpha}");
        }
    }

    [Fact]
    public void Hidden_colour_of_transparent_pixels_does_not_bleed_into_visible_ones()
    {
        // Left half opaque red, right half fully transparent but with green stored in it.
        var image = new RgbaImage(64, 64);
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++)
            (x < 32 ? new byte[] { 255, 0, 0, 255 } : new byte[] { 0, 255, 0, 0 }).CopyTo(image.Row(y).Slice(x * 4, 4));

        foreach (var (w, h) in new[] { (16, 16), (40, 40), (150, 150) })
        {
            var result = Resampler.Resize(image, w, h);
            for (var i = 0; i < result.Pixels.Length; i += 4)
            {
                if (result.Pixels[i + 3] == 0)
                    continue;
                result.Pixels[i + 1].ShouldBe((byte)0, $"green leaked into pixel {i / 4} at {w}x{h}");
                result.Pixels[i].ShouldBe((byte)255, $"red lost in pixel {i / 4} at {w}x{h}");
            }
        }
    }

    [Fact]
    public void Mirrored_input_gives_mirrored_output()
    {
        var image = TestImages.Random(97, 61, seed: 1, opaque: false);
        var mirrored = Mirror(image);

        foreach (var (w, h) in new[] { (31, 20), (200, 150), (97, 3) })
            Mirror(Resampler.Resize(image, w, h)).Pixels.ShouldBe(Resampler.Resize(mirrored, w, h).Pixels, $"{w}x{h}");
    }

    [Fact]
    public void Same_size_returns_an_equal_independent_copy()
    {
        var image = TestImages.Random(20, 10, seed: 2);

        var copy = Resampler.Resize(image, 20, 10);

        copy.ShouldNotBeSameAs(image);
        copy.Pixels.ShouldNotBeSameAs(image.Pixels);
        copy.Pixels.ShouldBe(image.Pixels);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, -1)]
    [InlineData(100_000, 100_000)]
    public void Rejects_impossible_target_sizes(int width, int height)
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => Resampler.Resize(TestImages.Random(4, 4, seed: 3), width, height));
        ex.Message.ShouldContain($"{width}x{height}");
    }

    private static RgbaImage Mirror(RgbaImage image)
    {
        var result = new RgbaImage(image.Width, image.Height);
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
            image.ReadOnlyRow(y).Slice(x * 4, 4).CopyTo(result.Row(y).Slice((image.Width - 1 - x) * 4, 4));
        return result;
    }
}
