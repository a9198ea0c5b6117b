using System.Text.Json;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Core.Quality;

namespace Easel.Core.Tests.Language;

public sealed class ModelPrompterTests
{
    private const string Fox = "a red fox in the snow";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Evaluation Critique = new(58,
    [
        new CriterionResult("subject", 45, false, "the fox is brown, not red", "vivid red fur"),
        new CriterionResult("quality", 30, false, "the snow is blurry", "sharp focus"),
        new CriterionResult("composition", 85, true, "well framed"),
    ], "The fox is brown and the image is soft: ask for vivid red fur and sharp focus.", [], "openai:gpt-4o");

    private static RefineRequest Request(string original = Fox, string? current = null, Preset? preset = null) =>
        new(original, current ?? original, Critique, 2, preset);

    private static string Answer(string prompt) => $$"""{"prompt":{{JsonSerializer.Serialize(prompt)}}}""";

    private static Task<string> Refine(string rewrite, string original = Fox) =>
        new ModelPrompter(new ScriptedLanguageModel(Answer(rewrite))).RefineAsync(Request(original), Ct);

    [Fact]
    public void Is_named_after_the_vendor_and_model() =>
        new ModelPrompter(new ScriptedLanguageModel()).Name.ShouldBe("openai:gpt-4o");

    [Fact]
    public async Task Tells_the_model_the_users_words_the_critique_and_the_presets_instructions()
    {
        var preset = PresetCatalog.Load().Get("jewelry");
        var model = new ScriptedLanguageModel(Answer(Fox + ", vivid red fur"));
        await new ModelPrompter(model).RefineAsync(Request(current: Fox + ", soft light", preset: preset), Ct);

        var sent = model.Last;
        sent.Images.ShouldBeEmpty();
        sent.Schema.Name.ShouldBe("refined_prompt");
        sent.Text.ShouldContain($"The user's prompt: \"{Fox}\"");
        sent.Text.ShouldContain($"The last image was made from: \"{Fox}, soft light\"");
        sent.Text.ShouldContain("Its score: 58 out of 100.");
        sent.Text.ShouldContain("Critique: The fox is brown and the image is soft");
        sent.Text.IndexOf("- quality (30)", StringComparison.Ordinal).ShouldBeLessThan(sent.Text.IndexOf("- subject (45)", StringComparison.Ordinal), "worst first");
        sent.Text.ShouldContain("- subject (45): the fox is brown, not red. Suggested words: vivid red fur");
        sent.Text.ShouldContain("Criteria that passed (keep what achieves them): composition");
        sent.Instructions.ShouldContain("Start with the user's text exactly as they wrote it");
        foreach (var line in preset.PrompterInstructions)
            sent.Instructions.ShouldContain(line);
    }

    [Fact]
    public async Task A_rewrite_that_starts_with_the_users_text_is_kept() =>
        (await Refine(Fox + ", vivid red fur, sharp focus, golden hour")).ShouldBe(Fox + ", vivid red fur, sharp focus, golden hour");

    [Fact]
    public async Task A_rewrite_that_continues_the_users_sentence_is_kept_with_the_users_own_spelling() =>
        (await Refine("A Red Fox in the snow at golden hour, vivid red fur")).ShouldBe(Fox + " at golden hour, vivid red fur");

    [Fact]
    public async Task A_rewrite_that_drops_the_users_text_gets_it_back_in_front() =>
        (await Refine("a vivid orange fox standing in deep snow, sharp focus")).ShouldBe(Fox + ", a vivid orange fox standing in deep snow, sharp focus");

    [Fact]
    public async Task A_rewrite_that_moves_the_users_phrase_back_has_it_moved_to_the_front() =>
        (await Refine("golden hour light, A red fox in the snow, sharp focus")).ShouldBe(Fox + ", golden hour light, sharp focus");

    [Fact]
    public async Task A_rewrite_that_buries_the_users_words_in_a_sentence_follows_them_whole() =>
        (await Refine("Photo of a red fox in the snow at dusk")).ShouldBe(Fox + ", Photo of a red fox in the snow at dusk");

    [Fact]
    public async Task A_user_text_ending_in_a_full_stop_keeps_it() =>
        (await Refine("A red fox. Sharp focus, vivid fur.", "A red fox.")).ShouldBe("A red fox. Sharp focus, vivid fur.");

    [Fact]
    public async Task Quotes_and_labels_around_the_prompt_are_taken_off() =>
        (await Refine($"Prompt: \"{Fox}, sharp focus\"")).ShouldBe(Fox + ", sharp focus");

    [Fact]
    public async Task A_rewrite_that_only_repeats_the_user_gives_the_users_text() =>
        (await Refine("A red fox in the snow.")).ShouldBe(Fox);

    [Fact]
    public async Task An_overlong_rewrite_is_cut_at_a_phrase_and_keeps_the_users_text_whole()
    {
        var rewrite = Fox + string.Concat(Enumerable.Range(0, 400).Select(i => $", detail number {i}"));
        var prompt = await Refine(rewrite);
        prompt.ShouldStartWith(Fox + ", detail number 0");
        prompt.Length.ShouldBeLessThanOrEqualTo(ModelPrompter.SoftMaxLength + ModelPrompter.HardAllowance);
        prompt.ShouldMatch(@"detail number \d+$");
    }

    [Fact]
    public async Task Without_a_prompt_in_the_answer_the_error_says_so()
    {
        var error = await Should.ThrowAsync<ProviderException>(() =>
            new ModelPrompter(new ScriptedLanguageModel("""{"text":"a red fox"}""")).RefineAsync(Request(), Ct));
        error.Message.ShouldBe("OpenAI (gpt-4o) gave a prompt without \"prompt\".");
    }

    [Fact]
    public async Task An_empty_prompt_is_an_error_not_a_refinement()
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Refine("  "));
        error.Message.ShouldBe("OpenAI (gpt-4o) gave a prompt that is empty.");
    }

    [Fact]
    public async Task Nothing_to_refine_is_refused_before_asking_the_model()
    {
        var model = new ScriptedLanguageModel(Answer("anything"));
        await Should.ThrowAsync<ArgumentException>(() => new ModelPrompter(model).RefineAsync(Request(" ", " "), Ct));
        model.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void The_schema_is_one_every_vendor_accepts_in_strict_mode()
    {
        using var doc = JsonDocument.Parse(ModelPrompter.Schema.Json);
        StrictSchema.Check(doc.RootElement);
    }
}
