using Easel.Imaging.Metrics;
using Easel.Imaging.Sketch;
using static Easel.Imaging.Tests.Sketch.SketchTesting;

namespace Easel.Imaging.Tests.Sketch;

/// <summary>The phrases a prompt refinement appends must move the picture the way they say.</summary>
public sealed class SketchRefinementTests
{
    private static PixelStats Stats(string prompt, long seed = 3, string? style = null) => PixelStats.Compute(Render(prompt, seed, style));

    private static (float H, float S, float L) Hsl(SketchColor c) => new Rgb(c.R / 255f, c.G / 255f, c.B / 255f).ToHsl();

    // ---- How the phrases are read ----

    [Fact]
    public void Vivid_red_fox_colours_an_uncoloured_fox_a_saturated_red()
    {
        var fox = Interpret("a fox in a meadow, vivid red fox").Subjects.ShouldHaveSingleItem();
        var (h, s, _) = Hsl(fox.Color!.Value);
        (h < 15 || h > 345).ShouldBeTrue($"hue {h}");
        s.ShouldBeGreaterThan(Hsl(Interpret("a red fox").Subjects[0].Color!.Value).S);
    }

    [Fact]
    public void Naming_the_subjects_colour_again_strengthens_it_instead_of_adding_a_second_colour()
    {
        var once = Interpret("a red fox in a meadow").Subjects[0];
        var again = Interpret("a red fox in a meadow, vivid red fox").Subjects.ShouldHaveSingleItem();
        var thrice = Interpret("a red fox in a meadow, vivid red fox, vivid red fox").Subjects[0];
        again.SecondColor.ShouldBeNull();
        Hsl(again.Color!.Value).S.ShouldBeGreaterThan(Hsl(once.Color!.Value).S);
        Hsl(thrice.Color!.Value).S.ShouldBeGreaterThanOrEqualTo(Hsl(again.Color!.Value).S);
        // A different colour is still a second colour.
        Interpret("a red fox, white fox").Subjects[0].SecondColor!.Value.Name.ShouldBe("white");
    }

    [Fact]
    public void A_lone_colour_that_repeats_the_subjects_deepens_the_subject_not_the_scene()
    {
        var scene = Interpret("a red rose, deep red");
        scene.AccentColors.ShouldBeEmpty();
        var rose = scene.Subjects.ShouldHaveSingleItem().Color!.Value;
        rose.Name.ShouldBe("deep red");
        Hsl(rose).L.ShouldBeLessThan(Hsl(Interpret("a red rose").Subjects[0].Color!.Value).L);
        // Without a red subject it still tints the scene, and a colour list still tints.
        Interpret("a fox, deep red").AccentColors.ShouldHaveSingleItem().Name.ShouldBe("deep red");
        Interpret("a red car, red and gold").AccentColors.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("a fox, at night, dark sky", SketchTimeOfDay.Night, SketchEnhancements.DarkSky)]
    [InlineData("a fox, bright daylight", SketchTimeOfDay.Day, SketchEnhancements.Bright)]
    [InlineData("a fox, golden hour", SketchTimeOfDay.Sunset, SketchEnhancements.None)]
    public void Time_of_day_phrases(string prompt, SketchTimeOfDay time, SketchEnhancements enhancements)
    {
        var scene = Interpret(prompt);
        scene.TimeOfDay.ShouldBe(time);
        scene.Enhancements.ShouldBe(enhancements);
        scene.Lighting.ShouldBe(SketchLighting.Natural);
    }

    [Theory]
    [InlineData("a fox, sharp focus, fine detail", SketchEnhancements.SharpFocus | SketchEnhancements.FineDetail, SketchLighting.Natural, "sharp focus, fine detail")]
    [InlineData("a fox, high contrast", SketchEnhancements.HighContrast, SketchLighting.Dramatic, "high contrast")]
    [InlineData("a fox, soft light, more contrast", SketchEnhancements.HighContrast, SketchLighting.Soft, "high contrast")]
    [InlineData("a fox, even, diffused lighting", SketchEnhancements.EvenLighting, SketchLighting.Soft, "even lighting")]
    [InlineData("a ring, enhanced gemstone brilliance", SketchEnhancements.Brilliance, SketchLighting.Natural, "brilliance")]
    [InlineData("a fox, balanced exposure", SketchEnhancements.BalancedExposure, SketchLighting.Natural, "balanced exposure")]
    public void Finishing_phrases(string prompt, SketchEnhancements enhancements, SketchLighting lighting, string described)
    {
        var scene = Interpret(prompt);
        scene.Enhancements.ShouldBe(enhancements);
        scene.Lighting.ShouldBe(lighting);
        scene.Describe().ShouldEndWith("; " + described);
    }

