using Easel.Imaging.Metrics;
using Easel.Imaging.Resampling;
using Easel.Imaging.Tests.Resampling;

namespace Easel.Imaging.Tests.Metrics;

public sealed class RegionStatsTests
{
    [Fact]
    public void A_solid_image_has_a_plain_border_no_sparkle_and_nothing_to_focus_on()
    {
        var stats = RegionStats.Compute(TestImages.Solid(200, 150, 90, 120, 200));

        stats.BorderColorStdDev.ShouldBe(0, 1e-6);
        stats.BorderEdge.ShouldBe(0, 1e-6);
        stats.BorderTransparentFraction.ShouldBe(0);
        stats.BorderLuminance.ShouldBe(0.2126 * 90 + 0.7152 * 120 + 0.0722 * 200, 1e-3);
        stats.Sparkles.ShouldBe(0);
        stats.SparkleFraction.ShouldBe(0);
        double.IsNaN(stats.Focus).ShouldBeTrue();
        stats.StructuredFraction.ShouldBe(0);
        stats.VisibleFraction.ShouldBe(1);
        stats.OpaqueFraction.ShouldBe(1);
    }

    [Fact]
    public void A_busy_border_has_a_large_colour_spread_and_a_plain_one_a_small_spread()
    {
        var busy = RegionStats.Compute(TestImages.Checkerboard(240, 240));
        var plain = TestImages.Solid(240, 240, 235, 235, 235);
        ColorCoverageTests.Fill(plain, 60, 60, 120, 120, 30, 30, 30); // a dark subject in the middle, away from the border

        busy.BorderColorStdDev.ShouldBeGreaterThan(20);
        busy.BorderEdge.ShouldBeGreaterThan(1);
        RegionStats.Compute(plain).BorderColorStdDev.ShouldBe(0, 1e-6);
    }

    [Fact]
    public void Bands_tell_a_dark_top_from_a_bright_bottom()
    {
        var image = TestImages.Solid(90, 90, 255, 255, 255);
        ColorCoverageTests.Fill(image, 0, 0, 90, 30, 0, 0, 0);

        var bands = RegionStats.Compute(image).BandLuminance;

        bands[0].ShouldBe(0, 1e-3);
        bands[1].ShouldBe(255, 1e-3);
        bands[2].ShouldBe(255, 1e-3);
    }

    [Fact]
    public void Small_white_glints_on_a_darker_surface_are_counted_as_separate_sparkles()
    {
        var image = TestImages.Solid(512, 512, 70, 60, 50);
        foreach (var (x, y) in new[] { (96, 96), (400, 120), (248, 376) }) // each inside one 8-pixel sparkle cell
            ColorCoverageTests.Fill(image, x, y, 5, 5, 255, 255, 255);

        var stats = RegionStats.Compute(image);

        stats.Sparkles.ShouldBe(3);
        stats.SparkleFraction.ShouldBe(75.0 / (512 * 512), 1e-9);
    }

    [Fact]
    public void Large_white_areas_and_glints_on_white_are_not_sparkle()
    {
        var bigPatch = TestImages.Solid(512, 512, 70, 60, 50);
        ColorCoverageTests.Fill(bigPatch, 100, 100, 200, 200, 255, 255, 255);
        var onWhite = TestImages.Solid(512, 512, 250, 250, 250);
        ColorCoverageTests.Fill(onWhite, 200, 200, 5, 5, 255, 255, 255);
        var yellow = TestImages.Solid(512, 512, 70, 60, 50);
        ColorCoverageTests.Fill(yellow, 200, 200, 5, 5, 255, 240, 0);

        RegionStats.Compute(bigPatch).Sparkles.ShouldBe(0);
        RegionStats.Compute(onWhite).Sparkles.ShouldBe(0);
        RegionStats.Compute(yellow).Sparkles.ShouldBe(0);
    }

    [Fact]
    public void Blurring_lowers_focus_whatever_the_number_of_edges()
    {
        var one = TestImages.Solid(400, 400, 40, 40, 40);
        ColorCoverageTests.Fill(one, 120, 120, 160, 160, 220, 220, 220);
        var many = TestImages.Checkerboard(400, 400);

        foreach (var sharp in new[] { one, many })
        {
            var blurred = Resampler.Resize(Resampler.Resize(sharp, 100, 100), 400, 400);

            RegionStats.Compute(sharp).Focus.ShouldBeGreaterThan(0.4);
            RegionStats.Compute(blurred).Focus.ShouldBeLessThan(0.2);
        }
    }

    [Fact]
    public void A_transparent_background_and_a_half_transparent_subject_are_told_apart()
    {
        var image = TestImages.Solid(100, 100, 0, 0, 0, 0);
        ColorCoverageTests.Fill(image, 30, 30, 40, 40, 200, 40, 40);
        ColorCoverageTests.Fill(image, 30, 30, 40, 20, 200, 40, 40, 128);

        var stats = RegionStats.Compute(image);

        stats.BorderTransparentFraction.ShouldBe(1);
        stats.VisibleFraction.ShouldBe(0.16, 1e-9);
        stats.OpaqueFraction.ShouldBe(0.5, 1e-9);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    [InlineData(1, 700)]
    public void Tiny_and_thin_images_are_measured_without_error(int width, int height)
    {
        var stats = RegionStats.Compute(TestImages.Solid(width, height, 10, 200, 30));

        stats.VisibleFraction.ShouldBe(1);
        stats.Sparkles.ShouldBe(0);
    }

    [Fact]
    public void A_large_image_gives_the_same_numbers_every_time()
    {
        var plasma = TestImages.Plasma(700, 600, seed: 4);

        var first = RegionStats.Compute(plasma);
        var second = RegionStats.Compute(plasma);

        second.Focus.ShouldBe(first.Focus);
        second.BorderColorStdDev.ShouldBe(first.BorderColorStdDev);
        second.Sparkles.ShouldBe(first.Sparkles);
        second.BandLuminance.ShouldBe(first.BandLuminance);
    }
}
