using Easel.Imaging.Metrics;
using Easel.Imaging.Resampling;

namespace Easel.Imaging.Tests.Resampling;

public sealed class ImageOpsTests
{
    // Agreement of Sharpen with ImageMagick `-unsharp 0xSIGMA+AMOUNT+0` (read at 16 bits,
    // rounded). Measured on a 500x500 plasma and a 512x512 checkerboard at (0.5, 1) and (1, 2):
    // no sample differs by more than 1; mean absolute difference at most 0.23 (checkerboard,
    // amount 1), from ImageMagick's slightly different Gaussian sampling and 16-bit blur.
    private const double SharpenMaxDifference = 2;
    private const double SharpenMeanDifference = 0.3;

    [Fact]
    public void Crop_copies_exactly_the_requested_pixels()
    {
        var image = Coordinates(40, 30);

        var crop = image.Crop(7, 5, 20, 11);

        crop.Width.ShouldBe(20);
        crop.Height.ShouldBe(11);
        for (var y = 0; y < 11; y++)
        for (var x = 0; x < 20; x++)
            crop.ReadOnlyRow(y).Slice(x * 4, 4).ToArray().ShouldBe(image.ReadOnlyRow(y + 5).Slice((x + 7) * 4, 4).ToArray());
    }

    [Fact]
    public void Crop_of_the_whole_image_and_of_a_corner_pixel()
    {
        var image = Coordinates(40, 30);

        image.Crop(0, 0, 40, 30).Pixels.ShouldBe(image.Pixels);
        image.Crop(39, 29, 1, 1).Pixels.ShouldBe(image.ReadOnlyRow(29).Slice(39 * 4, 4).ToArray());
    }

    [Theory]
    [InlineData(-1, 0, 10, 10)]
    [InlineData(0, -1, 10, 10)]
    [InlineData(31, 0, 10, 10)]
    [InlineData(0, 21, 10, 10)]
    [InlineData(0, 0, 0, 10)]
    [InlineData(0, 0, 10, -3)]
    [InlineData(int.MaxValue, 0, 10, 10)]
    public void Crop_outside_the_image_is_refused(int x, int y, int width, int height)
    {
        var image = Coordinates(40, 30);

        var ex = Should.Throw<ArgumentOutOfRangeException>(() => image.Crop(x, y, width, height));
        ex.Message.ShouldContain($"{width}x{height}");
        if (width > 0 && height > 0)
            ex.Message.ShouldContain("40x30");
    }

    [Fact]
    public void Sharpen_makes_an_upscaled_image_sharper()
    {
        var upscaled = Resampler.Resize(TestImages.Plasma(256, 256, seed: 3), 512, 512);

        var before = PixelStats.Compute(upscaled).Sharpness;
        var gentle = PixelStats.Compute(upscaled.Sharpen()).Sharpness;
        var strong = PixelStats.Compute(upscaled.Sharpen(amount: 1.5)).Sharpness;

        gentle.ShouldBeGreaterThan(before * 1.2);
        strong.ShouldBeGreaterThan(gentle);
    }

    [Fact]
    public void Sharpen_leaves_flat_areas_unchanged_and_boosts_the_edge()
    {
        // Left 60 grey, right 200 grey, with an edge at x = 50.
        var image = new RgbaImage(100, 40);
        for (var y = 0; y < 40; y++)
        for (var x = 0; x < 100; x++)
        {
            var v = (byte)(x < 50 ? 60 : 200);
            new[] { v, v, v, (byte)255 }.CopyTo(image.Row(y).Slice(x * 4, 4));
        }

        var sharp = image.Sharpen(amount: 1, radius: 2);

        for (var y = 0; y < 40; y++)
        for (var x = 0; x < 100; x++)
        {
            var original = image.Pixels[(y * 100 + x) * 4];
            var value = sharp.Pixels[(y * 100 + x) * 4];
            sharp.Pixels[(y * 100 + x) * 4 + 3].ShouldBe((byte)255);
            if (x < 44 || x >= 56) // beyond the 3-sigma reach of the edge
                value.ShouldBe(original, $"flat pixel ({x},{y}) changed");
        }
        sharp.Pixels[49 * 4].ShouldBeLessThan((byte)60);     // dark side of the edge gets darker
        sharp.Pixels[50 * 4].ShouldBeGreaterThan((byte)200); // light side gets lighter
    }

    [Fact]
    public void Sharpen_keeps_alpha_and_ignores_hidden_colour_of_transparent_pixels()
    {
        // An opaque grey square on transparent white: nothing visible has an edge against
        // another visible colour, so nothing may change.
        var image = TestImages.Solid(60, 60, 255, 255, 255, 0);
        for (var y = 20; y < 40; y++)
        for (var x = 20; x < 40; x++)
            new byte[] { 128, 128, 128, 255 }.CopyTo(image.Row(y).Slice(x * 4, 4));

        var sharp = image.Sharpen(amount: 2, radius: 1.5);

        sharp.Pixels.ShouldBe(image.Pixels);
    }

    [Fact]
    public void Sharpen_with_amount_zero_is_a_copy()
    {
        var image = TestImages.Random(30, 20, seed: 4, opaque: false);

        var copy = image.Sharpen(amount: 0);

        copy.Pixels.ShouldNotBeSameAs(image.Pixels);
        copy.Pixels.ShouldBe(image.Pixels);
    }

    [Theory]
    [InlineData(-0.1, 1.0)]
    [InlineData(2.1, 1.0)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.5, -1.0)]
    [InlineData(0.5, 1000.0)]
    public void Sharpen_refuses_out_of_range_settings(double amount, double radius) =>
        Should.Throw<ArgumentOutOfRangeException>(() => TestImages.Random(8, 8, seed: 5).Sharpen(amount, radius));

    [Theory]
    [InlineData("plasma", 0.5, 1.0)]
    [InlineData("plasma", 1.0, 2.0)]
    [InlineData("checkerboard", 0.5, 1.0)]
    [InlineData("checkerboard", 1.0, 2.0)]
    public void Sharpen_matches_ImageMagick_unsharp(string source, double amount, double radius)
    {
        var image = source == "plasma" ? TestImages.Plasma(500, 500, seed: 7) : TestImages.Checkerboard(512, 512);

        var ours = image.Sharpen(amount, radius);
        var theirs = ImageMagick.Transform(image, image.Width, image.Height,
            "-unsharp", FormattableString.Invariant($"0x{radius}+{amount}+0"));

        ImageDiff.Straight(theirs, ours).ShouldBeWithin(SharpenMaxDifference, SharpenMeanDifference, 0);
    }

    /// <summary>Each pixel encodes its own position, so any misplaced copy is caught.</summary>
    private static RgbaImage Coordinates(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            new[] { (byte)x, (byte)y, (byte)(x ^ y), (byte)(255 - x) }.CopyTo(image.Row(y).Slice(x * 4, 4));
        return image;
    }
}
