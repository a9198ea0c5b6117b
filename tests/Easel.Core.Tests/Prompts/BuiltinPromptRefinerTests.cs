using Easel.Core.Orders;
using Easel.Core.Prompts;

namespace Easel.Core.Tests.Prompts;

public sealed class BuiltinPromptRefinerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<IReadOnlyList<PromptSuggestion>> Suggest(string prompt, int count = 3) =>
        new BuiltinPromptRefiner().SuggestAsync(prompt, count, Ct);

    private static int Words(string text) => text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public void Says_it_is_the_built_in_rules() => new BuiltinPromptRefiner().Source.ShouldBe("built-in rules");

    [Fact]
    public async Task A_very_short_prompt_gets_a_setting_a_medium_lighting_and_framing_after_the_users_words()
    {
        var best = (await Suggest("a cat"))[0];

        best.Prompt.ShouldStartWith("a cat ");
        best.Prompt.Length.ShouldBeGreaterThan("a cat".Length + 40);
        best.Prompt.ShouldContain("photograph");
        best.Prompt.ShouldContain("light");
        best.Prompt.ShouldContain("close-up");
        best.Reason.ShouldBe("Adds a setting, a medium, lighting and framing: a 2-word prompt leaves them to chance.");
        best.Negative.ShouldBeNull();
    }

    [Fact]
    public async Task The_other_suggestions_are_other_looks_naming_the_style_option_when_there_is_one()
    {
        var suggestions = await Suggest("a red fox");

        suggestions[1].Prompt.ShouldStartWith("a red fox ");
        suggestions[1].Prompt.ShouldContain("watercolor painting");
        suggestions[1].Reason.ShouldStartWith("Another look: ");
        suggestions[1].Reason.ShouldContain("(or --style watercolor)");
        suggestions[0].Prompt.ShouldNotContain("watercolor");
    }

    [Theory]
    [InlineData("a lighthouse at dusk")]
    [InlineData("an astronaut riding a horse on the moon")]
    [InlineData("a bowl of ramen")]
    [InlineData("a red fox in a snowy forest at sunset, watercolor, wide shot")]
    [InlineData("logo for a bakery")]
    [InlineData("a vintage car on a coastal road, 35mm film photo, golden hour, low angle")]
    public async Task Every_suggestion_starts_with_the_users_own_text_when_there_is_nothing_to_correct(string prompt)
    {
        var suggestions = await Suggest(prompt, PromptRefiner.MaxSuggestions);

        suggestions.ShouldNotBeEmpty();
        suggestions.ShouldAllBe(s => s.Prompt.StartsWith(prompt) && s.Prompt.Length > prompt.Length && s.Reason.Length > 0);
    }

    [Theory]
    [InlineData("a cat")]
    [InlineData("a beautiful sunset over the sea, no people")]
    [InlineData("a red fox in a snowy forest at sunset, watercolor, wide shot")]
    [InlineData("Create an image of a cool dragon please")]
    public async Task Suggestions_are_distinct_never_the_prompt_unchanged_and_one_line_each(string prompt)
    {
        var suggestions = await Suggest(prompt, PromptRefiner.MaxSuggestions);

        suggestions.Select(s => s.Prompt.ToLowerInvariant()).ShouldBeUnique();
        suggestions.ShouldAllBe(s => !string.Equals(s.Prompt, prompt, StringComparison.OrdinalIgnoreCase));
        suggestions.ShouldAllBe(s => !s.Prompt.Contains('\n') && !s.Reason.Contains('\n') && s.Reason.EndsWith('.'));
    }

    [Fact]
    public async Task The_same_prompt_always_gets_the_same_suggestions()
    {
        const string prompt = "a beautiful cottage in the woods, no people";
        var first = await Suggest(prompt, PromptRefiner.MaxSuggestions);
        var second = await new BuiltinPromptRefiner().SuggestAsync(prompt, PromptRefiner.MaxSuggestions, Ct);

        second.ShouldBe(first);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task The_count_asked_for_is_what_a_short_prompt_gets(int count) =>
        (await Suggest("a cat", count)).Count.ShouldBe(count);

    [Fact]
    public async Task Fewer_suggestions_are_asked_for_the_best_ones_come_first()
    {
        var three = await Suggest("a portrait of an old fisherman", 3);
        var one = await Suggest("a portrait of an old fisherman", 1);

        one.ShouldBe([three[0]]);
    }

    [Fact]
    public async Task Negations_move_out_of_every_suggestion_and_the_reason_says_they_belong_in_negative()
    {
        var suggestions = await Suggest("a quiet beach at dawn, no people", 5);

        suggestions.ShouldAllBe(s => !s.Prompt.Contains("no people") && s.Prompt.StartsWith("a quiet beach at dawn") && s.Negative == "people");
        suggestions.ShouldAllBe(s => s.Reason.Contains("\"no people\"") && s.Reason.Contains("--negative \"people\""));
        suggestions[0].Reason.ShouldStartWith("Moves \"no people\" to --negative \"people\": models tend to draw what a prompt names, even when it says not to;");
    }

    [Fact]
    public async Task A_list_of_negations_is_moved_with_the_words_that_introduced_it()
    {
        var suggestions = await Suggest("a street with no cars and no people at night", 3);

        suggestions.ShouldContain(s => s.Prompt == "a street at night");
        suggestions.ShouldAllBe(s => s.Negative == "cars, people" && s.Prompt.StartsWith("a street at night"));
    }

    [Theory]
    [InlineData("a dog without a collar and with a red scarf", "a dog with a red scarf", "collar")]
    [InlineData("a portrait of a woman, no watermark, not blurry", "a portrait of a woman", "watermark, blurry")]
    [InlineData("a kitchen interior, don't include people", "a kitchen interior", "people")]
    public async Task Other_negations_are_moved_too(string prompt, string without, string negative)
    {
        var suggestions = await Suggest(prompt, 3);

        suggestions.ShouldContain(s => s.Prompt == without, string.Join("\n", suggestions.Select(s => s.Prompt)));
        suggestions.ShouldAllBe(s => s.Negative == negative);
    }

    [Theory]
    [InlineData("a no parking sign on a brick wall")]
    [InlineData("a cat that is not sleeping")]
    [InlineData("a poster that says \"no entry\"")]
    public async Task Words_that_only_look_like_negations_stay(string prompt)
    {
        var suggestions = await Suggest(prompt, 5);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith(prompt) && s.Negative == null);
    }

    [Fact]
    public async Task A_prompt_that_is_only_a_negation_keeps_it_rather_than_suggesting_nothing_to_draw()
    {
        var suggestions = await Suggest("no people", 3);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith("no people") && s.Negative == null);
    }

    [Theory]
    [InlineData("a beautiful sunset over the sea", "beautiful", "a vividly colored sunset over the sea")]
    [InlineData("a nice house", "nice", "a well-kept house")]
    [InlineData("an amazing burger", "amazing", "a glistening, freshly made burger")]
    [InlineData("a really cool car", "really cool", "a sleek car")]
    public async Task Vague_praise_is_replaced_with_a_concrete_look_that_suits_the_subject(string prompt, string vague, string corrected)
    {
        var suggestions = await Suggest(prompt, 3);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith(corrected));
        suggestions[0].Reason.ShouldContain($"\"{vague}\"");
        suggestions.ShouldContain(s => s.Prompt == corrected && s.Reason.StartsWith("Only the corrections, nothing added: replaces"));
    }

    [Theory]
    [InlineData("a city street in cool tones")]
    [InlineData("Nice, France at night")]
    [InlineData("a great white shark")]
    [InlineData("a good quality photo of a fern")]
    public async Task Words_that_are_not_praise_here_stay(string prompt) =>
        (await Suggest(prompt, 5)).ShouldAllBe(s => s.Prompt.StartsWith(prompt));

    [Fact]
    public async Task Text_to_write_is_quoted_and_a_lettering_style_suggested()
    {
        var suggestions = await Suggest("a coffee shop sign that says Open Late in neon", 3);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith("a coffee shop sign that says \"Open Late\" in neon"));
        suggestions[0].Prompt.ShouldContain("legible lettering");
        suggestions[0].Reason.ShouldStartWith("Puts the exact text in quotes (\"Open Late\"): models spell quoted words more reliably and do not draw them as objects;");
    }

    [Theory]
    [InlineData("a cake with the words Happy Birthday Anna on it", "a cake with the words \"Happy Birthday Anna\" on it")]
    [InlineData("a poster, text: SUMMER SALE, bright colors", "a poster, text: \"SUMMER SALE\", bright colors")]
    [InlineData("a logo for a bakery called Sweet Crumbs", "a logo for a bakery called \"Sweet Crumbs\"")]
    public async Task Text_is_found_in_the_usual_ways_of_asking_for_it(string prompt, string quoted) =>
        (await Suggest(prompt, 3)).ShouldAllBe(s => s.Prompt.StartsWith(quoted));

    [Fact]
    public async Task Text_already_quoted_is_left_exactly_as_written()
    {
        const string prompt = "a neon sign that says \"no  vacancy, nice rooms\"";
        var suggestions = await Suggest(prompt, 5);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith(prompt) && s.Negative == null);
    }

    [Fact]
    public async Task A_named_medium_is_kept_and_gets_its_own_technique_words_instead_of_another_medium()
    {
        var suggestions = await Suggest("a red fox in the snow, watercolor", PromptRefiner.MaxSuggestions);

        suggestions.ShouldAllBe(s => !s.Prompt.Contains("photograph") && !s.Prompt.Contains("oil painting"));
        suggestions[0].Reason.ShouldBe("Adds lighting and framing: the prompt leaves them open, so the model would pick them at random.");
        suggestions.ShouldContain(s => s.Prompt.Contains("wet-on-wet washes"));
    }

    [Fact]
    public async Task A_prompt_that_names_medium_light_and_framing_gets_finer_points_not_the_basics()
    {
        var suggestions = await Suggest("a red fox in a snowy forest at sunset, oil painting, close-up", 3);

        suggestions[0].Prompt.ShouldBe("a red fox in a snowy forest at sunset, oil painting, close-up, visible brushstrokes, rich textured paint");
        suggestions[0].Reason.ShouldStartWith("Adds technique words for the oil painting");
        suggestions.ShouldAllBe(s => !s.Prompt.Contains("golden hour") && !s.Prompt.Contains("wide shot"));
    }

    [Fact]
    public async Task Request_wording_is_dropped_and_a_drawing_asked_for_stays_a_drawing()
    {
        (await Suggest("Create an image of a lighthouse please", 3)).ShouldAllBe(s => s.Prompt.StartsWith("a lighthouse"));
        var drawn = await Suggest("draw a cat", 3);
        drawn.ShouldAllBe(s => s.Prompt.StartsWith("a drawing of a cat"));
        drawn.ShouldAllBe(s => !s.Prompt.Contains("photograph"));
    }

    [Theory]
    [InlineData("a red red car", "a red car")]
    [InlineData("highly detailed, a castle, highly detailed, 4k", "highly detailed, a castle, 4k")]
    [InlineData("a fox, fox, in the snow", "a fox, in the snow")]
    public async Task Repeated_words_and_phrases_are_removed(string prompt, string corrected)
    {
        var suggestions = await Suggest(prompt, 5);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith(corrected));
        suggestions.ShouldContain(s => s.Prompt == corrected && s.Reason.Contains("removes the repeated"));
    }

    [Fact]
    public async Task A_run_on_prompt_becomes_short_phrases_without_filler()
    {
        const string prompt = "There is a woman standing in a field of sunflowers and she is wearing a very long flowing red dress and the wind is blowing her hair. "
            + "The sky is full of dramatic clouds and there are birds flying in the distance and it should be really cinematic and kind of moody.";
        var suggestions = await Suggest(prompt, 3);

        suggestions.ShouldAllBe(s => s.Prompt.StartsWith("a woman standing in a field of sunflowers, wearing a long flowing red dress, the wind is blowing her hair, the sky is full of dramatic clouds"));
        suggestions.ShouldAllBe(s => !s.Prompt.Contains(". ") && !s.Prompt.Contains("really") && !s.Prompt.Contains("kind of") && !s.Prompt.Contains("there are"));
        suggestions[0].Reason.ShouldContain("run-on");
    }

    [Fact]
    public async Task A_long_prompt_is_cut_to_its_first_phrases_and_its_style()
    {
        const string prompt = "a majestic lighthouse on a rocky cliff, crashing waves, dramatic storm clouds, seagulls circling, a small fishing boat in the distance, "
            + "lightning striking the sea, rain streaking across the frame, the lighthouse beam cutting through the mist, wet rocks glistening, moss on the stones, "
            + "an old wooden staircase leading up to the door, a lantern in the window, foam spraying high into the air, dark teal and slate grey palette, "
            + "oil painting, highly detailed, intricate textures, a sense of isolation";
        var best = (await Suggest(prompt, 1))[0];

        Words(best.Prompt).ShouldBeLessThanOrEqualTo(60);
        best.Prompt.ShouldStartWith("a majestic lighthouse on a rocky cliff, crashing waves");
        best.Prompt.ShouldEndWith("dark teal and slate grey palette, oil painting");
        best.Reason.ShouldStartWith($"Keeps 44 of the {Words(prompt)} words");
    }

    [Fact]
    public async Task A_prompt_at_the_length_limit_gets_only_suggestions_within_it()
    {
        var prompt = string.Join(", ", Enumerable.Range(0, 6000).Select(i => $"fox {i}"))[..OrderSpec.MaxPromptLength].TrimEnd(',', ' ');
        var suggestions = await Suggest(prompt, PromptRefiner.MaxSuggestions);

        suggestions.ShouldNotBeEmpty();
        suggestions.ShouldAllBe(s => s.Prompt.Length <= OrderSpec.MaxPromptLength && s.Prompt != prompt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_prompt_is_refused(string prompt)
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Suggest(prompt));
        error.Message.ShouldStartWith("The prompt is empty: say what the image should show");
    }

    [Fact]
    public async Task A_prompt_over_the_limit_is_refused()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Suggest(new string('a', OrderSpec.MaxPromptLength + 1)));
        error.Message.ShouldStartWith($"The prompt is {OrderSpec.MaxPromptLength + 1} characters long; the limit is {OrderSpec.MaxPromptLength}.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(PromptRefiner.MaxSuggestions + 1)]
    public async Task A_count_outside_one_to_ten_is_refused(int count)
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => Suggest("a cat", count));
        error.Message.ShouldStartWith($"The number of suggestions must be between 1 and 10; got {count}.");
    }
}
