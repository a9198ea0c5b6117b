using Easel.Core.Generation;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;
using Easel.Imaging;
using Easel.Imaging.Png;
using Easel.Imaging.Resampling;
using Easel.Imaging.Sketch;

namespace Easel.Core.Tests.Quality;

public sealed class BuiltinEvaluatorTests
{
    private const int Side = 384;

    private readonly BuiltinEvaluator _evaluator = new();

    [Fact]
    public void A_blue_image_for_a_red_fox_fails_the_red_check_and_says_so()
    {
        var evaluation = Evaluate(Solid(Side, Side, 47, 111, 214), "a red fox");

        var red = Criterion(evaluation, "color:red");
        red.Passed.ShouldBeFalse();
        red.Score.ShouldBeLessThan(10);
        red.Comment.ShouldStartWith("little red: 0% of the image is red");
        red.Comment.ShouldContain("the fox should be vivid red");
        red.Suggestion.ShouldBe("vivid red fox");
        evaluation.Score.ShouldBeLessThan(40);
        evaluation.Feedback.ShouldStartWith("Little red");
        evaluation.Evaluator.ShouldBe("builtin");
    }

    [Fact]
    public void A_faithful_sketch_of_a_red_fox_passes_and_scores_well()
    {
        var evaluation = Evaluate(Sketch("a red fox in a forest"), "a red fox in a forest");

        Criterion(evaluation, "color:red").Passed.ShouldBeTrue();
        evaluation.Criteria.ShouldAllBe(c => c.Passed);
        evaluation.Score.ShouldBeInRange(75, BuiltinEvaluator.Ceiling);
        evaluation.Feedback.ShouldStartWith("Everything the pixels can show matches the request");
    }

    [Fact]
    public void The_original_prompt_is_judged_even_when_the_refined_prompt_dropped_its_words()
    {
        var blue = Png(Solid(Side, Side, 47, 111, 214));

        var evaluation = _evaluator.Evaluate(Request(blue, prompt: "a fox, blue tones", original: "a red fox"));

        Criterion(evaluation, "color:red").Passed.ShouldBeFalse();
        Criterion(evaluation, "color:blue").Passed.ShouldBeTrue();
    }

    [Fact]
    public void A_colour_shared_with_another_on_one_noun_needs_only_part_of_it()
    {
        // Red and white stripes, each half of a 5% subject: enough for "a red and white lighthouse".
        var image = Solid(Side, Side, 60, 140, 60);
        Fill(image, 150, 100, 20, 90, 220, 40, 40);
        Fill(image, 170, 100, 20, 90, 250, 250, 250);

        var shared = Evaluate(image, "a red and white lighthouse");
        var alone = Evaluate(image, "a red lighthouse");

        Criterion(shared, "color:red").Score.ShouldBeGreaterThan(Criterion(alone, "color:red").Score);
        Criterion(shared, "color:white").Passed.ShouldBeTrue();
    }

    [Theory]
    [InlineData("a fox at golden hour", "time_of_day", "color:gold")]
    [InlineData("a golden retriever", "color:gold", "time_of_day")]
    [InlineData("a woman in an evening gown", null, "time_of_day")]
    [InlineData("an emerald green parrot", "color:green", "color:emerald")]
    [InlineData("a rose gold ring", "color:rose-gold", "color:gold")]
    [InlineData("a rose in a vase", null, "color:rose")]
    [InlineData("a dark blue car", "color:blue", "brightness")]
    [InlineData("a car in the dark", "brightness", "color:blue")]
    [InlineData("neon green sign", "color:green", "style:neon")]
    [InlineData("a neon city", "style:neon", "color:green")]
    public void Prompt_words_become_the_right_checks(string prompt, string? present, string absent)
    {
        var names = Evaluate(Solid(64, 64, 90, 90, 90), prompt).Criteria.Select(c => c.Name).ToList();

        if (present is not null)
            names.ShouldContain(present);
        names.ShouldNotContain(absent);
    }

    [Fact]
    public void A_bright_image_for_a_night_prompt_fails_time_of_day_and_a_night_render_passes()
    {
        var day = Evaluate(Sketch("a fox in a meadow"), "a fox in a meadow at night");
        var night = Evaluate(Sketch("a fox in a meadow at night"), "a fox in a meadow at night");

        var wrong = Criterion(day, "time_of_day");
        wrong.Passed.ShouldBeFalse();
        wrong.Comment.ShouldStartWith("too bright for night");
        wrong.Suggestion.ShouldNotBeNull();
        day.Feedback.ShouldContain("Too bright for night");
        Criterion(night, "time_of_day").Passed.ShouldBeTrue();
        night.Score.ShouldBeGreaterThan(day.Score + 25);
    }