    [Theory]
    [InlineData("a gold ring, plain white background")]
    [InlineData("a gold ring, clean white seamless background")]
    [InlineData("a fox, white seamless background")]
    public void Plain_white_background_phrases_give_a_flat_white_studio(string prompt)
    {
        var scene = Interpret(prompt);
        scene.Setting.ShouldBe(SketchSetting.Studio);
        scene.ElementColors["background"].Name.ShouldBe("white");
        scene.Enhancements.ShouldBe(SketchEnhancements.PlainBackground);
        // "clean" here is part of the colour, not the minimal style.
        scene.Style.ShouldBe(SketchStyle.Illustration);
    }

    [Theory]
    [InlineData("a perfume bottle, clean uncluttered background")]
    [InlineData("a perfume bottle, simple backdrop")]
    [InlineData("a perfume bottle, plain seamless background")]
    public void Clean_and_simple_backgrounds_are_a_plain_studio_not_the_minimal_style(string prompt)
    {
        var scene = Interpret(prompt);
        scene.Setting.ShouldBe(SketchSetting.Studio);
        scene.Style.ShouldBe(SketchStyle.Illustration);
        scene.Enhancements.ShouldBe(SketchEnhancements.PlainBackground);
    }

    [Fact]
    public void Dark_night_sky_is_night_with_a_darker_sky_not_dramatic_light()
    {
        var scene = Interpret("a fox in a meadow, dark night sky, moonlight");
        (scene.TimeOfDay, scene.Lighting, scene.Enhancements).ShouldBe((SketchTimeOfDay.Night, SketchLighting.Natural, SketchEnhancements.DarkSky));
    }

    [Fact]
    public void A_finish_can_be_turned_off_like_anything_else() =>
        Interpret("a ring, sparkling", negative: "sparkle").Enhancements.ShouldBe(SketchEnhancements.None);

    // ---- What they do to the pixels ----

    [Fact]
    public void Vivid_red_raises_the_share_of_red()
    {
        var plain = Stats("a fox in a meadow").HueShare(345, 15);
        var vivid = Stats("a fox in a meadow, vivid red fox").HueShare(345, 15);
        vivid.ShouldBeGreaterThan(plain + 0.05);
        var red = Stats("a red fox, studio").HueShare(345, 15);
        Stats("a red fox, studio, vivid red fox").HueShare(345, 15).ShouldBeGreaterThan(red);
    }

    [Fact]
    public void Deep_red_darkens_the_red_subject()
    {
        var red = Render("a red rose, studio", transparent: true);
        var deep = Render("a red rose, studio, deep red", transparent: true);
        PixelStats.Compute(deep).MeanLuminance.ShouldBeLessThan(PixelStats.Compute(red).MeanLuminance - 3);
    }

    [Fact]
    public void Dark_sky_darkens_the_sky_and_bright_daylight_brightens_the_picture()
    {
        TopLuminance(Render("a fox in a meadow at night, dark sky")).ShouldBeLessThan(TopLuminance(Render("a fox in a meadow at night")) - 3);
        TopLuminance(Render("a fox in a meadow, dark sky")).ShouldBeLessThan(TopLuminance(Render("a fox in a meadow")) - 20);
        var bright = Stats("a fox in a meadow, bright daylight");
        bright.MeanLuminance.ShouldBeGreaterThan(Stats("a fox in a meadow").MeanLuminance + 8);
        bright.BrightClippedFraction.ShouldBeLessThan(0.02);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("photographic")]
    [InlineData("watercolor")]
    public void Sharp_focus_and_fine_detail_make_the_picture_sharper(string? style)
    {
        var plain = Stats("a fox in a forest", style: style).Sharpness;
        Stats("a fox in a forest, sharp focus", style: style).Sharpness.ShouldBeGreaterThan(plain * 1.3);
        Stats("a fox in a forest, fine detail", style: style).Sharpness.ShouldBeGreaterThan(plain * 1.2);
    }

    [Fact]
    public void Sharp_focus_turns_off_the_photographic_background_blur()
    {
        // The far forest (top half, away from the subject) is where depth of field blurs.
        var blurred = PixelStats.Compute(TopHalf(Render("a fox in a forest", style: "photographic"))).Sharpness;
        PixelStats.Compute(TopHalf(Render("a fox in a forest, sharp focus", style: "photographic"))).Sharpness.ShouldBeGreaterThan(blurred * 2);
    }

    [Theory]
    [InlineData("a fox in a meadow")]
    [InlineData("a fox in a meadow, soft light")]
    [InlineData("a perfume bottle, studio")]
    public void High_contrast_widens_the_tonal_range(string prompt) =>
        Stats(prompt + ", high contrast").LuminanceStdDev.ShouldBeGreaterThan(Stats(prompt).LuminanceStdDev * 1.15);

    [Fact]
    public void More_contrast_widens_the_tonal_range_even_under_another_light() =>
        Stats("a fox in a meadow, soft light, more contrast").LuminanceStdDev.ShouldBeGreaterThan(Stats("a fox in a meadow, soft light").LuminanceStdDev * 1.1);

