using System.Text.Json;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Cli.Tests;

/// <summary>`easel refine`: prompt suggestions from the built-in rules, or from the Language:Prompter model.</summary>
public sealed class RefineCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Prints_numbered_suggestions_with_reasons_and_how_to_use_the_first()
    {
        var run = await _cli.RunAsync("refine", "a cat");
        run.ExitCode.ShouldBe(0, run.ToString());

        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        lines[0].ShouldBe("Suggestions from built-in rules, best first:");
        var numbered = lines.Where(l => l.Length > 3 && l[..3] is " 1." or " 2." or " 3." or " 4.").ToList();
        numbered.Select(l => l[..3]).ShouldBe([" 1.", " 2.", " 3."]);
        numbered.ShouldAllBe(l => l.Substring(3).StartsWith(" a cat "));
        var first = numbered[0][4..];
        lines[lines.IndexOf(numbered[0]) + 1].ShouldBe("    Adds a setting, a medium, lighting and framing: a 2-word prompt leaves them to chance.");
        lines.ShouldContain($"Use one: easel generate \"{first}\"");
        run.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_negation_moved_out_of_the_prompt_shows_up_as_negative_in_the_command_to_use()
    {
        var run = await _cli.RunAsync("refine", "a quiet beach at dawn, no people", "-n", "1");
        run.ExitCode.ShouldBe(0, run.ToString());

        run.Stdout.ShouldContain("Moves \"no people\" to --negative \"people\"");
        run.Stdout.ShouldContain("Use one: easel generate \"a quiet beach at dawn, landscape photograph, wide shot\" --negative \"people\"");
    }

    [Fact]
    public async Task A_suggestion_with_quoted_text_is_single_quoted_for_the_shell()
    {
        var run = await _cli.RunAsync("refine", "a bakery sign that says Fresh Bread", "-n", "1");
        run.ExitCode.ShouldBe(0, run.ToString());

        run.Stdout.ShouldContain("Use one: easel generate 'a bakery sign that says \"Fresh Bread\"");
    }

    [Fact]
    public async Task Json_prints_the_prompt_the_source_and_each_suggestion()
    {
        var run = await _cli.RunAsync("refine", "  a street with no cars at night ", "--json", "-n", "4");
        run.ExitCode.ShouldBe(0, run.ToString());

        var json = run.Json();
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["prompt", "source", "suggestions"]);
        json.GetProperty("prompt").GetString().ShouldBe("a street with no cars at night");
        json.GetProperty("source").GetString().ShouldBe("built-in rules");
        var suggestions = json.GetProperty("suggestions").EnumerateArray().ToList();
        suggestions.Count.ShouldBe(4);
        foreach (var s in suggestions)
        {
            s.EnumerateObject().Select(p => p.Name).ShouldBe(["prompt", "reason", "negative"]);
            s.GetProperty("prompt").GetString().ShouldStartWith("a street at night");
            s.GetProperty("reason").GetString().ShouldNotBeNullOrWhiteSpace();
            s.GetProperty("negative").GetString().ShouldBe("cars");
        }
        run.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task Json_has_a_null_negative_when_nothing_was_moved()
    {
        var run = await _cli.RunAsync("refine", "a cat", "--json", "-n", "1");
        run.ExitCode.ShouldBe(0, run.ToString());

        run.Json().GetProperty("suggestions")[0].GetProperty("negative").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    public async Task A_count_outside_one_to_ten_is_a_usage_error(string count)
    {
        var run = await _cli.RunAsync("refine", "a cat", "-n", count);

        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldContain($"--count must be between 1 and 10; got {count}.");
        run.Stderr.ShouldContain("Run 'easel refine --help' for usage.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_prompt_is_a_usage_error(string prompt)
    {
        var run = await _cli.RunAsync("refine", prompt);

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("The prompt is empty: say what the image should show, e.g. easel refine \"a red fox in the snow\".");
    }
}

/// <summary>`easel refine` with <c>Language:Prompter</c> naming a model, against Ollama's fake server.</summary>
public sealed class ModelRefineCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private OllamaFake _ollama = null!;

    public async ValueTask InitializeAsync()
    {
        _ollama = await OllamaFake.StartAsync();
        _cli.Environment["EASEL_Providers__ollama__BaseUrl"] = _ollama.Server.BaseUrl.ToString();
        _cli.Environment["EASEL_Language__Prompter__Provider"] = "ollama";
        _cli.Environment["EASEL_Language__Prompter__Model"] = "gemma3";
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task The_configured_model_writes_the_suggestions()
    {
        _ollama.Answer("""
            {"suggestions": [
              {"prompt": "a lighthouse at dusk, oil painting, crashing waves", "reason": "Names a medium and adds motion."},
              {"prompt": "a lighthouse at dusk, wide shot, warm lit windows", "reason": "Frames it and adds a warm accent."}
            ]}
            """);
        var run = await _cli.RunAsync("refine", "a lighthouse at dusk", "-n", "2");
        run.ExitCode.ShouldBe(0, run.ToString());

        run.Stdout.ShouldContain("Suggestions from Ollama gemma3, best first:");
        run.Stdout.ShouldContain(" 1. a lighthouse at dusk, oil painting, crashing waves\n    Names a medium and adds motion.");
        run.Stdout.ShouldContain(" 2. a lighthouse at dusk, wide shot, warm lit windows\n    Frames it and adds a warm accent.");
        run.Stdout.ShouldContain("Use one: easel generate \"a lighthouse at dusk, oil painting, crashing waves\"");

        var call = _ollama.Calls.ShouldHaveSingleItem();
        call.Model.ShouldBe("gemma3");
        call.User.ShouldContain("The user's prompt: \"a lighthouse at dusk\"");
        call.User.ShouldContain("Write 2 suggestions");
        call.Schema["properties"]!["suggestions"]!["type"]!.GetValue<string>().ShouldBe("array");
    }

    [Fact]
    public async Task Json_names_the_model_as_the_source()
    {
        _ollama.Answer("""{"suggestions": [{"prompt": "a fox, watercolor", "reason": "Names a medium."}]}""");
        var run = await _cli.RunAsync("refine", "a fox", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());

        var json = run.Json();
        json.GetProperty("source").GetString().ShouldBe("Ollama gemma3");
        json.GetProperty("suggestions").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task A_model_that_rejects_the_request_is_one_clear_line_and_a_failure()
    {
        _ollama.Next(FakeScenario.Invalid);
        var run = await _cli.RunAsync("refine", "a fox");

        run.ExitCode.ShouldBe(1);
        run.Stdout.ShouldBeEmpty();
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldHaveSingleItem().ShouldStartWith("error: Ollama rejected the request (400)");
    }

    [Fact]
    public async Task An_answer_with_nothing_usable_is_a_failure_that_says_so()
    {
        _ollama.Answer("""{"suggestions": [{"prompt": "a fox", "reason": "Perfect as it is."}]}""");
        var run = await _cli.RunAsync("refine", "a fox");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("gave prompt suggestions with nothing usable (1 the prompt unchanged); try again, or unset Language:Prompter to use the built-in rules.");
    }

    [Fact]
    public async Task A_prompter_naming_an_unknown_model_is_a_configuration_error()
    {
        _cli.Environment["EASEL_Language__Prompter__Provider"] = "nope";
        var run = await _cli.RunAsync("refine", "a fox");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("Language:Prompter:Provider is 'nope', which is not a language model Easel knows");
    }
}
