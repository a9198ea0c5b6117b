using Easel.Imaging.Metrics;
using Easel.Imaging.Tests.Resampling;

namespace Easel.Imaging.Tests.Metrics;

public sealed class ColorCoverageTests
{
    private static readonly HsvRange Red = new(345, 15, 0.4, 1, 0.3, 1);
    private static readonly HsvRange Blue = new(195, 245, 0.35, 1, 0.25, 1);

    [Fact]
    public void Solid_red_is_all_red_and_no_blue()
    {
        var coverage = ColorCoverage.Compute(TestImages.Solid(40, 30, 220, 30, 30));

        coverage.VisiblePixels.ShouldBe(1200);
        coverage.Share(Red).ShouldBe(1, 1e-9);
        coverage.Share(Blue).ShouldBe(0);
        coverage.Share(new HsvRange(0, 360, 0, 1, 0, 1)).ShouldBe(1, 1e-9);
    }

    [Fact]
    public void Counts_pixels_not_saturation()
    {
        // Left half vivid red, right half a pale blue: each is half the pixels, whatever its saturation.
        var image = TestImages.Solid(40, 20, 220, 30, 30);
        Fill(image, 20, 0, 20, 20, 160, 190, 240);

        var coverage = ColorCoverage.Compute(image);

        coverage.Share(Red).ShouldBe(0.5, 1e-9);
        coverage.Share(new HsvRange(195, 245, 0.2, 1, 0.25, 1)).ShouldBe(0.5, 1e-9);
    }

    [Fact]
    public void Transparent_pixels_are_not_counted()
    {
        var image = TestImages.Solid(20, 20, 30, 30, 220, 0);
        Fill(image, 0, 0, 20, 5, 220, 30, 30);

        var coverage = ColorCoverage.Compute(image);

        coverage.VisiblePixels.ShouldBe(100);
        coverage.Share(Red).ShouldBe(1, 1e-9);
        coverage.Share(Blue).ShouldBe(0);
    }

    [Fact]
    public void Neutral_ranges_separate_white_grey_and_black()
    {
        var image = TestImages.Solid(30, 10, 250, 250, 248);
        Fill(image, 10, 0, 10, 10, 128, 128, 130);
        Fill(image, 20, 0, 10, 10, 12, 12, 16);

        var coverage = ColorCoverage.Compute(image);

        coverage.Share(HsvRange.Neutral(0.15, 0.82, 1)).ShouldBe(1 / 3.0, 1e-9);
        coverage.Share(HsvRange.Neutral(0.18, 0.35, 0.7)).ShouldBe(1 / 3.0, 1e-9);
        coverage.Share(HsvRange.Neutral(1, 0, 0.1)).ShouldBe(1 / 3.0, 1e-9);
    }

    [Fact]
    public void A_range_covering_part_of_a_bin_counts_that_part()
    {
        // Pure red (hue 0) sits in the first 5-degree bin; half the bin is half the pixels.
        var coverage = ColorCoverage.Compute(TestImages.Solid(8, 8, 255, 0, 0));

        coverage.Share(new HsvRange(0, 2.5, 0, 1, 0, 1)).ShouldBe(0.5, 1e-9);
        coverage.Share(new HsvRange(355, 5, 0, 1, 0, 1)).ShouldBe(1, 1e-9);
        coverage.Share(new HsvRange(10, 350, 0, 1, 0, 1)).ShouldBe(0);
    }

    [Fact]
    public void A_fully_transparent_image_has_no_colour()
    {
        var coverage = ColorCoverage.Compute(TestImages.Solid(10, 10, 255, 0, 0, 0));

        coverage.VisiblePixels.ShouldBe(0);
        coverage.Share(Red).ShouldBe(0);
    }

    [Fact]
    public void A_large_image_gives_the_same_shares_every_time()
    {
        var plasma = TestImages.Plasma(600, 500, seed: 3);

        var first = ColorCoverage.Compute(plasma);
        var second = ColorCoverage.Compute(plasma);

        second.Share(Red).ShouldBe(first.Share(Red));
        second.Share(Blue).ShouldBe(first.Share(Blue));
        (first.Share(Red) + first.Share(Blue)).ShouldBeLessThan(1);
    }

    [Fact]
    public void An_infinite_hue_is_refused_clearly()
    {
        var coverage = ColorCoverage.Compute(TestImages.Solid(4, 4, 1, 2, 3));

        Should.Throw<ArgumentOutOfRangeException>(() => coverage.Share(new HsvRange(double.NaN, 10, 0, 1, 0, 1)))
            .Message.ShouldContain("finite");
    }

    internal static void Fill(RgbaImage image, int x0, int y0, int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        for (var y = y0; y < y0 + height; y++)
        {
            var row = image.Row(y);
            for (var x = x0; x < x0 + width; x++)
            {
                row[x * 4] = r;
                row[x * 4 + 1] = g;
                row[x * 4 + 2] = b;
                row[x * 4 + 3] = a;
            }
        }
    }
}
