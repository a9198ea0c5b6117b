using Easel.Imaging.Metrics;
using Easel.Imaging.Sketch;
using static Easel.Imaging.Tests.Sketch.SketchTesting;

namespace Easel.Imaging.Tests.Sketch;

public sealed class SketchRenderTests
{
    [Fact]
    public void Batches_like_flux_schnell() => SketchRenderer.MaxImagesPerCall.ShouldBe(4);

    [Theory]
    [InlineData(null)]
    [InlineData("watercolor")]
    [InlineData("pixel-art")]
    [InlineData("flat")]
    [InlineData("minimal")]
    [InlineData("photographic")]
    [InlineData("cyberpunk")]
    [InlineData("neon")]
    public void The_same_request_gives_the_same_pixels(string? style)
    {
        var first = Render("a red fox in a snowy forest at sunset", seed: 7, style: style);
        var second = Render("a red fox in a snowy forest at sunset", seed: 7, style: style);
        second.Pixels.ShouldBe(first.Pixels);
    }

    [Theory]
    [InlineData("a red fox in a snowy forest at sunset")]
    [InlineData("a castle in the mountains")]
    [InlineData("a sailboat on the sea")]
    [InlineData("a city at night")]
    public void A_different_seed_gives_a_different_composition(string prompt)
    {
        var a = Render(prompt, seed: 1);
        var b = Render(prompt, seed: 2);
        // Sun, hills, trees and the subject all move: a large share of the picture changes.
        MeanDifference(a, b).ShouldBeGreaterThan(4);
        ChangedFraction(a, b).ShouldBeGreaterThan(0.08);
    }

    public static TheoryData<string> ChromaticColors =>
    [
        "red", "orange", "yellow", "gold", "brown", "green", "lime", "teal", "turquoise", "cyan", "blue", "navy",
        "purple", "violet", "pink", "magenta", "maroon",
    ];

    [Theory]
    [MemberData(nameof(ChromaticColors))]
    public void A_colour_word_on_the_subject_turns_the_picture_toward_that_hue(string color)
    {
        var named = Interpret($"a {color} fox").Subjects[0].Color!.Value;
        var hue = Hue(named);
        var colored = PixelStats.Compute(Render($"a {color} fox, studio")).HueShare(hue - 25, hue + 25);
        var plain = PixelStats.Compute(Render("a grey fox, studio")).HueShare(hue - 25, hue + 25);
        colored.ShouldBeGreaterThan(plain + 0.09);
        colored.ShouldBeGreaterThan(0.4);
    }

    [Theory]
    [MemberData(nameof(ChromaticColors))]
    public void A_loose_colour_word_tints_the_whole_scene(string color)
    {
        var hue = Hue(Interpret($"a {color} fox").Subjects[0].Color!.Value);
        var tinted = PixelStats.Compute(Render($"rolling hills, {color}")).HueShare(hue - 30, hue + 30);
        var plain = PixelStats.Compute(Render("rolling hills")).HueShare(hue - 30, hue + 30);
        tinted.ShouldBeGreaterThan(plain + 0.03);
        // A daytime sky is already blue, so blues can only add a little; every other hue takes over a good part of the picture.
        if (plain < 0.4)
            tinted.ShouldBeGreaterThan(plain + 0.25);
    }

    [Fact]
    public void Black_white_and_grey_change_brightness_and_colourfulness()
    {
        var black = PixelStats.Compute(Render("a black fox, studio"));
        var grey = PixelStats.Compute(Render("a grey fox, studio"));
        var white = PixelStats.Compute(Render("a white fox, studio"));
        black.MeanLuminance.ShouldBeLessThan(grey.MeanLuminance - 3);
        white.MeanLuminance.ShouldBeGreaterThan(grey.MeanLuminance + 3);
        PixelStats.Compute(Render("a grey fox")).ColorfulFraction.ShouldBeLessThan(PixelStats.Compute(Render("a red fox")).ColorfulFraction);

        var hills = PixelStats.Compute(Render("rolling hills"));
        PixelStats.Compute(Render("rolling hills, black")).MeanLuminance.ShouldBeLessThan(hills.MeanLuminance - 30);
        PixelStats.Compute(Render("rolling hills, white")).MeanLuminance.ShouldBeGreaterThan(hills.MeanLuminance + 15);
        PixelStats.Compute(Render("rolling hills, grey")).ColorfulFraction.ShouldBeLessThan(hills.ColorfulFraction * 0.5);
    }

    [Fact]
    public void Night_is_darker_and_sunset_warmer_than_day()
    {
        var day = PixelStats.Compute(Render("a fox in a meadow"));
        var night = PixelStats.Compute(Render("a fox in a meadow at night"));
        var sunset = PixelStats.Compute(Render("a fox in a meadow at sunset"));
        var dawn = PixelStats.Compute(Render("a fox in a meadow at dawn"));
        night.MeanLuminance.ShouldBeLessThan(day.MeanLuminance * 0.5);
        (sunset.MeanRed - sunset.MeanBlue).ShouldBeGreaterThan(day.MeanRed - day.MeanBlue + 40);
        (dawn.MeanRed - dawn.MeanBlue).ShouldBeGreaterThan(day.MeanRed - day.MeanBlue + 20);
        dawn.MeanLuminance.ShouldBeGreaterThan(night.MeanLuminance * 2);
    }

