using Easel.Imaging.Metrics;
using Easel.Imaging.Sketch;
using static Easel.Imaging.Tests.Sketch.SketchTesting;

namespace Easel.Imaging.Tests.Sketch;

public sealed class SketchVariationTests
{
    private const long ParentSeed = 11;

    private static RgbaImage Variation(string prompt, SketchVariationStrength strength, long seed, long? parentSeed = ParentSeed,
        SketchImageColors? parentColors = null, bool transparent = false) =>
        SketchRenderer.Render(Request(prompt, seed, transparent: transparent) with
        {
            Variation = new SketchVariation(parentSeed, strength) { ParentColors = parentColors },
        });

    [Theory]
    [InlineData(SketchVariationStrength.Subtle)]
    [InlineData(SketchVariationStrength.Strong)]
    public void A_variation_is_fixed_by_parent_seed_strength_and_its_own_seed(SketchVariationStrength strength)
    {
        const string prompt = "a fox in a meadow at sunset";
        var first = Variation(prompt, strength, seed: 5);
        Variation(prompt, strength, seed: 5).Pixels.ShouldBe(first.Pixels);
        MeanDifference(Variation(prompt, strength, seed: 6), first).ShouldBeGreaterThan(0.3);
        MeanDifference(Variation(prompt, strength, seed: 5, parentSeed: ParentSeed + 1), first).ShouldBeGreaterThan(0.3);
    }

    [Fact]
    public void Subtle_and_strong_variations_of_the_same_seeds_differ() =>
        MeanDifference(Variation("a castle in the mountains", SketchVariationStrength.Subtle, 5),
            Variation("a castle in the mountains", SketchVariationStrength.Strong, 5)).ShouldBeGreaterThan(2);

    [Theory]
    [InlineData("a fox in a meadow at sunset")]
    [InlineData("a castle in the mountains")]
    [InlineData("a sailboat on the sea")]
    [InlineData("a city at night")]
    [InlineData("a gold ring with a ruby")]
    public void Subtle_variations_stay_closer_to_the_parent_than_strong_ones_and_both_differ(string prompt)
    {
        var parent = Render(prompt, seed: ParentSeed);
        for (var seed = 20L; seed < 23; seed++)
        {
            var subtle = MeanDifference(Variation(prompt, SketchVariationStrength.Subtle, seed), parent);
            var strong = MeanDifference(Variation(prompt, SketchVariationStrength.Strong, seed), parent);
            subtle.ShouldBeGreaterThan(0.2, $"seed {seed}: a subtle variation must not repeat the parent");
            strong.ShouldBeGreaterThan(subtle * 1.5, $"seed {seed}: subtle {subtle:F2}, strong {strong:F2}");
        }
    }

    [Fact]
    public void A_variation_whose_seed_equals_the_parents_still_differs() =>
        MeanDifference(Variation("a fox in a meadow", SketchVariationStrength.Subtle, seed: ParentSeed), Render("a fox in a meadow", seed: ParentSeed))
            .ShouldBeGreaterThan(0.2);

    [Fact]
    public void A_subtle_variation_keeps_the_subject_where_it_was_and_a_strong_one_moves_it()
    {
        const string prompt = "a horse in a meadow";
        var parent = Render(prompt, seed: ParentSeed, transparent: true);
        for (var seed = 30L; seed < 33; seed++)
        {
            Overlap(Variation(prompt, SketchVariationStrength.Subtle, seed, transparent: true), parent).ShouldBeGreaterThan(0.8, $"seed {seed}");
            Overlap(Variation(prompt, SketchVariationStrength.Strong, seed, transparent: true), parent).ShouldBeLessThan(0.8, $"seed {seed}");
        }
    }

    [Fact]
    public void A_strong_variation_keeps_the_reading_of_the_prompt()
    {
        // Same subject colour and time of day: the red fox at night stays a red fox at night.
        var parent = PixelStats.Compute(Render("a red fox in a meadow at night", seed: ParentSeed));
        var strong = PixelStats.Compute(Variation("a red fox in a meadow at night", SketchVariationStrength.Strong, 40));
        strong.MeanLuminance.ShouldBeLessThan(80);
        Math.Abs(strong.MeanLuminance - parent.MeanLuminance).ShouldBeLessThan(15);
        strong.HueShare(345, 20).ShouldBeGreaterThan(0.02);
    }

    [Fact]
    public void Without_the_parents_seed_a_variation_keeps_the_parents_colours_subtle_more_than_strong()
    {
        // A parent the sketch did not paint (its seed is unknown): a purple-tinted picture.
        var parent = Render("a fox in a meadow, purple", seed: 99);
        var colors = SketchImageColors.FromImage(parent);
        const string prompt = "a fox in a meadow";
        var plain = ColourDistance(Render(prompt, seed: 3), parent);
        var strong = ColourDistance(Variation(prompt, SketchVariationStrength.Strong, 3, parentSeed: null, parentColors: colors), parent);
        var subtle = ColourDistance(Variation(prompt, SketchVariationStrength.Subtle, 3, parentSeed: null, parentColors: colors), parent);
        strong.ShouldBeLessThan(plain * 0.8);
        subtle.ShouldBeLessThan(strong * 0.8);
    }

    [Fact]
    public void Without_the_parents_seed_or_colours_a_variation_is_a_fresh_sketch_of_the_prompt() =>
        Variation("a fox in a meadow", SketchVariationStrength.Subtle, 3, parentSeed: null).Pixels
            .ShouldBe(Render("a fox in a meadow", seed: 3).Pixels);

    /// <summary>Distance (0..441) between the mean colours of two images.</summary>
    private static double ColourDistance(RgbaImage a, RgbaImage b)
    {
        var (x, y) = (PixelStats.Compute(a), PixelStats.Compute(b));
        return Math.Sqrt(Math.Pow(x.MeanRed - y.MeanRed, 2) + Math.Pow(x.MeanGreen - y.MeanGreen, 2) + Math.Pow(x.MeanBlue - y.MeanBlue, 2));
    }

    /// <summary>Intersection over union of the visible pixels of two transparent renders.</summary>
    private static double Overlap(RgbaImage a, RgbaImage b)
    {
        int both = 0, either = 0;
        for (var i = 3; i < a.Pixels.Length; i += 4)
        {
            var x = a.Pixels[i] >= 128;
            var y = b.Pixels[i] >= 128;
            both += x && y ? 1 : 0;
            either += x || y ? 1 : 0;
        }
        return either == 0 ? 0 : both / (double)either;
    }

    internal static RgbaImage Solid(byte r, byte g, byte b, int width = 32, int height = 32)
    {
        var image = new RgbaImage(width, height);
        for (var i = 0; i < image.Pixels.Length; i += 4)
            (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], image.Pixels[i + 3]) = (r, g, b, 255);
        return image;
    }
}
