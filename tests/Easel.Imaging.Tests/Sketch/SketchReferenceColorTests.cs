using Easel.Imaging.Metrics;
using Easel.Imaging.Sketch;
using static Easel.Imaging.Tests.Sketch.SketchTesting;
using static Easel.Imaging.Tests.Sketch.SketchVariationTests;

namespace Easel.Imaging.Tests.Sketch;

public sealed class SketchReferenceColorTests
{
    private static RgbaImage RenderWith(string prompt, SketchImageColors? references, long seed = 1) =>
        SketchRenderer.Render(Request(prompt, seed) with { ReferenceColors = references });

    [Fact]
    public void Reads_the_top_bottom_and_accent_of_an_image()
    {
        // Blue top half, green bottom half, a red stripe across the middle.
        var image = new RgbaImage(60, 60);
        for (var y = 0; y < 60; y++)
        {
            for (var x = 0; x < 60; x++)
            {
                var (r, g, b) = y is >= 27 and < 33 ? (220, 30, 40) : y < 30 ? (40, 90, 200) : (60, 160, 70);
                (image.Pixels[(y * 60 + x) * 4], image.Pixels[(y * 60 + x) * 4 + 1], image.Pixels[(y * 60 + x) * 4 + 2], image.Pixels[(y * 60 + x) * 4 + 3]) =
                    ((byte)r, (byte)g, (byte)b, 255);
            }
        }
        var colors = SketchImageColors.FromImage(image);
        colors.Top!.Value.ShouldBe(new SketchColor("reference sky", 40, 90, 200));
        colors.Bottom!.Value.ShouldBe(new SketchColor("reference ground", 60, 160, 70));
        // Blue covers more of the image than green or red, so it is the accent.
        colors.Accent!.Value.B.ShouldBe((byte)200);
    }

    [Fact]
    public void A_transparent_or_grey_image_has_no_colours_to_give()
    {
        var transparent = SketchImageColors.FromImage(new RgbaImage(10, 10));
        (transparent.Top, transparent.Bottom, transparent.Accent).ShouldBe((null, null, null));
        var grey = SketchImageColors.FromImage(Solid(128, 128, 128));
        grey.Top.ShouldNotBeNull();
        grey.Accent.ShouldBeNull();
    }

    [Fact]
    public void Several_references_average_their_regions_and_keep_the_strongest_accent()
    {
        var red = SketchImageColors.FromImage(Solid(200, 0, 0));
        var blue = SketchImageColors.FromImage(Solid(0, 0, 100));
        var both = SketchImageColors.Combine([red, blue])!;
        both.Top!.Value.ShouldBe(new SketchColor("reference sky", 100, 0, 50));
        both.Accent!.Value.R.ShouldBe((byte)200);
        SketchImageColors.Combine([]).ShouldBeNull();
    }

    [Theory]
    [InlineData("a fox in a meadow")]
    [InlineData("a castle in the mountains")]
    [InlineData("a perfume bottle, studio")]
    [InlineData("a city at night")]
    public void A_red_reference_shifts_the_palette_toward_red(string prompt)
    {
        var red = SketchImageColors.FromImage(Solid(210, 35, 45));
        var plain = PixelStats.Compute(RenderWith(prompt, null));
        var tinted = PixelStats.Compute(RenderWith(prompt, red));
        // Redness of the mean colour, and the share of hues from magenta through red to orange.
        Redness(tinted).ShouldBeGreaterThan(Redness(plain) + 10);
        tinted.HueShare(300, 30).ShouldBeGreaterThan(plain.HueShare(300, 30) + 0.1);
    }

    private static double Redness(PixelStats s) => s.MeanRed - (s.MeanGreen + s.MeanBlue) / 2;

    [Fact]
    public void References_are_deterministic()
    {
        var colors = SketchImageColors.FromImage(Render("a sailboat on the sea at night", seed: 5));
        RenderWith("a fox in a meadow", colors).Pixels.ShouldBe(RenderWith("a fox in a meadow", colors).Pixels);
    }

    [Fact]
    public void A_colour_named_in_the_prompt_wins_over_the_reference()
    {
        var red = SketchImageColors.FromImage(Solid(210, 35, 45));
        var plain = RenderWith("a ring on a blue background", null);
        var tinted = RenderWith("a ring on a blue background", red);
        // The backdrop's corner is the named blue either way.
        tinted.Pixels.AsSpan(0, 3).ToArray().ShouldBe(plain.Pixels.AsSpan(0, 3).ToArray());
    }
}