    [Theory]
    [InlineData("forest")]
    [InlineData("sea")]
    [InlineData("desert")]
    [InlineData("mountains")]
    [InlineData("city")]
    [InlineData("snow")]
    [InlineData("studio")]
    public void Each_setting_paints_a_different_place(string place)
    {
        var meadow = Render("a fox in a meadow", seed: 3);
        MeanDifference(Render($"a fox in the {place}", seed: 3), meadow).ShouldBeGreaterThan(8);
    }

    [Theory]
    [InlineData("a fox")]
    [InlineData("a person")]
    [InlineData("a car")]
    [InlineData("a house")]
    [InlineData("a ring")]
    [InlineData("a bottle")]
    [InlineData("a tree")]
    public void Each_kind_of_subject_is_painted(string subject)
    {
        var empty = Render("a meadow", seed: 5);
        ChangedFraction(Render($"{subject} in a meadow", seed: 5), empty).ShouldBeGreaterThan(0.02);
    }

    [Theory]
    [InlineData("fox")]
    [InlineData("cat")]
    [InlineData("dog")]
    [InlineData("bird")]
    [InlineData("horse")]
    [InlineData("woman")]
    [InlineData("astronaut")]
    [InlineData("car")]
    [InlineData("bicycle")]
    [InlineData("ship")]
    [InlineData("house")]
    [InlineData("castle")]
    [InlineData("tower")]
    [InlineData("ring")]
    [InlineData("necklace")]
    [InlineData("earrings")]
    [InlineData("perfume")]
    [InlineData("cup")]
    public void Subjects_have_their_own_shapes(string noun)
    {
        // Alone on a transparent background, the silhouettes of different nouns differ.
        var image = Render($"a {noun}", seed: 2, transparent: true);
        var reference = noun == "fox" ? Render("a house", seed: 2, transparent: true) : Render("a fox", seed: 2, transparent: true);
        PixelStats.Compute(image).TransparentFraction.ShouldBeLessThan(0.99);
        ChangedFraction(image, reference).ShouldBeGreaterThan(0.02);
    }

    [Fact]
    public void Each_style_looks_different()
    {
        var plain = Render("a fox in a forest", seed: 3);
        foreach (var style in new[] { "watercolor", "pixel-art", "flat", "minimal", "photographic", "cyberpunk", "neon" })
            MeanDifference(Render("a fox in a forest", seed: 3, style: style), plain).ShouldBeGreaterThan(5, style);
    }

    [Fact]
    public void Pixel_art_is_a_grid_of_hard_blocks_in_a_small_palette()
    {
        var image = Render("a fox in a forest", style: "pixel-art", width: 360, height: 270);
        DistinctColors(image).ShouldBeLessThanOrEqualTo(16);
        // 270 / 90 = 3-pixel cells: every cell is one colour.
        for (var y = 0; y < image.Height; y += 3)
        {
            for (var x = 0; x < image.Width; x += 3)
            {
                var cell = image.ReadOnlyRow(y).Slice(x * 4, 4).ToArray();
                image.ReadOnlyRow(y + 2).Slice((x + 2) * 4, 4).ToArray().ShouldBe(cell);
            }
        }
    }

    [Fact]
    public void Flat_and_minimal_use_fewer_colours_than_the_default_look()
    {
        var plain = DistinctColors(Render("a fox in a forest", seed: 3, width: 256, height: 192));
        DistinctColors(Render("a fox in a forest", seed: 3, style: "flat", width: 256, height: 192)).ShouldBeLessThan(plain / 2);
        DistinctColors(Render("a fox in a forest", seed: 3, style: "minimal", width: 256, height: 192)).ShouldBeLessThan(plain / 2);
    }

    [Fact]
    public void Watercolor_and_photographic_add_texture()
    {
        var plain = PixelStats.Compute(Render("a fox in a forest", seed: 3, width: 256, height: 192)).Noise;
        PixelStats.Compute(Render("a fox in a forest", seed: 3, style: "watercolor", width: 256, height: 192)).Noise.ShouldBeGreaterThan(plain * 1.5);
        PixelStats.Compute(Render("a fox in a forest", seed: 3, style: "photographic", width: 256, height: 192)).Noise.ShouldBeGreaterThan(plain * 2);
        // Without grain asked away, the photo keeps its blur but loses the grain.
        PixelStats.Compute(Render("a fox in a forest", seed: 3, style: "photographic", negative: "grain", width: 256, height: 192)).Noise
            .ShouldBeLessThan(plain * 1.5);
    }

    [Theory]
    [InlineData("cyberpunk")]
    [InlineData("neon")]
    public void Cyberpunk_and_neon_are_dark_with_magenta_and_cyan_glows(string style)
    {
        var plain = PixelStats.Compute(Render("a fox in a city", seed: 3));
        var neon = PixelStats.Compute(Render("a fox in a city", seed: 3, style: style));
        neon.MeanLuminance.ShouldBeLessThan(plain.MeanLuminance * 0.4);
        // Violet through magenta, and cyan.
        (neon.HueShare(250, 340) + neon.HueShare(170, 200)).ShouldBeGreaterThan(plain.HueShare(250, 340) + plain.HueShare(170, 200) + 0.2);
    }

