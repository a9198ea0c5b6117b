using System.Text.RegularExpressions;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;

namespace Easel.Core.Tests.Quality;

public sealed class BuiltinPrompterTests
{
    private const string Fox = "a red fox sitting in the snow at sunset";

    private static readonly Preset Jewelry = PresetCatalog.Load().Get("jewelry");

    private static Evaluation Evaluated(params CriterionResult[] criteria) =>
        new(criteria.Length == 0 ? 90 : criteria.Min(c => c.Score), criteria, "feedback", [], "builtin");

    private static CriterionResult Failed(string name, int score, string? suggestion = null) =>
        new(name, score, Passed: false, $"{name} is off", suggestion);

    private static CriterionResult Passed(string name, string? suggestion = null) =>
        new(name, 95, Passed: true, $"{name} is fine", suggestion);

    private static string Refine(string original, string current, Evaluation evaluation, int iteration = 2, Preset? preset = null) =>
        new BuiltinPrompter().RefineAsync(new RefineRequest(original, current, evaluation, iteration, preset), TestContext.Current.CancellationToken)
            .GetAwaiter().GetResult();

    /// <summary>Runs the loop: each refinement starts from the previous one.</summary>
    private static List<string> Iterate(string original, int refinements, Func<int, Evaluation> evaluation, Preset? preset = null)
    {
        var prompts = new List<string>();
        var current = original;
        for (var iteration = 2; iteration < 2 + refinements; iteration++)
        {
            current = Refine(original, current, evaluation(iteration), iteration, preset);
            prompts.Add(current);
        }

        return prompts;
    }

    /// <summary>The phrases after the user's text, normalised the way a reader compares them.</summary>
    private static List<string> AddedPhrases(string original, string prompt)
    {
        prompt.ShouldStartWith(original);
        return prompt[original.Length..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Regex.Replace(p.ToLowerInvariant(), "[^a-z0-9]+", " ").Trim())
            .ToList();
    }

    [Fact]
    public void Is_named_builtin() => new BuiltinPrompter().Name.ShouldBe("builtin");

    [Fact]
    public void A_scene_too_bright_for_dark_gets_darker_words_and_nothing_that_brightens_it()
    {
        var prompts = Iterate("a dark forest", 2, _ => Evaluated(Failed("brightness", 27, "dark, gloomy, low-key lighting")));
        foreach (var prompt in prompts)
        {
            prompt.ShouldContain("gloomy");
            AddedPhrases("a dark forest", prompt).ShouldNotContain(p => p.Contains("bright") || p.Contains("well lit"), prompt);
        }
    }

