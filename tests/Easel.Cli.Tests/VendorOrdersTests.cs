using System.Text;
using Easel.Providers.Tests.Conformance;
using Easel.Providers.Tests.Fakes;

namespace Easel.Cli.Tests;

/// <summary>
/// Orders placed through the CLI against a vendor's fake server (OpenAI's Images API): the
/// configuration reaches the client, parameters reach the wire, cost is recorded, refusals read
/// plainly, and the API key appears nowhere it could leak.
/// </summary>
public sealed class VendorOrdersTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private OpenAIFake _fake = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await OpenAIFake.StartAsync();
        _cli.Environment["OPENAI_API_KEY"] = OpenAIFake.Key;
        _cli.Environment["EASEL_Providers__openai__BaseUrl"] = _fake.Server.BaseUrl.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _fake.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Quality_format_and_size_reach_the_vendor_and_the_cost_is_recorded()
    {
        var run = await _cli.RunAsync("generate", "a red fox", "--provider", "openai", "-n", "2", "--aspect-ratio", "16:9",
            "--quality", "high", "--format", "jpeg", "--max-iterations", "1", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());

        var sent = _fake.Server.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/v1/images/generations");
        sent.Text.ShouldContain("\"quality\":\"high\"");
        sent.Text.ShouldContain("\"output_format\":\"jpeg\"");
        sent.Text.ShouldContain("\"size\":\"1536x1024\"", customMessage: "16:9 is fitted to OpenAI's nearest size");
        sent.Text.ShouldContain("\"n\":2");

        var json = run.Json();
        json.GetProperty("cost").GetDecimal().ShouldBe(2 * 0.2505m, "the price table: high quality, landscape");
        // The fake answers with PNG bytes whatever was asked: Easel names files by what they are.
        json.GetProperty("images").EnumerateArray().ShouldAllBe(i => i.GetProperty("path").GetString()!.EndsWith(".png"));
    }

    [Fact]
    public async Task What_a_provider_cannot_do_is_refused_before_anything_is_spent()
    {
        var transparentJpeg = await _cli.RunAsync("generate", "a logo", "--provider", "openai", "--background", "transparent", "--format", "jpeg");
        transparentJpeg.ExitCode.ShouldBe(2);
        transparentJpeg.Stderr.ShouldContain("A JPEG cannot be transparent: use --format png or webp.");
        var sketchQuality = await _cli.RunAsync("generate", "a logo", "--quality", "high");
        sketchQuality.ExitCode.ShouldBe(2);
        sketchQuality.Stderr.ShouldContain("sketch has no quality setting");
        var seed = await _cli.RunAsync("generate", "a logo", "--provider", "openai", "--seed", "3");
        seed.ExitCode.ShouldBe(2);
        seed.Stderr.ShouldContain("openai does not take a seed.");
        _fake.Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refusal_ends_the_order_with_the_vendors_reason_and_request_id()
    {
        _fake.Next(FakeScenario.Refused);
        var run = await _cli.RunAsync("generate", "something forbidden", "--provider", "openai", "--max-iterations", "1");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("OpenAI refused the prompt (moderation_blocked, request id req_fake_0001)");
        _fake.Server.Requests.Count.ShouldBe(1, "a refusal is not retried");
    }

    [Fact]
    public async Task Without_a_key_the_provider_says_how_to_configure_it()
    {
        _cli.Environment.Remove("OPENAI_API_KEY");
        var run = await _cli.RunAsync("generate", "a cat", "--provider", "openai");
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("The provider 'openai' is not configured: set OPENAI_API_KEY or Providers:openai:ApiKey.");
    }

    [Fact]
    public async Task The_api_key_appears_nowhere_after_successful_and_failed_orders()
    {
        var outputs = new StringBuilder();
        foreach (var args in new[]
        {
            new[] { "generate", "a red fox", "--provider", "openai", "-n", "2", "--max-iterations", "2", "--threshold", "95", "--json" },
            ["generate", "a blue bird", "--provider", "openai", "--max-iterations", "1"],
            ["providers", "--json"],
            ["providers"],
            ["doctor"],
            ["history", "--json"],
        })
        {
            var run = await _cli.RunAsync(args);
            outputs.Append(run.Stdout).Append(run.Stderr);
        }
        _fake.Next(FakeScenario.Refused);
        var refused = await _cli.RunAsync("generate", "forbidden", "--provider", "openai", "--max-iterations", "1");
        outputs.Append(refused.Stdout).Append(refused.Stderr);
        for (var i = 0; i < 4; i++)
            _fake.Next(FakeScenario.ServerError);
        var failed = await _cli.RunAsync("generate", "unlucky", "--provider", "openai", "--max-iterations", "1");
        outputs.Append(failed.Stdout).Append(failed.Stderr);
        var orders = await _cli.RunAsync("orders", "--json");
        outputs.Append(orders.Stdout);

        _fake.Server.Requests.ShouldAllBe(r => r.Header("authorization") == $"Bearer {OpenAIFake.Key}", "the key did reach the vendor");
        outputs.ToString().ShouldNotContain(OpenAIFake.Key);
        outputs.ToString().ShouldContain("key from OPENAI_API_KEY");
        // Every file Easel wrote: the database (and its WAL), images with their PNG text chunks, logs.
        foreach (var file in Directory.EnumerateFiles(_cli.Home, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            Encoding.UTF8.GetString(bytes).ShouldNotContain(OpenAIFake.Key, customMessage: $"{file} holds the key");
            Encoding.Latin1.GetString(bytes).ShouldNotContain(OpenAIFake.Key, customMessage: $"{file} holds the key");
        }
    }
}

/// <summary>A language model as the evaluator, chosen in configuration, against Ollama's fake: its scores drive the loop.</summary>
public sealed class ModelEvaluatorOrdersTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private OllamaFake _ollama = null!;

    public async ValueTask InitializeAsync()
    {
        _ollama = await OllamaFake.StartAsync();
        _cli.Environment["EASEL_Providers__ollama__BaseUrl"] = _ollama.Server.BaseUrl.ToString();
        _cli.Environment["EASEL_Language__Evaluator__Provider"] = "ollama";
        _cli.Environment["EASEL_Language__Evaluator__Model"] = "llava";
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        _cli.Dispose();
    }

    private static string Verdict(int score, string feedback) =>
        $$"""{"score": {{score}}, "feedback": "{{feedback}}", "criteria": [{"name": "subject", "score": {{score}}, "passed": {{(score >= 70 ? "true" : "false")}}, "comment": "{{feedback}}"}]}""";

    [Fact]
    public async Task The_configured_model_scores_each_image_and_its_feedback_drives_the_refinement()
    {
        _ollama.Answer(Verdict(40, "The fox is missing; only snow is visible."));
        _ollama.Answer(Verdict(88, "A clear red fox in the snow."));
        var run = await _cli.RunAsync("generate", "a red fox in the snow", "--size", "128x128", "--max-iterations", "3", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());

        var json = run.Json();
        json.GetProperty("iterations").GetInt32().ShouldBe(2, "88 passes the threshold of 80");
        json.GetProperty("final_score").GetInt32().ShouldBe(88);
        json.GetProperty("feedback_history").EnumerateArray().Select(f => f.GetString()).ShouldBe(
            ["The fox is missing; only snow is visible.", "A clear red fox in the snow."]);
        var calls = _ollama.Calls.ToList();
        calls.Count.ShouldBe(2);
        calls.ShouldAllBe(c => c.Model == "llava" && c.Images.Count == 1);
        calls[0].User.ShouldContain("a red fox in the snow");
        run.Stderr.ShouldNotContain("The built-in evaluator gives at most 90");
    }

    [Fact]
    public async Task A_role_naming_an_unknown_model_is_a_configuration_error()
    {
        _cli.Environment["EASEL_Language__Evaluator__Provider"] = "nope";
        var run = await _cli.RunAsync("generate", "a fox", "--size", "64x64");
        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("Language:Evaluator:Provider is 'nope', which is not a language model Easel knows; use one of openai, anthropic, gemini, ollama or builtin.");
    }
}