    [Fact]
    public void Sunset_needs_warm_light_and_night_is_not_a_sunset()
    {
        var sunset = SketchPng("a lighthouse by the sea at sunset");

        Criterion(_evaluator.Evaluate(Request(sunset, "a lighthouse by the sea at sunset")), "time_of_day").Passed.ShouldBeTrue();
        Criterion(_evaluator.Evaluate(Request(sunset, "a lighthouse by the sea at night")), "time_of_day").Passed.ShouldBeFalse();
        var day = Criterion(Evaluate(Sketch("a lighthouse by the sea at noon"), "a lighthouse by the sea at sunset"), "time_of_day");
        day.Passed.ShouldBeFalse();
        day.Comment.ShouldContain("no warm sunset light");
    }

    [Fact]
    public void Brightness_words_are_checked_against_mean_brightness()
    {
        var dark = Png(Solid(Side, Side, 30, 30, 40));
        var light = Png(Solid(Side, Side, 220, 220, 210));

        Criterion(_evaluator.Evaluate(Request(dark, "a dark alley")), "brightness").Passed.ShouldBeTrue();
        Criterion(_evaluator.Evaluate(Request(light, "a dark alley")), "brightness").Passed.ShouldBeFalse();
        Criterion(_evaluator.Evaluate(Request(light, "a bright kitchen")), "brightness").Passed.ShouldBeTrue();
        // "dark red" shades a colour; it does not ask for a dark picture.
        _evaluator.Evaluate(Request(light, "a dark red car")).Criteria.ShouldNotContain(c => c.Name == "brightness");
    }

    [Fact]
    public void A_wrong_size_is_reported_with_both_sizes()
    {
        var evaluation = _evaluator.Evaluate(Request(Png(Sketch("a red fox", 512, 512)), "a red fox", size: new ImageSize(1024, 576), aspect: "16:9"));

        var size = Criterion(evaluation, "size");
        size.Passed.ShouldBeFalse();
        size.Comment.ShouldContain("512x512");
        size.Comment.ShouldContain("1024x576");
        size.Comment.ShouldContain("16:9");
        evaluation.Score.ShouldBeLessThan(60);
    }

    [Fact]
    public void The_right_shape_at_another_size_passes_with_a_note_and_the_exact_size_scores_full()
    {
        var png = Png(Sketch("a red fox", 256, 256));

        var scaled = Criterion(_evaluator.Evaluate(Request(png, "a red fox", size: new ImageSize(512, 512))), "size");
        var exact = Criterion(_evaluator.Evaluate(Request(png, "a red fox", size: new ImageSize(256, 256))), "size");

        scaled.Passed.ShouldBeTrue();
        scaled.Score.ShouldBeLessThan(100);
        scaled.Comment.ShouldContain("256x256 instead of 512x512");
        exact.Score.ShouldBe(100);
    }

    [Fact]
    public void A_transparent_background_needs_transparent_pixels_around_an_opaque_subject()
    {
        var opaque = Png(Sketch("a red fox"));
        var cutOut = Png(Sketch("a red fox", transparent: true));

        var missing = Criterion(_evaluator.Evaluate(Request(opaque, "a red fox", background: Background.Transparent)), "transparency");
        var present = Criterion(_evaluator.Evaluate(Request(cutOut, "a red fox", background: Background.Transparent)), "transparency");

        missing.Passed.ShouldBeFalse();
        missing.Comment.ShouldContain("not transparent");
        missing.Suggestion.ShouldBe("isolated subject on a transparent background");
        present.Passed.ShouldBeTrue();
    }

    [Fact]
    public void A_see_through_subject_fails_transparency()
    {
        var ghost = Solid(Side, Side, 0, 0, 0, 0);
        Fill(ghost, 100, 100, 180, 180, 200, 60, 60, 60);

        var transparency = Criterion(Evaluate(ghost, "a red box", background: Background.Transparent), "transparency");

        transparency.Passed.ShouldBeFalse();
        transparency.Comment.ShouldContain("see-through");
    }

