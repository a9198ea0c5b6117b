using Easel.Imaging.Metrics;
using Easel.Imaging.Resampling;
using Easel.Imaging.Tests.Resampling;

namespace Easel.Imaging.Tests.Metrics;

public sealed class PixelStatsTests
{
    // ImageMagick reports its statistics from 16-bit values and uses Rec. 709 luma weights
    // 0.212656/0.715158/0.072186 rather than 0.2126/0.7152/0.0722; on the plasma images below
    // that moves the numbers by under 0.002 levels (measured), so 0.01 is ample.
    private const double MagickTolerance = 0.01;

    [Fact]
    public void Solid_red()
    {
        var stats = PixelStats.Compute(TestImages.Solid(50, 40, 255, 0, 0));

        stats.MeanRed.ShouldBe(255);
        stats.MeanGreen.ShouldBe(0);
        stats.MeanBlue.ShouldBe(0);
        stats.MeanAlpha.ShouldBe(255);
        stats.MeanLuminance.ShouldBe(0.2126 * 255, 1e-3);
        stats.LuminanceStdDev.ShouldBe(0, 1e-3);
        stats.HueShare(350, 10).ShouldBe(1, 1e-9);
        stats.HueShare(0, 360).ShouldBe(1, 1e-9);
        stats.HueShare(20, 340).ShouldBe(0);
        stats.HueHistogram.Length.ShouldBe(36);
        stats.HueHistogram[0].ShouldBe(1, 1e-9);
        stats.ColorfulFraction.ShouldBe(1);
        stats.Sharpness.ShouldBe(0);
        stats.Noise.ShouldBe(0);
        stats.TransparentFraction.ShouldBe(0);
        stats.DarkClippedFraction.ShouldBe(0);
        stats.BrightClippedFraction.ShouldBe(0);
    }

    [Theory]
    [InlineData(0, 255, 0, 120)]   // green
    [InlineData(0, 0, 255, 240)]   // blue
    [InlineData(255, 255, 0, 60)]  // yellow
    [InlineData(255, 0, 128, 330)] // pink: 330 - 30 * 128 / 255 ~ 329.9, in bin 32
    public void Pure_hues_land_in_their_bin(byte r, byte g, byte b, double hue)
    {
        var stats = PixelStats.Compute(TestImages.Solid(8, 8, r, g, b));

        stats.HueShare(hue - 10, hue + 10).ShouldBe(1, 1e-9);
        stats.HueShare(hue + 20, hue - 20).ShouldBe(0);
    }

    [Fact]
    public void Hue_share_counts_partly_covered_bins_in_proportion()
    {
        var stats = PixelStats.Compute(TestImages.Solid(8, 8, 255, 0, 0)); // all weight in bin 0..10

        stats.HueShare(355, 5).ShouldBe(0.5, 1e-9);
        stats.HueShare(2.5, 5).ShouldBe(0.25, 1e-9);
        stats.HueShare(-10, 10).ShouldBe(1, 1e-9);
        stats.HueShare(10, 10).ShouldBe(0);
    }

    [Fact]
    public void Grey_has_no_hue_and_no_colour()
    {
        var stats = PixelStats.Compute(TestImages.Solid(30, 30, 128, 128, 128));

        stats.HueHistogram.ShouldAllBe(v => v == 0);
        stats.HueShare(0, 360).ShouldBe(0);
        stats.ColorfulFraction.ShouldBe(0);
        stats.MeanLuminance.ShouldBe(128, 1e-3);
    }

    [Fact]
    public void Black_is_all_dark_clipped_and_white_all_bright_clipped()
    {
        var black = PixelStats.Compute(TestImages.Solid(20, 20, 0, 0, 0));
        var white = PixelStats.Compute(TestImages.Solid(20, 20, 255, 255, 255));

        black.DarkClippedFraction.ShouldBe(1);
        black.BrightClippedFraction.ShouldBe(0);
        black.MeanLuminance.ShouldBe(0);
        white.BrightClippedFraction.ShouldBe(1);
        white.DarkClippedFraction.ShouldBe(0);
        white.MeanLuminance.ShouldBe(255, 1e-3);
    }