/// <summary>`easel providers` and `easel doctor`: what is usable, what each needs, checked without spending money.</summary>
public sealed class ProviderCommandsTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private OpenAIFake _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await OpenAIFake.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _fake.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Providers_lists_every_provider_with_its_capabilities_and_what_it_needs_but_never_the_key()
    {
        _cli.Environment["OPENAI_API_KEY"] = OpenAIFake.Key;
        var run = await _cli.RunAsync("providers", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldNotContain(OpenAIFake.Key);
        var providers = run.Json().GetProperty("providers").EnumerateArray().ToList();
        string Kind(System.Text.Json.JsonElement p) => p.GetProperty("kind").GetString()!;
        var openai = providers.Single(p => p.GetProperty("name").GetString() == "openai" && Kind(p) == "image");
        openai.GetProperty("configured").GetBoolean().ShouldBeTrue();
        openai.GetProperty("key_source").GetString().ShouldBe("OPENAI_API_KEY");
        var caps = openai.GetProperty("capabilities");
        caps.GetProperty("max_images_per_call").GetInt32().ShouldBe(10);
        caps.GetProperty("sizes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["1024x1024", "1536x1024", "1024x1536"]);
        caps.GetProperty("quality").GetBoolean().ShouldBeTrue();
        var anthropic = providers.Single(p => p.GetProperty("name").GetString() == "anthropic");
        anthropic.GetProperty("configured").GetBoolean().ShouldBeFalse();
        anthropic.GetProperty("problem").GetString().ShouldBe("set ANTHROPIC_API_KEY or Providers:anthropic:ApiKey");
        providers.Select(p => p.GetProperty("name").GetString()).ShouldBe(
            ["sketch", "builtin", "openai", "openai-responses", "gemini", "imagen", "replicate", "stability", "automatic1111", "comfyui",
             "stability-fast", "stability-conservative", "stability-creative", "automatic1111-upscale", "openai", "anthropic", "gemini", "ollama"]);
    }

    [Fact]
    public async Task Doctor_passes_on_a_fresh_machine_and_names_an_unreachable_server()
    {
        var fresh = await _cli.RunAsync("doctor");
        fresh.ExitCode.ShouldBe(0, fresh.ToString());
        fresh.Stdout.ShouldContain("Everything checked is in order.");

        _cli.Environment["OPENAI_API_KEY"] = OpenAIFake.Key;
        _cli.Environment["EASEL_Providers__openai__BaseUrl"] = _fake.Server.BaseUrl.ToString();
        // A port nothing listens on: bind one, note it, release it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _cli.Environment["EASEL_Providers__automatic1111__BaseUrl"] = $"http://127.0.0.1:{port}";
        var run = await _cli.RunAsync("doctor");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stdout.ShouldContain($"✓ openai: {_fake.Server.BaseUrl.GetLeftPart(UriPartial.Authority)} answers (key from OPENAI_API_KEY)");
        run.Stdout.ShouldContain($"✗ automatic1111: cannot reach http://127.0.0.1:{port}");
        run.Stdout.ShouldNotContain(OpenAIFake.Key);
        _fake.Server.Requests.ShouldBeEmpty("doctor only opens a connection; it sends nothing that could cost money");
    }
}