    [Fact]
    public void An_opaque_request_fails_on_transparent_pixels()
    {
        var cutOut = Png(Sketch("a red fox", transparent: true));

        var transparency = Criterion(_evaluator.Evaluate(Request(cutOut, "a red fox")), "transparency");

        transparency.Passed.ShouldBeFalse();
        transparency.Comment.ShouldContain("an opaque background was asked for");
        Criterion(_evaluator.Evaluate(Request(Png(Sketch("a red fox")), "a red fox")), "transparency").Score.ShouldBe(100);
    }

    [Fact]
    public void A_colour_in_the_negative_prompt_that_shows_is_penalised()
    {
        var redCar = Png(Sketch("a red car"));
        var blueCar = Png(Sketch("a blue car"));

        var present = Criterion(_evaluator.Evaluate(Request(redCar, "a car", negative: "red, blurry")), "negative:red");
        var absent = Criterion(_evaluator.Evaluate(Request(blueCar, "a car", negative: "red, blurry")), "negative:red");

        present.Passed.ShouldBeFalse();
        present.Comment.ShouldContain("the negative prompt excludes it");
        absent.Passed.ShouldBeTrue();
        _evaluator.Evaluate(Request(redCar, "a car", negative: "red")).Score
            .ShouldBeLessThan(_evaluator.Evaluate(Request(blueCar, "a car", negative: "red")).Score);
    }

    [Fact]
    public void Black_and_white_in_the_negative_prompt_does_not_exclude_the_colours()
    {
        var png = Png(Solid(64, 64, 250, 250, 250));

        var evaluation = _evaluator.Evaluate(Request(png, "a white cat", negative: "black and white, red", size: new ImageSize(64, 64)));

        evaluation.Criteria.ShouldNotContain(c => c.Name == "negative:white" || c.Name == "negative:black");
        evaluation.Criteria.ShouldContain(c => c.Name == "negative:red");
    }

    [Fact]
    public void No_colour_in_the_prompt_itself_is_an_exclusion_too()
    {
        var evaluation = Evaluate(Solid(Side, Side, 220, 40, 40), "a car, no red");

        Criterion(evaluation, "negative:red").Passed.ShouldBeFalse();
        evaluation.Criteria.ShouldNotContain(c => c.Name == "color:red");
    }

    [Fact]
    public void Black_and_white_is_a_style_and_colour_fails_it()
    {
        var grey = Gradient(Side, Side, colour: false);
        var colour = Gradient(Side, Side, colour: true);

        var passes = Evaluate(grey, "a black and white photo of a street");
        var fails = Evaluate(colour, "a black and white photo of a street");

        Criterion(passes, "style:monochrome").Passed.ShouldBeTrue();
        Criterion(fails, "style:monochrome").Passed.ShouldBeFalse();
        passes.Criteria.ShouldNotContain(c => c.Name == "color:black" || c.Name == "color:white");
        // A black and white cat is a cat in two colours.
        Evaluate(grey, "a black and white cat").Criteria.ShouldContain(c => c.Name == "color:black");
    }

    [Fact]
    public void General_quality_catches_blur_noise_flatness_and_blown_highlights()
    {
        var sharp = Sketch("a red fox in a forest");
        var blurred = Resampler.Resize(Resampler.Resize(sharp, Side / 4, Side / 4), Side, Side);
        var noisy = AddNoise(sharp, 40);

        Criterion(Evaluate(sharp, "a red fox in a forest"), "sharpness").Passed.ShouldBeTrue();
        Criterion(Evaluate(blurred, "a red fox in a forest"), "sharpness").Passed.ShouldBeFalse();
        Criterion(Evaluate(sharp, "a red fox in a forest"), "noise").Passed.ShouldBeTrue();
        Criterion(Evaluate(noisy, "a red fox in a forest"), "noise").Passed.ShouldBeFalse();
        Criterion(Evaluate(Solid(Side, Side, 128, 128, 128), "a stone"), "contrast").Passed.ShouldBeFalse();
        var stoneOnWhite = Solid(Side, Side, 255, 255, 255);
        Fill(stoneOnWhite, 130, 130, 124, 124, 110, 105, 100);
        Criterion(Evaluate(stoneOnWhite, "a stone"), "exposure").Passed.ShouldBeFalse();
        // Asked for: a white background may be pure white, but not the whole picture.
        Criterion(Evaluate(stoneOnWhite, "a stone on a white background"), "exposure").Passed.ShouldBeTrue();
        Criterion(Evaluate(Solid(Side, Side, 255, 255, 255), "a stone on a white background"), "exposure").Passed.ShouldBeFalse();
    }

