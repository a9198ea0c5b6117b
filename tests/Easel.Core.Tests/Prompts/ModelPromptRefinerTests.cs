using System.Text.Json;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Prompts;
using Easel.Core.Tests.Language;

namespace Easel.Core.Tests.Prompts;

public sealed class ModelPromptRefinerTests
{
    private const string Fox = "a red fox in the snow";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Answer(params (string Prompt, string Reason)[] suggestions) =>
        JsonSerializer.Serialize(new { suggestions = suggestions.Select(s => new { prompt = s.Prompt, reason = s.Reason }) });

    private static Task<IReadOnlyList<PromptSuggestion>> Suggest(string answer, string prompt = Fox, int count = 3) =>
        new ModelPromptRefiner(new ScriptedLanguageModel(answer)).SuggestAsync(prompt, count, Ct);

    [Fact]
    public void Says_which_vendor_and_model_suggest() =>
        new ModelPromptRefiner(new ScriptedLanguageModel()).Source.ShouldBe("OpenAI gpt-4o");

    [Fact]
    public async Task Asks_the_model_for_the_count_with_a_strict_schema_and_the_prompt_engineers_rules()
    {
        var model = new ScriptedLanguageModel(Answer((Fox + ", golden hour", "Adds light.")));
        await new ModelPromptRefiner(model).SuggestAsync(Fox, 4, Ct);

        var sent = model.Last;
        sent.Images.ShouldBeEmpty();
        sent.Text.ShouldBe($"The user's prompt: \"{Fox}\"\nWrite 4 suggestions, best first.");
        sent.Instructions.ShouldContain("Start with the user's own words");
        sent.Instructions.ShouldContain("belong in the negative prompt (--negative)");
        sent.Instructions.ShouldContain("in double quotes");
        sent.Schema.Name.ShouldBe("prompt_suggestions");

        using var schema = JsonDocument.Parse(sent.Schema.Json);
        var root = schema.RootElement;
        root.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["suggestions"]);
        root.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
        var suggestions = root.GetProperty("properties").GetProperty("suggestions");
        suggestions.GetProperty("type").GetString().ShouldBe("array");
        var item = suggestions.GetProperty("items");
        item.GetProperty("properties").EnumerateObject().Select(p => (p.Name, p.Value.GetProperty("type").GetString())).ShouldBe([("prompt", "string"), ("reason", "string")]);
        item.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["prompt", "reason"]);
        item.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Returns_the_models_suggestions_in_its_order()
    {
        var suggestions = await Suggest(Answer(
            (Fox + ", golden hour, wide shot", "Adds warm light and room around the fox."),
            (Fox + ", watercolor", "Names a medium.")));

        suggestions.ShouldBe([
            new PromptSuggestion(Fox + ", golden hour, wide shot", "Adds warm light and room around the fox."),
            new PromptSuggestion(Fox + ", watercolor", "Names a medium."),
        ]);
    }

    [Fact]
    public async Task More_suggestions_than_asked_for_are_cut_to_the_count()
    {
        var suggestions = await Suggest(Answer((Fox + ", a", "A."), (Fox + ", b", "B."), (Fox + ", c", "C.")), count: 2);

        suggestions.Select(s => s.Prompt).ShouldBe([Fox + ", a", Fox + ", b"]);
    }

    [Fact]
    public async Task Empty_unchanged_and_repeated_prompts_are_dropped_and_the_rest_kept()
    {
        var suggestions = await Suggest(Answer(
            ("   ", "Nothing."),
            ("A red fox in the  snow", "The same."),
            (Fox + ", golden hour", "Adds light."),
            (Fox + ",  golden hour", "Adds light again."),
            (Fox + ", close-up", "Frames it.")), count: 5);

        suggestions.Select(s => s.Prompt).ShouldBe([Fox + ", golden hour", Fox + ", close-up"]);
    }

    [Fact]
    public async Task Prompts_are_put_on_one_line_and_stripped_of_wrapping_quotes_but_text_to_write_keeps_its_quotes()
    {
        var suggestions = await Suggest(Answer(
            ("\"" + Fox + ",\n golden hour\"", "Adds light."),
            ("a sign that says \"OPEN\", neon", "Quotes the text.")), "a sign that says OPEN");

        suggestions.Select(s => s.Prompt).ShouldBe([Fox + ", golden hour", "a sign that says \"OPEN\", neon"]);
    }

    [Fact]
    public async Task A_reason_is_cut_to_its_first_line_and_to_one_line_of_reasonable_length()
    {
        var suggestions = await Suggest(Answer(
            (Fox + ", golden hour", "Adds warm light.\nAlso, here is a long explanation of colour theory."),
            (Fox + ", close-up", string.Join(' ', Enumerable.Repeat("framing matters", 40))),
            (Fox + ", watercolor", "  ")));

        suggestions[0].Reason.ShouldBe("Adds warm light.");
        suggestions[1].Reason.Length.ShouldBeLessThanOrEqualTo(ModelPromptRefiner.MaxReasonLength);
        suggestions[1].Reason.ShouldStartWith("framing matters framing matters");
        suggestions[1].Reason.ShouldEndWith("…");
        suggestions[2].Reason.ShouldBe("Suggested by OpenAI gpt-4o, without a reason.");
    }

    [Fact]
    public async Task Negations_the_model_moved_out_of_the_prompt_are_reported_for_the_negative_prompt()
    {
        var suggestions = await Suggest(Answer(
            ("a quiet beach at dawn, soft light", "Moves \"no people\" to the negative prompt."),
            ("a quiet beach at dawn, no people, wide shot", "Adds framing.")), "a quiet beach at dawn, no people");

        suggestions[0].Negative.ShouldBe("people");
        suggestions[1].Negative.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"suggestions": []}""", "OpenAI (gpt-4o) gave prompt suggestions with no suggestions; try again, or unset Language:Prompter to use the built-in rules.")]
    [InlineData("""{"ideas": []}""", "OpenAI (gpt-4o) gave prompt suggestions without \"suggestions\".")]
    [InlineData("""{"suggestions": "a red fox, at dawn"}""", "OpenAI (gpt-4o) gave prompt suggestions whose \"suggestions\" is not a list.")]
    [InlineData("not json", "OpenAI (gpt-4o) gave prompt suggestions that is not JSON")]
    public async Task An_answer_without_suggestions_is_a_clear_provider_error(string answer, string message)
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Suggest(answer));
        error.Message.ShouldStartWith(message);
        error.Provider.ShouldBe("OpenAI");
    }

    [Fact]
    public async Task An_answer_with_nothing_usable_says_what_was_wrong_with_it()
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Suggest(Answer(("", "Empty."), (Fox, "Unchanged."), (Fox.ToUpperInvariant(), "Shouting."))));

        error.Message.ShouldBe("OpenAI (gpt-4o) gave prompt suggestions with nothing usable (1 empty, 2 the prompt unchanged); try again, or unset Language:Prompter to use the built-in rules.");
    }

    [Fact]
    public async Task A_prompt_over_the_limit_is_not_a_usable_suggestion()
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Suggest(Answer((Fox + new string('!', OrderSpec.MaxPromptLength), "Emphasis."))));
        error.Message.ShouldContain($"1 over {OrderSpec.MaxPromptLength} characters");
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData(Fox, 0)]
    [InlineData(Fox, 11)]
    public async Task Bad_arguments_are_refused_before_the_model_is_asked(string prompt, int count)
    {
        var model = new ScriptedLanguageModel();
        await Should.ThrowAsync<ArgumentException>(() => new ModelPromptRefiner(model).SuggestAsync(prompt, count, Ct));
        model.Requests.ShouldBeEmpty();
    }
}
