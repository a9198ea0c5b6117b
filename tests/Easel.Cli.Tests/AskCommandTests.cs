using System.Text.Json;
using Easel.Providers.Tests.Fakes;
using Easel.Providers.Tests.Language;

namespace Easel.Cli.Tests;

/// <summary>`easel ask` without a language model: the offline parser, then the same order and approval flow as `easel generate`.</summary>
public sealed class AskOfflineTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_plain_request_becomes_the_order_it_describes()
    {
        var run = await _cli.RunAsync("ask", "Generate 2 images of cats in watercolor style at 16:9, no text, seed 7", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("Understood:");

        var json = run.Json();
        json.GetProperty("status").GetString().ShouldBe("completed");
        json.GetProperty("images").GetArrayLength().ShouldBe(2);
        var show = await _cli.RunAsync("orders", "show", json.GetProperty("order_id").GetString()!, "--json");
        show.ExitCode.ShouldBe(0, show.ToString());
        var order = show.Json();
        order.GetProperty("prompt").GetString().ShouldBe("cats");
        order.GetProperty("negative_prompt").GetString().ShouldBe("text");
        order.GetProperty("style").GetString().ShouldBe("watercolor");
        var image = json.GetProperty("images")[0];
        (image.GetProperty("width").GetInt32() / (double)image.GetProperty("height").GetInt32()).ShouldBe(16 / 9.0, 0.05, "16:9, rounded to whole blocks of pixels");
        json.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("seed").GetInt64()).ShouldBe([7L, 8L]);
    }

    [Fact]
    public async Task A_large_order_waits_for_a_person_exactly_as_generate_does()
    {
        var run = await _cli.RunAsync("ask", "six images of a lighthouse at dusk", "--json");
        run.ExitCode.ShouldBe(3, run.ToString());
        var json = run.Json();
        json.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        var requestId = json.GetProperty("approval").GetProperty("request_id").GetString()!;

        var approve = await _cli.RunAsync("approve", requestId, "--json");
        approve.ExitCode.ShouldBe(0, approve.ToString());
        approve.Json().GetProperty("images").GetArrayLength().ShouldBe(6);
    }

    [Fact]
    public async Task A_request_without_a_count_asks_how_many_instead_of_guessing()
    {
        var run = await _cli.RunAsync("ask", "images of cats");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("How many");

        var json = await _cli.RunAsync("ask", "images of cats", "--json");
        json.ExitCode.ShouldBe(2);
        json.Json().GetProperty("question").GetString().ShouldNotBeNullOrWhiteSpace();

        (await _cli.RunAsync("orders", "--json")).Stdout.ShouldNotContain("cats", customMessage: "nothing is ordered before the question is answered");
    }

    [Fact]
    public async Task An_empty_request_is_a_usage_error()
    {
        var run = await _cli.RunAsync("ask", "   ");
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("The request is empty");
    }

    [Fact]
    public async Task A_request_the_order_rules_refuse_names_what_is_wrong_and_orders_nothing()
    {
        var run = await _cli.RunAsync("ask", "5000 images of cats");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("Count must be between 1 and 1000; got 5000.");
    }
}