    [Fact]
    public void Preset_checks_are_measured_and_weighted_and_the_rest_are_listed_as_unchecked()
    {
        var preset = JewelryPreset(sparkleWeight: 2);
        var velvet = Velvet(glints: 3);

        var evaluation = Evaluate(velvet, "a ring", preset: preset);

        Criterion(evaluation, "preset:sparkle").Passed.ShouldBeTrue();
        Criterion(evaluation, "preset:sharpness").Passed.ShouldBeTrue();
        Criterion(evaluation, "preset:clean_background").Passed.ShouldBeTrue();
        evaluation.Criteria.ShouldNotContain(c => c.Name == "preset:materials");
        evaluation.Criteria.ShouldNotContain(c => c.Name == "sharpness"); // the preset's own sharpness replaces the general one
        evaluation.Unchecked.ShouldContain(u => u.StartsWith("materials:", StringComparison.Ordinal) && u.EndsWith("(needs a vision model)", StringComparison.Ordinal));
        evaluation.Unchecked.ShouldContain(u => u.StartsWith("shine:", StringComparison.Ordinal));
        evaluation.Feedback.ShouldContain("materials:");
    }

    [Fact]
    public void Preset_sparkle_sharpness_and_plain_background_fail_when_missing()
    {
        var preset = JewelryPreset(sparkleWeight: 2);
        var dull = Velvet(glints: 0);
        var soft = Resampler.Resize(Resampler.Resize(Velvet(glints: 3), Side / 4, Side / 4), Side, Side);
        var busy = Gradient(Side, Side, colour: true);
        Fill(busy, 0, 0, Side, Side / 8, 250, 250, 250);
        AddStripes(busy);

        var noSparkle = Criterion(Evaluate(dull, "a ring", preset: preset), "preset:sparkle");
        noSparkle.Passed.ShouldBeFalse();
        noSparkle.Suggestion.ShouldBe("brilliant sparkle");
        Criterion(Evaluate(soft, "a ring", preset: preset), "preset:sharpness").Passed.ShouldBeFalse();
        Criterion(Evaluate(busy, "a ring", preset: preset), "preset:clean_background").Passed.ShouldBeFalse();
    }

    [Fact]
    public void A_heavier_failing_preset_criterion_lowers_the_score_more()
    {
        var dull = Velvet(glints: 0);

        var light = Evaluate(dull, "a ring", preset: JewelryPreset(sparkleWeight: 1));
        var heavy = Evaluate(dull, "a ring", preset: JewelryPreset(sparkleWeight: 4));

        heavy.Score.ShouldBeLessThan(light.Score);
    }

    [Fact]
    public void Feedback_puts_the_worst_failure_first_then_says_what_it_cannot_check()
    {
        var evaluation = _evaluator.Evaluate(Request(Png(Solid(512, 512, 47, 111, 214)), "a red fox at night", size: new ImageSize(1024, 576)));

        var failing = evaluation.Criteria.Where(c => !c.Passed).OrderBy(c => c.Score).ToList();
        failing.Count.ShouldBeGreaterThanOrEqualTo(3);
        var first = failing[0].Comment;
        evaluation.Feedback.ShouldStartWith(char.ToUpperInvariant(first[0]) + first[1..]);
        evaluation.Feedback.ShouldContain("Not checked offline: the subject itself: whether it shows a fox");
        evaluation.Unchecked.ShouldContain("the subject itself: whether it shows a fox");
        evaluation.Unchecked.ShouldContain("composition and framing");
    }

    [Fact]
    public void Text_placement_and_counts_in_the_prompt_are_listed_as_unchecked()
    {
        var evaluation = Evaluate(Sketch("two cats"), "two cats under a sign that says hello");

        evaluation.Unchecked.ShouldContain(u => u.StartsWith("text and lettering", StringComparison.Ordinal));
        evaluation.Unchecked.ShouldContain(u => u.StartsWith("where things are", StringComparison.Ordinal));
        evaluation.Unchecked.ShouldContain("how many of each thing there are");
    }