    [Fact]
    public void Lighting_changes_contrast()
    {
        var natural = PixelStats.Compute(Render("a fox in a meadow", seed: 3));
        var soft = PixelStats.Compute(Render("a fox in a meadow, soft light", seed: 3));
        var dramatic = Render("a fox in a meadow, dramatic lighting", seed: 3);
        soft.LuminanceStdDev.ShouldBeLessThan(natural.LuminanceStdDev);
        PixelStats.Compute(dramatic).LuminanceStdDev.ShouldBeGreaterThan(natural.LuminanceStdDev * 1.3);
        // The vignette: a dramatic picture's corner is darker than the natural one's.
        var plainCorner = Render("a fox in a meadow", seed: 3).Pixels.AsSpan(0, 3).ToArray().Sum(b => b);
        dramatic.Pixels.AsSpan(0, 3).ToArray().Sum(b => b).ShouldBeLessThan(plainCorner);
        MeanDifference(Render("a fox in a meadow, neon lights", seed: 3), Render("a fox in a meadow", seed: 3)).ShouldBeGreaterThan(5);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("watercolor")]
    [InlineData("pixel-art")]
    [InlineData("photographic")]
    [InlineData("neon")]
    public void A_transparent_background_keeps_only_the_subject(string? style)
    {
        var image = Render("a red fox in a snowy forest at sunset", style: style, width: 200, height: 200, transparent: true);
        foreach (var (x, y) in new[] { (0, 0), (199, 0), (0, 199), (199, 199) })
            image.ReadOnlyRow(y)[x * 4 + 3].ShouldBe((byte)0);
        var stats = PixelStats.Compute(image);
        stats.TransparentFraction.ShouldBeGreaterThan(0.5);
        var opaque = 0;
        for (var i = 3; i < image.Pixels.Length; i += 4)
        {
            if (image.Pixels[i] == 255)
                opaque++;
        }
        opaque.ShouldBeGreaterThan(image.Width * image.Height / 50);
    }

    [Fact]
    public void An_opaque_render_is_fully_opaque() =>
        Render("a red fox in a snowy forest at sunset", style: "watercolor").IsOpaque().ShouldBeTrue();

    [Theory]
    [InlineData(64, 64)]
    [InlineData(320, 80)]
    [InlineData(80, 320)]
    [InlineData(17, 5)]
    [InlineData(1, 1)]
    [InlineData(257, 129)]
    public void Any_size_and_aspect_ratio_is_honoured(int width, int height)
    {
        foreach (var style in new string?[] { null, "pixel-art", "watercolor" })
        {
            var image = Render("a horse in the mountains at dawn", style: style, width: width, height: height);
            image.Width.ShouldBe(width);
            image.Height.ShouldBe(height);
        }
    }

    [Theory]
    [InlineData("a castle")]
    [InlineData("a dragon")]
    [InlineData("a train")]
    [InlineData("a family")]
    [InlineData("a wine bottle")]
    public void Wide_and_tall_frames_keep_the_subject_inside(string prompt)
    {
        foreach (var (w, h) in new[] { (400, 100), (100, 400), (200, 200) })
        {
            var image = Render(prompt, width: w, height: h, transparent: true);
            // Nothing of the subject touches the left, right or top edge.
            for (var y = 0; y < h; y++)
            {
                image.ReadOnlyRow(y)[3].ShouldBe((byte)0);
                image.ReadOnlyRow(y)[(w - 1) * 4 + 3].ShouldBe((byte)0);
            }
            for (var x = 0; x < w; x++)
                image.ReadOnlyRow(0)[x * 4 + 3].ShouldBe((byte)0);
        }
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, -1)]
    [InlineData(10_000, 10_000)]
    public void Impossible_sizes_are_refused(int width, int height) =>
        Should.Throw<ArgumentOutOfRangeException>(() => Render("a fox", width: width, height: height));

    [Fact]
    public void The_negative_prompt_removes_people_from_the_picture()
    {
        var withoutPeople = Render("a man on a beach", seed: 4, negative: "people");
        var beach = Render("a beach", seed: 4);
        withoutPeople.Pixels.ShouldBe(beach.Pixels);
        MeanDifference(Render("a man on a beach", seed: 4), beach).ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Without_trees_removes_the_trees()
    {
        var forest = Render("a forest", seed: 4);
        var bare = Render("a forest without trees", seed: 4);
        MeanDifference(bare, forest).ShouldBeGreaterThan(5);
        Render("a forest", seed: 4, negative: "trees").Pixels.ShouldBe(bare.Pixels);
    }

    [Fact]
    public void No_clouds_and_no_sun_clear_the_sky()
    {
        var sky = Render("a meadow", seed: 6);
        MeanDifference(Render("a meadow, no clouds, no sun", seed: 6), sky).ShouldBeGreaterThan(0.5);
    }
}
