using System.Text.Json;
using Easel.Core.Generation;
using Easel.Core.Language;
using Easel.Core.Quality;

namespace Easel.Core.Tests.Language;

public sealed class ModelEvaluatorTests
{
    private static readonly Preset Jewelry = PresetCatalog.Load().Get("jewelry");

    private static readonly byte[] Image = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EvaluationRequest Request(Preset? preset = null, string? style = null, string? negative = null) =>
        new(Image, "image/png", "a red fox in the snow, vivid orange fur", "a red fox in the snow", negative,
            new ImageSize(1024, 1024), "16:9", style, Background.Opaque, preset);

    private static string Answer(object score, string feedback = "Make the fur redder.", string criteria = """[{"name":"subject","score":60,"passed":false,"comment":"the fox is brown","suggestion":"vivid red fur"}]""") =>
        $$"""{"criteria":{{criteria}},"feedback":{{JsonSerializer.Serialize(feedback)}},"score":{{score}}}""";

    private static Task<Evaluation> Evaluate(string answer, EvaluationRequest? request = null) =>
        new ModelEvaluator(new ScriptedLanguageModel(answer)).EvaluateAsync(request ?? Request(), Ct);

    [Fact]
    public void Is_named_after_the_vendor_and_model() =>
        new ModelEvaluator(new ScriptedLanguageModel()).Name.ShouldBe("openai:gpt-4o");

    [Fact]
    public async Task Shows_the_model_the_image_and_judges_by_the_users_words()
    {
        var model = new ScriptedLanguageModel(Answer(80));
        await new ModelEvaluator(model).EvaluateAsync(Request(negative: "text, watermark"), Ct);

        var sent = model.Last;
        sent.Images.ShouldHaveSingleItem().Bytes.ShouldBe(Image);
        sent.Images[0].MediaType.ShouldBe("image/png");
        sent.Text.ShouldContain("The user asked for: \"a red fox in the snow\"");
        sent.Text.ShouldContain("made from this prompt: \"a red fox in the snow, vivid orange fur\"");
        sent.Text.ShouldContain("It must not show: text, watermark");
        sent.Text.ShouldContain("16:9");
        foreach (var name in new[] { "subject", "details", "composition", "quality" })
            sent.Text.ShouldContain($"- {name}: ");
        sent.Instructions.ShouldContain("the user's words decide");
        sent.Schema.Name.ShouldBe("critique");
    }

    [Fact]
    public async Task A_preset_brings_its_instructions_and_its_criteria_with_their_weights()
    {
        var model = new ScriptedLanguageModel(Answer(80));
        await new ModelEvaluator(model).EvaluateAsync(Request(Jewelry, style: "studio photograph"), Ct);

        model.Last.Instructions.ShouldContain($"The order uses the preset \"jewelry\": {Jewelry.Description}\n{Jewelry.EvaluatorInstructions}");
        foreach (var criterion in Jewelry.Criteria)
            model.Last.Text.ShouldContain($"- preset:{criterion.Name}: {criterion.Description.TrimEnd('.')}");
        model.Last.Text.ShouldContain("- preset:sparkle: Stones and polished metal show crisp, bright specular highlights rather than a dull, flat finish (weight 2)");
        model.Last.Text.ShouldContain("- style: the image looks studio photograph");
    }

    [Fact]
    public async Task Reads_the_score_the_criteria_and_the_feedback_and_leaves_nothing_unchecked()
    {
        var evaluation = await Evaluate(Answer(72, "The stones are dull; ask for brilliant sparkle.", """
            [{"name":"subject","score":90,"passed":true,"comment":"a gold ring with a diamond","suggestion":""},
             {"name":"Sparkle","score":40,"passed":false,"comment":"the diamond looks flat","suggestion":"brilliant sparkle"},
             {"name":"preset:clean_background","score":85,"passed":true,"comment":"plain white","suggestion":"  "}]
            """), Request(Jewelry));

        evaluation.Score.ShouldBe(72);
        evaluation.Feedback.ShouldBe("The stones are dull; ask for brilliant sparkle.");
        evaluation.Unchecked.ShouldBeEmpty("a vision model looks at the image");
        evaluation.Evaluator.ShouldBe("openai:gpt-4o");
        evaluation.Error.ShouldBeNull();
        evaluation.Criteria.ShouldBe(
        [
            new CriterionResult("subject", 90, true, "a gold ring with a diamond"),
            new CriterionResult("preset:sparkle", 40, false, "the diamond looks flat", "brilliant sparkle"),
            new CriterionResult("preset:clean_background", 85, true, "plain white"),
        ]);
    }

    [Theory]
    [InlineData("140", 100)]
    [InlineData("-5", 0)]
    [InlineData("87.5", 88)]
    [InlineData("\"75\"", 75)]
    [InlineData("\"82/100\"", 82)]
    public async Task Scores_are_read_leniently_and_kept_between_0_and_100(string written, int expected)
    {
        var evaluation = await Evaluate(Answer(written, criteria: $$"""[{"name":"subject","score":{{written}},"passed":true,"comment":"","suggestion":""}]"""));
        evaluation.Score.ShouldBe(expected);
        evaluation.Criteria.ShouldHaveSingleItem().Score.ShouldBe(expected);
    }