    [Theory]
    [InlineData("a dark forest")]
    [InlineData("a vibrant tropical beach at noon, turquoise water")]
    public void Adding_the_suggested_words_and_rendering_again_raises_the_score(string prompt)
    {
        var first = Evaluate(Sketch(prompt), prompt);
        var suggestions = first.Criteria.Select(c => c.Suggestion).OfType<string>().ToList();
        suggestions.ShouldNotBeEmpty();
        var refined = prompt + ", " + string.Join(", ", suggestions);

        var second = _evaluator.Evaluate(Request(Png(Sketch(refined)), refined, original: prompt));

        second.Score.ShouldBeGreaterThan(first.Score);
    }

    [Fact]
    public void Styles_pixels_cannot_confirm_are_listed_and_bright_colours_ask_for_colour()
    {
        var evaluation = Evaluate(Sketch("a watercolor painting of a cat in bright colors"), "a watercolor painting of a cat in bright colors");

        evaluation.Unchecked.ShouldContain("the style: whether it looks like a watercolour painting");
        evaluation.Criteria.ShouldContain(c => c.Name == "style:colorful");
        evaluation.Criteria.ShouldNotContain(c => c.Name == "brightness");
    }

    [Fact]
    public void The_same_request_gives_the_same_evaluation()
    {
        var request = Request(Png(Sketch("a golden ring on a white background", 700, 500)), "a golden ring on a white background",
            size: new ImageSize(700, 500), preset: JewelryPreset(sparkleWeight: 2));

        var first = _evaluator.Evaluate(request);
        var second = _evaluator.Evaluate(request);

        second.Score.ShouldBe(first.Score);
        second.Criteria.ShouldBe(first.Criteria);
        second.Feedback.ShouldBe(first.Feedback);
        second.Unchecked.ShouldBe(first.Unchecked);
    }

    [Fact]
    public void Scores_stay_within_range_and_under_the_ceiling()
    {
        foreach (var prompt in new[] { "a red fox in a forest", "a purple flower in a vase", "a blue car in the city at night" })
        {
            var evaluation = Evaluate(Sketch(prompt), prompt);

            evaluation.Score.ShouldBeInRange(Evaluation.MinScore, BuiltinEvaluator.Ceiling);
            evaluation.Criteria.ShouldAllBe(c => c.Score >= 0 && c.Score <= 100);
        }
    }