    [Fact]
    public void Transparent_half_counts_as_transparent_and_its_hidden_colour_is_ignored()
    {
        // Left half opaque blue, right half fully transparent white.
        var image = TestImages.Solid(40, 20, 255, 255, 255, 0);
        for (var y = 0; y < 20; y++)
        for (var x = 0; x < 20; x++)
            new byte[] { 0, 0, 255, 255 }.CopyTo(image.Row(y).Slice(x * 4, 4));

        var stats = PixelStats.Compute(image);

        stats.TransparentFraction.ShouldBe(0.5);
        stats.MeanAlpha.ShouldBe(127.5, 1e-9);
        stats.MeanRed.ShouldBe(0);
        stats.MeanBlue.ShouldBe(255);
        stats.HueShare(230, 250).ShouldBe(1, 1e-9);
        stats.ColorfulFraction.ShouldBe(1);
        stats.BrightClippedFraction.ShouldBe(0);
        // The edge against transparency is not detail.
        stats.Sharpness.ShouldBe(0);
        stats.Noise.ShouldBe(0);
    }

    [Fact]
    public void Half_opaque_colour_weighs_half()
    {
        // Left half red at alpha 255, right half blue at alpha 85: red weighs three times as much.
        var image = TestImages.Solid(40, 10, 0, 0, 255, 85);
        for (var y = 0; y < 10; y++)
        for (var x = 0; x < 20; x++)
            new byte[] { 255, 0, 0, 255 }.CopyTo(image.Row(y).Slice(x * 4, 4));

        var stats = PixelStats.Compute(image);

        stats.MeanRed.ShouldBe(255 * 0.75, 1e-9);
        stats.MeanBlue.ShouldBe(255 * 0.25, 1e-9);
        stats.MeanAlpha.ShouldBe(170, 1e-9);
        stats.TransparentFraction.ShouldBe(0);
        stats.HueShare(350, 10).ShouldBe(0.75, 1e-9);
    }

    [Fact]
    public void Colorful_fraction_needs_both_saturation_and_brightness()
    {
        // Quarters: vivid red, washed-out pink (s = 0.2), very dark red (v = 0.1), vivid green.
        var image = new RgbaImage(40, 10);
        byte[][] colours = [[255, 0, 0, 255], [255, 204, 204, 255], [25, 0, 0, 255], [0, 200, 0, 255]];
        for (var y = 0; y < 10; y++)
        for (var x = 0; x < 40; x++)
            colours[x / 10].CopyTo(image.Row(y).Slice(x * 4, 4));

        PixelStats.Compute(image).ColorfulFraction.ShouldBe(0.5);
    }

    [Fact]
    public void Means_and_contrast_agree_with_ImageMagick()
    {
        var plasma = TestImages.Plasma(512, 512, seed: 9);

        var stats = PixelStats.Compute(plasma);
        var means = ImageMagick.Measure(plasma, "%[fx:mean.r*255] %[fx:mean.g*255] %[fx:mean.b*255]");
        var luma = ImageMagick.Measure(plasma, "%[fx:mean*255] %[fx:standard_deviation*255]",
            "-alpha", "off", "-grayscale", "Rec709Luma");

        stats.MeanRed.ShouldBe(means[0], MagickTolerance);
        stats.MeanGreen.ShouldBe(means[1], MagickTolerance);
        stats.MeanBlue.ShouldBe(means[2], MagickTolerance);
        stats.MeanLuminance.ShouldBe(luma[0], MagickTolerance);
        stats.LuminanceStdDev.ShouldBe(luma[1], MagickTolerance);
        stats.LuminanceStdDev.ShouldBeGreaterThan(5); // a real, non-degenerate check
    }

    [Fact]
    public void Alpha_weighted_means_agree_with_ImageMagick()
    {
        var image = TestImages.PlasmaWithRadialAlpha(400);

        var stats = PixelStats.Compute(image);
        // ImageMagick 6's fx mean.a reports opacity, so measure the extracted alpha instead;
        // compositing over black gives colour * alpha, whose mean over the mean alpha is the
        // alpha-weighted mean colour.
        var alpha = ImageMagick.Measure(image, "%[fx:mean]", "-alpha", "extract")[0];
        var premultiplied = ImageMagick.Measure(image, "%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]",
            "-background", "black", "-alpha", "remove");

        stats.MeanAlpha.ShouldBe(alpha * 255, MagickTolerance);
        stats.MeanRed.ShouldBe(premultiplied[0] / alpha * 255, MagickTolerance);
        stats.MeanGreen.ShouldBe(premultiplied[1] / alpha * 255, MagickTolerance);
        stats.MeanBlue.ShouldBe(premultiplied[2] / alpha * 255, MagickTolerance);
    }