    [Fact]
    public void The_users_words_stay_first_and_whole_over_several_refinements()
    {
        var prompts = Iterate(Fox, 5, iteration => Evaluated(
            Failed("color:red", 20 + iteration, "vivid red fox"),
            Failed("time_of_day", 30, "golden sunset light"),
            Failed("sharpness", 40 + iteration)));

        foreach (var prompt in prompts)
            prompt.ShouldStartWith(Fox);
        prompts.Distinct().Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public void A_prompt_rewritten_elsewhere_gets_the_users_text_back_in_front()
    {
        var refined = Refine(Fox, "a crimson vulpine creature, snowy dusk", Evaluated(Failed("sharpness", 20, "sharp focus")));

        refined.ShouldStartWith(Fox);
        refined.ShouldContain("a crimson vulpine creature");
        refined.ShouldContain("sharp focus");
    }

    [Fact]
    public void Failing_suggestions_come_worst_first_and_passed_ones_are_not_added()
    {
        var refined = Refine(Fox, Fox, Evaluated(
            Failed("color:red", 45, "vivid red fox"),
            Passed("composition", "rule of thirds"),
            Failed("time_of_day", 10, "golden sunset light"),
            Failed("snow", 30, "deep white snow")));

        var sunset = refined.IndexOf("golden sunset light", StringComparison.Ordinal);
        var snow = refined.IndexOf("deep white snow", StringComparison.Ordinal);
        var red = refined.IndexOf("vivid red fox", StringComparison.Ordinal);
        sunset.ShouldBeGreaterThan(Fox.Length);
        snow.ShouldBeGreaterThan(sunset);
        red.ShouldBeGreaterThan(snow);
        refined.ShouldNotContain("rule of thirds");
    }

    [Fact]
    public void A_still_failing_criterion_moves_its_words_forward_instead_of_repeating_them()
    {
        var first = Refine(Fox, Fox, Evaluated(Failed("snow", 40, "deep white snow"), Failed("time_of_day", 50, "golden sunset light")));
        first.IndexOf("deep white snow", StringComparison.Ordinal).ShouldBeLessThan(first.IndexOf("golden sunset light", StringComparison.Ordinal));

        var second = Refine(Fox, first, Evaluated(Failed("snow", 70, "deep white snow"), Failed("time_of_day", 20, "golden sunset light")), iteration: 3);

        second.IndexOf("golden sunset light", StringComparison.Ordinal).ShouldBeLessThan(second.IndexOf("deep white snow", StringComparison.Ordinal));
        Regex.Count(second, "golden sunset light").ShouldBe(1);
        Regex.Count(second, "deep white snow").ShouldBe(1);
    }

    [Fact]
    public void No_phrase_is_repeated_over_three_iterations_whatever_its_case()
    {
        var prompts = Iterate("A fox in SHARP FOCUS", 3, _ => Evaluated(
            Failed("sharpness", 20, "Sharp focus, fine detail"),
            Failed("exposure", 30, "balanced exposure"),
            Failed("color:red", 35, "vivid red fox")));

        var phrases = AddedPhrases("A fox in SHARP FOCUS", prompts[^1]);
        phrases.ShouldNotContain("sharp focus");
        phrases.Count.ShouldBe(phrases.Distinct().Count());
        foreach (var phrase in phrases)
            phrases.Count(other => other != phrase && $" {other} ".Contains($" {phrase} ", StringComparison.Ordinal)).ShouldBe(0, phrase);
    }

    [Fact]
    public void With_a_preset_its_details_are_added_in_order()
    {
        var prompts = Iterate("a gold ring with a sapphire", 2, _ => Evaluated(Passed("sparkle")), Jewelry);

        prompts[0].ShouldBe($"a gold ring with a sapphire, {Jewelry.PromptDetails[0]}");
        prompts[1].ShouldBe($"a gold ring with a sapphire, {Jewelry.PromptDetails[0]}, {Jewelry.PromptDetails[1]}");
    }

    [Fact]
    public void A_preset_never_contradicts_what_the_user_chose()
    {
        const string Ring = "gold ring on a black velvet background, dramatic spotlight";
        var prompts = Iterate(Ring, 8, _ => Evaluated(Failed("preset:sparkle", 30)), Jewelry);

        prompts[^1].ShouldNotContain("white seamless background");
        prompts[^1].ShouldNotContain("soft diffused studio lighting");
        prompts[^1].ShouldContain("brilliant sparkle");
    }

    [Fact]
    public void A_presets_suggestion_is_used_when_the_evaluator_gives_none()
    {
        var refined = Refine("a diamond pendant", "a diamond pendant", Evaluated(Failed("preset:sparkle", 25)), preset: Jewelry);

        refined.ShouldContain("brilliant sparkle, crisp specular highlights");
    }

    [Theory]
    [InlineData("sharpness", "sharp focus")]
    [InlineData("exposure", "balanced exposure")]
    [InlineData("contrast", "good contrast")]
    [InlineData("color:red", "rich vivid colors")]
    public void Without_a_preset_the_detail_added_depends_on_what_failed(string criterion, string detail)
    {
        var refined = Refine(Fox, Fox, Evaluated(Failed(criterion, 30)));

        refined.ShouldStartWith($"{Fox}, {detail}", customMessage: refined);
    }

    [Fact]
    public void When_nothing_failed_exactly_one_new_detail_is_added()
    {
        var refined = Refine(Fox, Fox, Evaluated(Passed("sharpness")));
        var again = Refine(Fox, refined, Evaluated(Passed("sharpness")), iteration: 3);

        AddedPhrases(Fox, refined).Count.ShouldBe(1);
        AddedPhrases(Fox, again).Count.ShouldBe(2);
    }

    [Fact]
    public void The_prompt_stays_under_the_soft_limit_however_many_refinements()
    {
        var prompts = Iterate(Fox, 12, iteration => Evaluated(
            Failed($"detail-{iteration}-a", 10, $"an elaborate description of visual element number {iteration} in great length and depth"),
            Failed($"detail-{iteration}-b", 20, $"another long-winded qualifier for element {iteration} that the evaluator wants to see")));

        foreach (var prompt in prompts)
        {
            prompt.Length.ShouldBeLessThanOrEqualTo(BuiltinPrompter.SoftMaxLength);
            prompt.ShouldStartWith(Fox);
        }

        prompts[^1].ShouldContain("element number 13");
    }

    [Fact]
    public void A_long_user_prompt_is_kept_whole_and_gets_only_a_little_more()
    {
        var longPrompt = string.Join(", ", Enumerable.Range(1, 120).Select(i => $"item {i}"));
        longPrompt.Length.ShouldBeGreaterThan(BuiltinPrompter.SoftMaxLength);

        var refined = Refine(longPrompt, longPrompt, Evaluated(Failed("sharpness", 10, "sharp focus")));

        refined.ShouldStartWith(longPrompt);
        refined.ShouldContain("sharp focus");
        refined.Length.ShouldBeLessThanOrEqualTo(longPrompt.Length + 120);
    }

    [Fact]
    public void A_prompt_at_the_maximum_length_is_returned_unchanged()
    {
        var longest = new string('a', OrderSpec.MaxPromptLength);

        Refine(longest, longest, Evaluated(Failed("sharpness", 10, "sharp focus"))).ShouldBe(longest);
    }

    [Fact]
    public void The_same_request_always_gives_the_same_prompt()
    {
        Evaluation Evaluation(int iteration) => Evaluated(
            Failed("sparkle", 30), Failed("exposure", 30, "balanced exposure"), Failed("materials", 50, "platinum band"));

        var first = Iterate("a platinum engagement ring", 4, Evaluation, Jewelry);
        var second = Iterate("a platinum engagement ring", 4, Evaluation, Jewelry);

        second.ShouldBe(first);
    }

    [Fact]
    public void A_cancelled_refinement_throws()
    {
        var request = new RefineRequest(Fox, Fox, Evaluated(), 2, null);

        Should.Throw<OperationCanceledException>(() => new BuiltinPrompter().RefineAsync(request, new CancellationToken(canceled: true)));
    }
}