    [Fact]
    public async Task Evaluate_async_gives_the_same_result_and_honours_cancellation()
    {
        var request = Request(Png(Sketch("a red fox")), "a red fox");

        var evaluation = await _evaluator.EvaluateAsync(request, TestContext.Current.CancellationToken);

        evaluation.Score.ShouldBe(_evaluator.Evaluate(request).Score);
        _evaluator.Name.ShouldBe("builtin");
        await Should.ThrowAsync<OperationCanceledException>(() => _evaluator.EvaluateAsync(request, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Bytes_that_are_not_a_png_are_refused_clearly()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F' };

        Should.Throw<ImageFormatException>(() => _evaluator.Evaluate(Request(jpeg, "a fox") with { MediaType = "image/jpeg" }))
            .Message.ShouldContain("PNG images only, and it is image/jpeg");
        Should.Throw<ImageFormatException>(() => _evaluator.Evaluate(Request("not an image"u8.ToArray(), "a fox")))
            .Message.ShouldContain("not a PNG");
        Should.Throw<ArgumentException>(() => _evaluator.Evaluate(Request([], "a fox")))
            .Message.ShouldContain("empty");
    }

    [Fact]
    public void Truncated_or_corrupt_png_bytes_give_a_format_error_never_a_crash()
    {
        var png = Png(Sketch("a red fox", 64, 64));

        foreach (var length in new[] { 8, 12, 20, 33, 40, png.Length / 3, png.Length / 2, png.Length - 13, png.Length - 1 })
        {
            var cut = png[..length];
            Should.Throw<ImageFormatException>(() => _evaluator.Evaluate(Request(cut, "a fox", size: new ImageSize(64, 64))))
                .Message.ShouldStartWith("The image cannot be evaluated:");
        }
        var corrupt = (byte[])png.Clone();
        corrupt[png.Length / 2] ^= 0x5A;
        Should.Throw<ImageFormatException>(() => _evaluator.Evaluate(Request(corrupt, "a fox", size: new ImageSize(64, 64))));
    }

    [Fact]
    public void A_zero_requested_size_is_refused()
    {
        var png = Png(Solid(64, 64, 10, 10, 10));

        Should.Throw<ArgumentException>(() => _evaluator.Evaluate(Request(png, "a fox", size: new ImageSize(0, 64))))
            .Message.ShouldContain("0x64");
    }

    // ---- helpers ----

    private Evaluation Evaluate(RgbaImage image, string prompt, Background background = Background.Opaque, Preset? preset = null) =>
        _evaluator.Evaluate(Request(Png(image), prompt, size: new ImageSize(image.Width, image.Height), background: background, preset: preset));

    private static EvaluationRequest Request(byte[] png, string prompt, string? original = null, string? negative = null,
        ImageSize? size = null, Background background = Background.Opaque, Preset? preset = null, string? aspect = null) =>
        new(png, "image/png", prompt, original ?? prompt, negative, size ?? new ImageSize(Side, Side), aspect, null, background, preset);

    private static CriterionResult Criterion(Evaluation evaluation, string name) =>
        evaluation.Criteria.SingleOrDefault(c => c.Name == name)
        ?? throw new ShouldAssertException($"No criterion '{name}' among: {string.Join(", ", evaluation.Criteria.Select(c => c.Name))}");

    private static Preset JewelryPreset(double sparkleWeight) => new()
    {
        Name = "jewelry",
        Description = "Jewellery product photography",
        Criteria =
        [
            new PresetCriterion("sparkle", "Stones show crisp highlights.", sparkleWeight, "sparkle", "brilliant sparkle"),
            new PresetCriterion("sharpness", "Facets are in sharp focus.", 2, "sharpness"),
            new PresetCriterion("clean_background", "A plain background.", 1.5, "plain_background"),
            new PresetCriterion("materials", "Metals and stones match the prompt.", 3),
            new PresetCriterion("shine", "Metal looks polished.", 1, "polish-o-meter"),
        ],
    };

    /// <summary>A grey ring shape on dark velvet, with small white glints on it.</summary>
    private static RgbaImage Velvet(int glints)
    {
        var image = Solid(Side, Side, 40, 30, 45);
        Fill(image, 120, 140, 150, 110, 150, 150, 160);
        Fill(image, 160, 175, 70, 40, 40, 30, 45);
        foreach (var (x, y) in new[] { (128, 146), (240, 148), (200, 232) }.Take(glints))
            Fill(image, x, y, 5, 5, 255, 255, 255);
        return image;
    }

    private static RgbaImage Sketch(string prompt, int width = Side, int height = Side, bool transparent = false) =>
        SketchRenderer.Render(new SketchRequest(prompt, null, width, height, 42, null, transparent));

    private static byte[] SketchPng(string prompt) => Png(Sketch(prompt));

    private static byte[] Png(RgbaImage image) => PngEncoder.Encode(image);

    private static RgbaImage Solid(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var image = new RgbaImage(width, height);
        Fill(image, 0, 0, width, height, r, g, b, a);
        return image;
    }

    private static void Fill(RgbaImage image, int x0, int y0, int width, int height, byte r, byte g, byte b, byte a = 255)
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

    /// <summary>A diagonal gradient with sharp bars: grey, or running through strong colours.</summary>
    private static RgbaImage Gradient(int width, int height, bool colour)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var t = (x + y) * 255 / (width + height);
                var bar = (x / 24) % 2 == 0 ? 0 : 60;
                var v = (byte)Math.Clamp(t + bar - 30, 0, 255);
                var i = (y * width + x) * 4;
                image.Pixels[i] = colour ? (byte)(255 - v) : v;
                image.Pixels[i + 1] = colour ? (byte)(v / 3) : v;
                image.Pixels[i + 2] = v;
                image.Pixels[i + 3] = 255;
            }
        }
        return image;
    }

    private static void AddStripes(RgbaImage image)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x += 16)
                Fill(image, x, y, 4, 1, 20, 200, 60);
        }
    }

    private static RgbaImage AddNoise(RgbaImage image, int amplitude)
    {
        var noisy = new RgbaImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        var random = new Random(7);
        for (var i = 0; i < noisy.Pixels.Length; i++)
        {
            if (i % 4 != 3)
                noisy.Pixels[i] = (byte)Math.Clamp(noisy.Pixels[i] + random.Next(-amplitude, amplitude + 1), 0, 255);
        }
        return noisy;
    }
}