    [Theory]
    [InlineData("score", """{"criteria":[],"feedback":"fine"}""")]
    [InlineData("feedback", """{"criteria":[],"score":80}""")]
    [InlineData("criteria", """{"feedback":"fine","score":80}""")]
    [InlineData("score", """{"criteria":[],"feedback":"fine","score":null}""")]
    public async Task A_missing_field_is_a_clear_error_naming_it(string field, string answer)
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Evaluate(answer));
        error.Message.ShouldBe($"OpenAI (gpt-4o) gave an evaluation without \"{field}\".");
        error.Kind.ShouldBe(ProviderErrorKind.Failed);
        error.Provider.ShouldBe("OpenAI");
    }

    [Theory]
    [InlineData("The image is great, 9/10.", "OpenAI (gpt-4o) gave an evaluation that is not JSON")]
    [InlineData("[80]", "OpenAI (gpt-4o) gave an evaluation that is not a JSON object (it is an array)")]
    [InlineData("""{"criteria":[],"feedback":"fine","score":"excellent"}""", "OpenAI (gpt-4o) gave an evaluation whose \"score\" is not a number (\"excellent\")")]
    [InlineData("""{"criteria":"all good","feedback":"fine","score":80}""", "OpenAI (gpt-4o) gave an evaluation whose \"criteria\" is not a list")]
    [InlineData("""{"criteria":[{"score":80}],"feedback":"fine","score":80}""", "OpenAI (gpt-4o) gave an evaluation whose criterion 1 has no \"name\"")]
    [InlineData("""{"criteria":[{"name":"subject"}],"feedback":"fine","score":80}""", "OpenAI (gpt-4o) gave an evaluation whose criterion \"subject\" has no \"score\"")]
    public async Task An_answer_that_cannot_be_read_says_what_is_wrong(string answer, string message)
    {
        var error = await Should.ThrowAsync<ProviderException>(() => Evaluate(answer));
        error.Message.ShouldStartWith(message);
    }

    [Fact]
    public async Task Json_in_a_code_fence_is_read()
    {
        var evaluation = await Evaluate("```json\n" + Answer(64) + "\n```");
        evaluation.Score.ShouldBe(64);
    }

    [Fact]
    public async Task A_criterion_without_a_verdict_passes_by_its_score()
    {
        var evaluation = await Evaluate(Answer(70, criteria: """[{"name":"subject","score":75},{"name":"quality","score":50,"passed":"no"}]"""));
        evaluation.Criteria.Select(c => (c.Name, c.Passed, c.Comment, c.Suggestion)).ShouldBe([("subject", true, "", null), ("quality", false, "", null)]);
    }

    [Fact]
    public async Task Empty_feedback_is_made_from_the_failing_criteria()
    {
        var evaluation = await Evaluate(Answer(55, "", """
            [{"name":"subject","score":60,"passed":false,"comment":"the fox is brown","suggestion":"vivid red fur"},
             {"name":"quality","score":30,"passed":false,"comment":"blurry","suggestion":""}]
            """));
        evaluation.Feedback.ShouldBe("quality: blurry. subject: the fox is brown (try \"vivid red fur\").");
    }

    [Fact]
    public async Task The_same_criterion_twice_counts_once()
    {
        var evaluation = await Evaluate(Answer(70, criteria: """[{"name":"subject","score":75},{"name":"Subject","score":20}]"""));
        evaluation.Criteria.ShouldHaveSingleItem().Score.ShouldBe(75);
    }

    [Fact]
    public async Task Without_an_image_there_is_nothing_to_judge()
    {
        var model = new ScriptedLanguageModel(Answer(80));
        var error = await Should.ThrowAsync<ArgumentException>(() => new ModelEvaluator(model).EvaluateAsync(Request() with { Image = [] }, Ct));
        error.Message.ShouldStartWith("There is no image to evaluate.");
        model.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void The_schema_is_one_every_vendor_accepts_in_strict_mode()
    {
        using var doc = JsonDocument.Parse(ModelEvaluator.Schema.Json);
        StrictSchema.Check(doc.RootElement);
        doc.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["criteria", "feedback", "score"]);
    }

    [Fact]
    public async Task An_image_larger_than_a_vision_model_takes_is_scaled_down_first()
    {
        var model = new ScriptedLanguageModel("""{"score": 80, "feedback": "fine", "criteria": []}""");
        var big = Imaging.Png.PngEncoder.Encode(new Imaging.RgbaImage(4096, 2048));
        await new ModelEvaluator(model).EvaluateAsync(Request() with { Image = big, MediaType = "image/png" }, Ct);
        var sent = Imaging.Png.PngDecoder.ReadInfo(model.Last.Images.Single().Bytes);
        (sent.Width, sent.Height).ShouldBe((ModelEvaluator.LongestVisionEdge, 784));
    }
}

/// <summary>OpenAI's strict-mode rules: every object closes its properties and requires them all.</summary>
internal static class StrictSchema
{
    public static void Check(JsonElement schema)
    {
        if (schema.TryGetProperty("properties", out var properties))
        {
            schema.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
            var required = schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToHashSet();
            foreach (var property in properties.EnumerateObject())
            {
                required.ShouldContain(property.Name);
                Check(property.Value);
            }
        }
        if (schema.TryGetProperty("items", out var items))
            Check(items);
    }

}