    [Fact]
    public void Even_lighting_brightens_the_corners_relative_to_the_centre()
    {
        static double Falloff(RgbaImage image) => Luminance(image, image.Width / 2, image.Height / 2) - Luminance(image, 1, 1);
        var dramatic = Render("a fox in a meadow, dramatic lighting");
        var even = Render("a fox in a meadow, dramatic lighting, even lighting");
        Falloff(even).ShouldBeLessThan(Falloff(dramatic) - 10);
        Stats("a fox in a meadow, even, diffused lighting").LuminanceStdDev.ShouldBeLessThan(Stats("a fox in a meadow").LuminanceStdDev);
    }

    [Theory]
    [InlineData("a gold ring, plain white background")]
    [InlineData("a gold ring, clean white seamless background")]
    [InlineData("a gold ring, dramatic lighting, plain white background")]
    public void A_plain_white_background_is_bright_and_even_at_the_border(string prompt)
    {
        var (mean, spread) = Border(Render(prompt));
        mean.ShouldBeGreaterThan(240);
        spread.ShouldBeLessThan(2);
        var (_, studioSpread) = Border(Render("a gold ring, studio"));
        studioSpread.ShouldBeGreaterThan(spread + 3);
    }

    [Fact]
    public void Brilliance_adds_sparkle_to_jewellery()
    {
        static int Sparkles(RgbaImage image) => Enumerable.Range(0, image.Width * image.Height).Count(p => Luminance(image, p % image.Width, p / image.Width) > 235);
        var plain = Render("a silver ring with a ruby on a black background", width: 320, height: 240);
        var brilliant = Render("a silver ring with a ruby on a black background, enhanced gemstone brilliance", width: 320, height: 240);
        Sparkles(brilliant).ShouldBeGreaterThan(Sparkles(plain) * 2);
    }

    [Fact]
    public void Brilliance_keeps_a_white_backdrop_below_its_sparkles()
    {
        var white = Render("a gold ring, plain white background", width: 320, height: 240);
        var brilliant = Render("a gold ring, plain white background, enhanced gemstone brilliance", width: 320, height: 240);
        Luminance(white, 2, 2).ShouldBeGreaterThan(240);
        Luminance(brilliant, 2, 2).ShouldBeLessThan(235);
        Enumerable.Range(0, 320 * 240).Max(p => Luminance(brilliant, p % 320, p / 320)).ShouldBeGreaterThan(250);
    }

    [Fact]
    public void Vibrant_colours_raise_colourfulness_and_muted_colours_lower_it()
    {
        var plain = Stats("a fox in a meadow");
        Stats("a fox in a meadow, rich, vibrant colors").ColorfulFraction.ShouldBeGreaterThan(plain.ColorfulFraction + 0.02);
        Stats("a fox in a meadow, muted, desaturated colors").ColorfulFraction.ShouldBeLessThan(plain.ColorfulFraction - 0.1);
    }

    [Fact]
    public void Balanced_exposure_brightens_a_dark_picture_without_clipping()
    {
        var night = Stats("a fox in a forest at night");
        var balanced = Stats("a fox in a forest at night, balanced exposure");
        balanced.MeanLuminance.ShouldBeGreaterThan(night.MeanLuminance + 5);
        balanced.DarkClippedFraction.ShouldBeLessThanOrEqualTo(night.DarkClippedFraction);
        // A white studio stays white, and nothing clips, even lit brightly.
        var white = Stats("a pearl necklace, plain white background");
        var whiteBalanced = Stats("a pearl necklace, plain white background, balanced exposure");
        whiteBalanced.BrightClippedFraction.ShouldBeLessThanOrEqualTo(white.BrightClippedFraction);
        whiteBalanced.MeanLuminance.ShouldBeGreaterThan(235);
        Stats("a pearl necklace, plain white background, bright lighting").BrightClippedFraction.ShouldBeLessThan(0.01);
    }

    private static double Luminance(RgbaImage image, int x, int y)
    {
        var i = (y * image.Width + x) * 4;
        return 0.2126 * image.Pixels[i] + 0.7152 * image.Pixels[i + 1] + 0.0722 * image.Pixels[i + 2];
    }

    private static double TopLuminance(RgbaImage image)
    {
        double sum = 0;
        for (var y = 0; y < image.Height / 4; y++)
        {
            for (var x = 0; x < image.Width; x++)
                sum += Luminance(image, x, y);
        }
        return sum / (image.Width * (image.Height / 4));
    }

    private static RgbaImage TopHalf(RgbaImage image)
    {
        var top = new RgbaImage(image.Width, image.Height / 2);
        image.Pixels.AsSpan(0, top.Pixels.Length).CopyTo(top.Pixels);
        return top;
    }

    /// <summary>Mean and standard deviation of the luminance of the outermost pixels.</summary>
    private static (double Mean, double Spread) Border(RgbaImage image)
    {
        var values = new List<double>();
        for (var x = 0; x < image.Width; x++)
        {
            values.Add(Luminance(image, x, 0));
            values.Add(Luminance(image, x, image.Height - 1));
        }
        for (var y = 1; y < image.Height - 1; y++)
        {
            values.Add(Luminance(image, 0, y));
            values.Add(Luminance(image, image.Width - 1, y));
        }
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }
}