    [Fact]
    public void Blurring_lowers_sharpness()
    {
        var plasma = TestImages.Plasma(512, 512, seed: 9);
        var blurred = ImageMagick.Transform(plasma, 512, 512, "-blur", "0x2");

        PixelStats.Compute(blurred).Sharpness.ShouldBeLessThan(PixelStats.Compute(plasma).Sharpness / 2);
        PixelStats.Compute(TestImages.Checkerboard(256, 256)).Sharpness
            .ShouldBeGreaterThan(PixelStats.Compute(plasma).Sharpness);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(10.0)]
    public void Noise_estimates_the_sigma_of_added_gaussian_noise(double sigma)
    {
        var flat = TestImages.Solid(512, 512, 128, 128, 128);

        PixelStats.Compute(flat).Noise.ShouldBe(0);
        // Immerkær's estimator is unbiased for white Gaussian noise; rounding to bytes adds a
        // little (variance 1/12), hence 10 %.
        PixelStats.Compute(AddNoise(flat, sigma, seed: 1)).Noise.ShouldBe(sigma, sigma * 0.1);
    }

    [Fact]
    public void Added_noise_raises_the_noise_estimate_of_a_photo_like_image()
    {
        var plasma = TestImages.Plasma(512, 512, seed: 9);

        var clean = PixelStats.Compute(plasma).Noise;
        var noisy = PixelStats.Compute(AddNoise(plasma, 6, seed: 2)).Noise;

        noisy.ShouldBeGreaterThan(clean + 3);
    }

    [Fact]
    public void Fully_transparent_and_tiny_images_give_zeros_not_NaN()
    {
        foreach (var image in new[] { TestImages.Solid(10, 10, 9, 9, 9, 0), TestImages.Solid(1, 1, 200, 100, 0), TestImages.Solid(2, 7, 1, 2, 3) })
        {
            var stats = PixelStats.Compute(image);
            new[]
            {
                stats.MeanRed, stats.MeanGreen, stats.MeanBlue, stats.MeanAlpha, stats.MeanLuminance, stats.LuminanceStdDev,
                stats.ColorfulFraction, stats.Sharpness, stats.Noise, stats.TransparentFraction,
                stats.DarkClippedFraction, stats.BrightClippedFraction,
            }.Concat(stats.HueHistogram).ShouldAllBe(v => double.IsFinite(v) && v >= 0);
        }
        PixelStats.Compute(TestImages.Solid(10, 10, 9, 9, 9, 0)).TransparentFraction.ShouldBe(1);
    }

    [Fact]
    public void Parallel_chunks_give_the_same_answer_as_one_chunk()
    {
        // The same content as one tall image and as its top-left 64x32 crop repeated: the
        // colour statistics of a uniform tiling must match the tile's own.
        var tile = TestImages.Random(64, 32, seed: 6, opaque: false);
        var tall = new RgbaImage(64, 32 * 40);
        for (var y = 0; y < tall.Height; y++)
            tile.ReadOnlyRow(y % 32).CopyTo(tall.Row(y));

        var a = PixelStats.Compute(tile);
        var b = PixelStats.Compute(tall);

        b.MeanRed.ShouldBe(a.MeanRed, 1e-9);
        b.MeanAlpha.ShouldBe(a.MeanAlpha, 1e-9);
        b.LuminanceStdDev.ShouldBe(a.LuminanceStdDev, 1e-9);
        b.TransparentFraction.ShouldBe(a.TransparentFraction, 1e-12);
        for (var i = 0; i < 36; i++)
            b.HueHistogram[i].ShouldBe(a.HueHistogram[i], 1e-9);
        PixelStats.Compute(tall).ShouldBeEquivalentTo(b); // repeatable, whatever the thread timing
    }

    /// <summary>Adds rounded Gaussian noise (Box-Muller, fixed seed) to the colour channels.</summary>
    private static RgbaImage AddNoise(RgbaImage image, double sigma, int seed)
    {
        var random = new Random(seed);
        var result = new RgbaImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        for (var i = 0; i < result.Pixels.Length; i += 4)
        {
            // Same noise in R, G and B, so luma carries exactly sigma.
            var n = sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            for (var c = 0; c < 3; c++)
                result.Pixels[i + c] = (byte)Math.Clamp(Math.Round(result.Pixels[i + c] + n), 0, 255);
        }
        return result;
    }
}