/// <summary>
/// `easel ask` with <c>Language:Agent</c> set, against each vendor's fake server: the model's
/// scripted tool calls place the order, mistakes are answered so the model can correct them, and
/// nothing the model does can approve an order.
/// </summary>
public sealed class AskWithModelTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly List<IAsyncDisposable> _fakes = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var fake in _fakes)
            await fake.DisposeAsync();
        _cli.Dispose();
    }

    public static TheoryData<string> Vendors => ["openai", "anthropic", "gemini", "ollama"];

    private async Task<ILanguageFake> ModelAsync(string vendor)
    {
        ILanguageFake fake = vendor switch
        {
            "openai" => await OpenAIChatFake.StartAsync(),
            "anthropic" => await AnthropicFake.StartAsync(),
            "gemini" => await GeminiChatFake.StartAsync(),
            _ => await OllamaFake.StartAsync(),
        };
        _fakes.Add(fake);
        _cli.Environment[$"EASEL_Providers__{vendor}__BaseUrl"] = fake.Server.BaseUrl.ToString();
        if (vendor != "ollama")
            _cli.Environment[$"EASEL_Providers__{vendor}__ApiKey"] = OpenAIChatFake.Key;
        _cli.Environment["EASEL_Language__Agent__Provider"] = vendor;
        return fake;
    }

    private static FakeToolCall Call(string name, string arguments) => new(name, arguments);

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task The_model_plans_and_places_the_order_with_tool_calls(string vendor)
    {
        var model = await ModelAsync(vendor);
        const string order = """{"prompt": "cats", "count": 2, "style": "watercolor", "aspect_ratio": "16:9", "negative_prompt": "text"}""";
        model.CallTools([Call("plan_order", order)]);
        model.CallTools([Call("create_order", order)]);
        model.Answer("I ordered 2 watercolor images of cats at 16:9 without text.");

        var run = await _cli.RunAsync("ask", "Generate 2 images of cats in watercolor style at 16:9, no text", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("plan_order: 2 images of \"cats\" on sketch");
        run.Stderr.ShouldContain("create_order: order ");
        var json = run.Json();
        json.GetProperty("status").GetString().ShouldBe("completed");
        json.GetProperty("images").GetArrayLength().ShouldBe(2);

        var calls = model.Calls.ToList();
        calls.Count.ShouldBe(3);
        calls[0].Tools.ShouldBe(["plan_order", "estimate_cost", "create_order", "search_gallery", "refine_prompt"]);
        calls[0].System.ShouldContain("You cannot approve anything");
        calls[0].User.ShouldContain("Generate 2 images of cats");
        var plan = calls[1].ToolResults[^1];
        plan.Name.ShouldBe("plan_order");
        plan.Text().ShouldContain("\"needs_approval\":false");
        var created = calls[2].ToolResults[^1];
        created.Text().ShouldContain(json.GetProperty("order_id").GetString()!);

        var show = (await _cli.RunAsync("orders", "show", json.GetProperty("order_id").GetString()!, "--json")).Json();
        show.GetProperty("style").GetString().ShouldBe("watercolor");
        show.GetProperty("negative_prompt").GetString().ShouldBe("text");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task A_model_calling_a_tool_that_does_not_exist_is_told_so_and_cannot_approve(string vendor)
    {
        var model = await ModelAsync(vendor);
        model.CallTools([Call("create_order", """{"prompt": "a lighthouse at dusk", "count": 6}""")]);
        model.CallTools([Call("approve_order", """{"order_id": "whatever"}""")]);
        model.Answer("Your order of 6 images is placed.");

        var run = await _cli.RunAsync("ask", "six images of a lighthouse at dusk", "--json");
        run.ExitCode.ShouldBe(3, run.ToString());
        var json = run.Json();
        json.GetProperty("status").GetString().ShouldBe("awaiting_approval", "only a person can approve");
        run.Stderr.ShouldContain("approve_order: refused: There is no tool called 'approve_order'");

        var told = model.Calls.ToList()[2].ToolResults[^1];
        told.Name.ShouldBe("approve_order");
        told.Text().ShouldContain("There is no tool called 'approve_order'");
        told.Text().ShouldContain("approving an order is a person's decision");
        var created = model.Calls.ToList()[1].ToolResults[^1].Text();
        created.ShouldContain("\"approval_request_id\"");
        created.ShouldContain("You cannot approve it");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Bad_arguments_are_answered_field_by_field_and_the_corrected_call_goes_through(string vendor)
    {
        var model = await ModelAsync(vendor);
        model.CallTools([Call("create_order", """{"prompt": "a fox", "count": "many", "colour": "red"}""")]);
        model.CallTools([Call("create_order", """{"prompt": "a fox", "count": 0, "style": "oil painting", "aspect_ratio": "wide"}""")]);
        model.CallTools([Call("create_order", """{"prompt": "a fox", "count": 1, "style": "flat"}""")]);
        model.Answer("Done: one flat image of a fox.");

        var run = await _cli.RunAsync("ask", "a flat picture of a fox", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Json().GetProperty("images").GetArrayLength().ShouldBe(1);

        var calls = model.Calls.ToList();
        calls[1].ToolResults[^1].Text().ShouldContain("'colour' is not an argument of this tool");
        var fields = calls[2].ToolResults[^1].Text();
        fields.ShouldContain("Count must be between 1 and 1000; got 0.");
        fields.ShouldContain("Unknown style 'oil painting'");
        fields.ShouldContain("\"aspect_ratio\"");
        (await _cli.RunAsync("orders", "--json")).Json().GetProperty("orders").GetArrayLength().ShouldBe(1, "the refused calls placed nothing");
    }

    [Fact]
    public async Task Arguments_that_are_not_JSON_are_answered_so_the_model_can_resend_them()
    {
        var model = await ModelAsync("openai");
        model.CallTools([Call("create_order", """{"prompt": "a fox", "count": 1""")]);
        model.CallTools([Call("create_order", """{"prompt": "a fox", "count": 1}""")]);
        model.Answer("Ordered.");

        var run = await _cli.RunAsync("ask", "one image of a fox", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        model.Calls.ToList()[1].ToolResults[^1].Text().ShouldContain("were not a JSON object");
    }

    [Fact]
    public async Task A_model_that_asks_a_question_gets_it_to_the_person_and_nothing_is_ordered()
    {
        var model = await ModelAsync("ollama");
        model.Answer("How many images of cats would you like?");

        var run = await _cli.RunAsync("ask", "cats please", "--json");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Json().GetProperty("question").GetString().ShouldBe("How many images of cats would you like?");
        (await _cli.RunAsync("orders", "--json")).Json().GetProperty("orders").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task The_person_answers_the_models_question_in_a_terminal_and_the_conversation_goes_on()
    {
        var model = await ModelAsync("ollama");
        model.Answer("How many images would you like?");
        model.CallTools([Call("create_order", """{"prompt": "cats", "count": 2}""")]);
        model.Answer("Ordered 2 images of cats.");

        var (run, _) = await _cli.RunInTerminalAsync([ConsoleKey.D2, ConsoleKey.Enter], "ask", "cats please");
        run.ExitCode.ShouldBe(0, run.ToString());
        var calls = model.Calls.ToList();
        calls.Count.ShouldBe(3);
        calls[1].User.ShouldContain("2");
    }

    [Fact]
    public async Task A_model_that_never_stops_calling_tools_is_stopped_and_nothing_runs_away()
    {
        var model = await ModelAsync("ollama");
        for (var i = 0; i < 20; i++)
            model.CallTools([Call("estimate_cost", """{"prompt": "cats", "count": 2}""")]);

        var run = await _cli.RunAsync("ask", "two images of cats");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("still calling tools after 12 steps");
        model.Calls.Count.ShouldBe(12);
    }

    [Fact]
    public async Task Offline_reads_the_request_without_the_configured_model()
    {
        var model = await ModelAsync("ollama");
        var run = await _cli.RunAsync("ask", "one image of a fox", "--offline", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        model.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_gallery_question_is_answered_in_words()
    {
        (await _cli.RunAsync("generate", "a red fox in the snow", "--json")).ExitCode.ShouldBe(0);
        var model = await ModelAsync("ollama");
        model.CallTools([Call("search_gallery", """{"query": "fox", "limit": 5}""")]);
        model.Answer("You made one image of a red fox in the snow.");

        var run = await _cli.RunAsync("ask", "show me the foxes I made");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("You made one image of a red fox in the snow.");
        var found = JsonDocument.Parse(model.Calls.ToList()[1].ToolResults[^1].Text()).RootElement;
        found.GetProperty("count").GetInt32().ShouldBe(1);
        found.GetProperty("images")[0].GetProperty("prompt").GetString().ShouldBe("a red fox in the snow");
    }
}

internal static class ToolResultText
{
    private static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What the model was told, with JSON escapes undone: some vendors carry results as JSON objects, re-encoded on the wire.</summary>
    public static string Text(this FakeToolResult result)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(result.Content)?.ToJsonString(Plain) ?? result.Content;
        }
        catch (JsonException)
        {
            return result.Content;
        }
    }
}
